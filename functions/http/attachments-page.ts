import { createDeps } from '#shared/adapters/deps.ts';
import { allowFormTarget, htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { viewAttachments } from '#shared/use-cases/attachments.ts';
import { attachmentsPage } from '#templates/pages/attachments.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/{consultationId}/attachments — list, and the upload form. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const view = await viewAttachments(deps, principalOf(event), ref);
  return allowFormTarget(htmlResponse(attachmentsPage({ ...view, uploaded: event.queryStringParameters?.['notice'] === 'uploaded' })), view.upload?.url);
});
