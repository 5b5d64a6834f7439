import { createDeps } from '#shared/adapters/deps.ts';
import { allowFormTarget, htmlResponse, httpHandler, pathParam, seeOther } from '#shared/adapters/http.ts';
import { DomainError } from '#shared/errors.ts';
import { followUpLinkView, recordEvidence } from '#shared/use-cases/followups.ts';
import { followUpLinkPage } from '#templates/pages/followups.ts';

const deps = createDeps();

/** GET /f/{token}/uploaded — storage sends the owner back here; the file is checked and kept for the report. */
export const handler = httpHandler(async (event) => {
  const token = pathParam(event, 'token');
  const key = event.queryStringParameters?.['key'];
  if (!key) throw new DomainError('アップロードの結果を受け取れませんでした。もう一度お試しください。');
  const result = await recordEvidence(deps, token, key);
  if (result.ok) return seeOther(`/f/${token}?notice=uploaded`);
  const view = await followUpLinkView(deps, token);
  return allowFormTarget(htmlResponse(followUpLinkPage({ ...view, token, error: result.reason }), 400), view.upload?.url);
});
