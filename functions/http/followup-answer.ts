import { createDeps } from '#shared/adapters/deps.ts';
import { allowFormTarget, htmlResponse, httpHandler, pathParam, readForm, seeOther } from '#shared/adapters/http.ts';
import { answerFollowUp, followUpLinkView } from '#shared/use-cases/followups.ts';
import { followUpLinkPage } from '#templates/pages/followups.ts';

const deps = createDeps();

/** POST /f/{token} — the owner's report, with the evidence uploaded for it. */
export const handler = httpHandler(async (event) => {
  const token = pathParam(event, 'token');
  const result = await answerFollowUp(deps, token, readForm(event));
  if (result.ok) return seeOther(`/f/${token}?notice=answered`);
  const view = await followUpLinkView(deps, token);
  return allowFormTarget(htmlResponse(followUpLinkPage({ ...view, token, state: result }), 400), view.upload?.url);
});
