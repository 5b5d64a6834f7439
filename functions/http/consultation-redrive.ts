import { createDeps } from '#shared/adapters/deps.ts';
import { actorOf, httpHandler, pathParam, seeOther } from '#shared/adapters/http.ts';
import { redriveConsultation } from '#shared/use-cases/recovery.ts';

const deps = createDeps();

/** POST /c/{councilId}/consultations/{consultationId}/redrive — the secretariat re-runs a stopped step. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  await redriveConsultation(deps, actorOf(event), ref);
  return seeOther(`/c/${ref.councilId}/consultations/${ref.consultationId}?notice=redriven`);
});
