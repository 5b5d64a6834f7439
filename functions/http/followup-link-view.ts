import { createDeps } from '#shared/adapters/deps.ts';
import { allowFormTarget, htmlResponse, httpHandler, pathParam } from '#shared/adapters/http.ts';
import { followUpLinkView } from '#shared/use-cases/followups.ts';
import { FOLLOW_UP_NOTICES, followUpLinkPage, type FollowUpNotice } from '#templates/pages/followups.ts';

const deps = createDeps();

/** GET /f/{token} — the owner's report page (vendors have no accounts). Reading records nothing. */
export const handler = httpHandler(async (event) => {
  const token = pathParam(event, 'token');
  const view = await followUpLinkView(deps, token);
  const notice = event.queryStringParameters?.['notice'];
  return allowFormTarget(
    htmlResponse(followUpLinkPage({ ...view, token, notice: notice && notice in FOLLOW_UP_NOTICES ? (notice as FollowUpNotice) : undefined })),
    view.upload?.url,
  );
});
