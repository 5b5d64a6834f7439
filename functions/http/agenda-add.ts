import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { addAgendaItems } from '#shared/use-cases/meetings.ts';
import { backToMeeting, meetingResponse } from './shared/meeting-response.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/items — put cases (one by one or bundled) or a report on the agenda. */
export const handler = httpHandler(async (event) => {
  const form = readForm(event);
  const result = await addAgendaItems(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'), form);
  if (result.ok) return seeOther(backToMeeting(event, 'scheduled'));
  return meetingResponse(deps, event, { target: form['kind'] === 'deliberation' ? 'add' : 'note', state: result });
});
