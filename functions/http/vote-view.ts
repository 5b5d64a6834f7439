import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam } from '#shared/adapters/http.ts';
import { votingView } from '#shared/use-cases/voting.ts';
import { votePage } from '#templates/pages/vote.ts';

const deps = createDeps();

/** GET /v/{token} — a member's voting page. Shows, never records: mail scanners open links too. */
export const handler = httpHandler(async (event) => {
  const token = pathParam(event, 'token');
  const view = await votingView(deps, token);
  return htmlResponse(votePage({ ...view, token, saved: event.queryStringParameters?.['saved'] === '1' }));
});
