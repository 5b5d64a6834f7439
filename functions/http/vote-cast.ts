import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, readForm, seeOther } from '#shared/adapters/http.ts';
import { castVote, votingView } from '#shared/use-cases/voting.ts';
import { votePage } from '#templates/pages/vote.ts';

const deps = createDeps();

/** POST /v/{token} — the member's vote; sending it again replaces it (the last one counts). */
export const handler = httpHandler(async (event) => {
  const token = pathParam(event, 'token');
  const result = await castVote(deps, token, readForm(event));
  if (result.ok) return seeOther(`/v/${token}?saved=1`);
  return htmlResponse(votePage({ ...(await votingView(deps, token)), token, state: result }), 400);
});
