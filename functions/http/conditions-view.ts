import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { chairReviewView } from '#shared/use-cases/voting.ts';
import { conditionsPage } from '#templates/pages/conditions.ts';

const deps = createDeps();

/** GET /c/{councilId}/meetings/{meetingId}/items/{itemId}/conditions — the chair settles the conditions. */
export const handler = httpHandler(async (event) =>
  htmlResponse(conditionsPage(await chairReviewView(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'), pathParam(event, 'itemId')))),
);
