import { createDeps } from '#shared/adapters/deps.ts';
import { actorOf, htmlResponse, httpHandler, pathParam, readForm, seeOther } from '#shared/adapters/http.ts';
import { screenConsultation, viewConsultation } from '#shared/use-cases/consultations.ts';
import { consultationPage } from '#templates/pages/consultations.ts';

const deps = createDeps();

/** POST /c/{councilId}/consultations/{consultationId}/screening — the secretariat accepts or returns. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const actor = actorOf(event);
  const form = readForm(event);
  const result = await screenConsultation(deps, actor, ref, form);
  if (result.ok) return seeOther(`/c/${ref.councilId}/consultations/${ref.consultationId}?notice=${result.decision === 'accept' ? 'accepted' : 'returned'}`);
  const view = await viewConsultation(deps, actor.principal, ref, event.requestContext.http.sourceIp);
  return htmlResponse(consultationPage({ ...view, screening: result }), 400);
});
