import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { createMeeting, listMeetings } from '#shared/use-cases/meetings.ts';
import { meetingsPage } from '#templates/pages/meetings.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings — register a meeting or a written decision. */
export const handler = httpHandler(async (event) => {
  const councilId = pathParam(event, 'councilId');
  const result = await createMeeting(deps, principalOf(event), councilId, readForm(event));
  if (result.ok) return seeOther(`/c/${councilId}/meetings/${result.meeting.meetingId}?notice=created`);
  return htmlResponse(meetingsPage({ ...(await listMeetings(deps, principalOf(event), councilId)), form: result }), 400);
});
