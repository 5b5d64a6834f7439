import { createDeps } from '#shared/adapters/deps.ts';
import { allowFormTarget, htmlResponse, httpHandler, pathParam, principalOf, seeOther } from '#shared/adapters/http.ts';
import { DomainError } from '#shared/errors.ts';
import { recordUpload, viewAttachments } from '#shared/use-cases/attachments.ts';
import { attachmentsPage } from '#templates/pages/attachments.ts';

const deps = createDeps();

/**
 * GET /c/{councilId}/consultations/{consultationId}/attachments/uploaded — where storage
 * sends the browser after an upload. Recording the file is idempotent, so a reload is harmless.
 */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const key = event.queryStringParameters?.['key'];
  if (!key) throw new DomainError('アップロードの結果を受け取れませんでした。もう一度お試しください。');
  const result = await recordUpload(deps, principalOf(event), ref, key);
  if (result.ok) return seeOther(`/c/${ref.councilId}/consultations/${ref.consultationId}/attachments?notice=uploaded`);
  const view = await viewAttachments(deps, principalOf(event), ref);
  return allowFormTarget(htmlResponse(attachmentsPage({ ...view, error: result.reason }), 400), view.upload?.url);
});
