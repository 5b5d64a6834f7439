import { createDeps } from '#shared/adapters/deps.ts';
import { actorOf, htmlResponse, httpHandler, pathParam, readForm, seeOther } from '#shared/adapters/http.ts';
import { viewConsultation } from '#shared/use-cases/consultations.ts';
import { withdrawConsultation } from '#shared/use-cases/recovery.ts';
import { consultationPage } from '#templates/pages/consultations.ts';

const deps = createDeps();

/** POST /c/{councilId}/consultations/{consultationId}/withdraw — the department (or the secretariat) withdraws the case. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const actor = actorOf(event);
  const result = await withdrawConsultation(deps, actor, ref, readForm(event));
  if (result.ok) return seeOther(`/c/${ref.councilId}/consultations/${ref.consultationId}?notice=withdrawn`);
  const view = await viewConsultation(deps, actor.principal, ref, event.requestContext.http.sourceIp);
  return htmlResponse(consultationPage({ ...view, withdrawal: result }), 400);
});
