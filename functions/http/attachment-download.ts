import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { attachmentDownload } from '#shared/use-cases/attachments.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/{consultationId}/attachments/{attachmentId} — redirect to a short-lived link. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const url = await attachmentDownload(deps, principalOf(event), ref, pathParam(event, 'attachmentId'));
  return { statusCode: 303, headers: { location: url }, body: '' };
});
