import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { chairReviewView, confirmConditions } from '#shared/use-cases/voting.ts';
import { conditionsPage } from '#templates/pages/conditions.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/items/{itemId}/conditions — the chair's final wording; the decision is issued. */
export const handler = httpHandler(async (event) => {
  const [councilId, meetingId, itemId] = [pathParam(event, 'councilId'), pathParam(event, 'meetingId'), pathParam(event, 'itemId')];
  const result = await confirmConditions(deps, principalOf(event), councilId, meetingId, itemId, readForm(event));
  if (result.ok) return seeOther(`/c/${councilId}/meetings/${meetingId}?notice=decided`);
  return htmlResponse(conditionsPage({ ...(await chairReviewView(deps, principalOf(event), councilId, meetingId, itemId)), state: result }), 400);
});
