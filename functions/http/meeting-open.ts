import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf, seeOther } from '#shared/adapters/http.ts';
import { openDeliberation } from '#shared/use-cases/meetings.ts';
import { backToMeeting } from './shared/meeting-response.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/open — deliberation begins for every case on the agenda. */
export const handler = httpHandler(async (event) => {
  await openDeliberation(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'));
  return seeOther(backToMeeting(event, 'opened'));
});
