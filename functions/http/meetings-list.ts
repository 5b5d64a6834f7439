import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { listMeetings } from '#shared/use-cases/meetings.ts';
import { emptyForm } from '#templates/form.ts';
import { meetingsPage } from '#templates/pages/meetings.ts';

const deps = createDeps();

/** GET /c/{councilId}/meetings — meetings and written decisions, and the form to add one. */
export const handler = httpHandler(async (event) => {
  const view = await listMeetings(deps, principalOf(event), pathParam(event, 'councilId'));
  return htmlResponse(meetingsPage({ ...view, form: emptyForm({ requestId: newId() }) }));
});
