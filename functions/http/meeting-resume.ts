import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf, seeOther } from '#shared/adapters/http.ts';
import { resumeMeeting } from '#shared/use-cases/meetings.ts';
import { backToMeeting } from './shared/meeting-response.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/resume — finish hand-overs an interrupted request left undone. */
export const handler = httpHandler(async (event) => {
  await resumeMeeting(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'));
  return seeOther(backToMeeting(event, 'resumed'));
});
