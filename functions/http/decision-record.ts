import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { recordShowOfHands } from '#shared/use-cases/meetings.ts';
import { backToMeeting, meetingResponse } from './shared/meeting-response.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/items/{itemId}/decision — presence and the show of hands on one item. */
export const handler = httpHandler(async (event) => {
  const itemId = pathParam(event, 'itemId');
  const result = await recordShowOfHands(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'), itemId, readForm(event));
  if (result.ok) return seeOther(backToMeeting(event, 'decided', `#item-${itemId}`));
  return meetingResponse(deps, event, { target: itemId, state: result });
});
