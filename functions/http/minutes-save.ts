import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { openMinutes, saveMinutes } from '#shared/use-cases/minutes.ts';
import { minutesPage } from '#templates/pages/minutes.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/minutes — save; a conflicting save comes back with the typed text. */
export const handler = httpHandler(async (event) => {
  const [councilId, meetingId] = [pathParam(event, 'councilId'), pathParam(event, 'meetingId')];
  const result = await saveMinutes(deps, principalOf(event), councilId, meetingId, readForm(event));
  if (result.ok) return seeOther(`/c/${councilId}/meetings/${meetingId}/minutes?saved=1`);
  const view = await openMinutes(deps, principalOf(event), councilId, meetingId);
  return htmlResponse(minutesPage({ ...view, meetingPath: `/c/${councilId}/meetings/${meetingId}`, state: result }), result.errors['_form'] ? 409 : 400);
});
