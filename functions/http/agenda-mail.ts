import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf, seeOther } from '#shared/adapters/http.ts';
import { mailAgenda } from '#shared/use-cases/meetings.ts';
import { backToMeeting } from './shared/meeting-response.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/mail — send the agenda and material links to every member. */
export const handler = httpHandler(async (event) => {
  await mailAgenda(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'));
  return seeOther(backToMeeting(event, 'mailed'));
});
