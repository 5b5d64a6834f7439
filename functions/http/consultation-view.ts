import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { viewConsultation } from '#shared/use-cases/consultations.ts';
import { emptyForm } from '#templates/form.ts';
import { CONSULTATION_NOTICES, consultationPage, type ConsultationNotice } from '#templates/pages/consultations.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/{consultationId} — the 審議票 with its history and actions. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const view = await viewConsultation(deps, principalOf(event), ref, event.requestContext.http.sourceIp);
  const notice = event.queryStringParameters?.['notice'];
  return htmlResponse(
    consultationPage({
      ...view,
      notice: notice && notice in CONSULTATION_NOTICES ? (notice as ConsultationNotice) : undefined,
      screening: emptyForm({ requestId: newId() }),
    }),
  );
});
