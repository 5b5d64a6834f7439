import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { openMinutes } from '#shared/use-cases/minutes.ts';
import { minutesPage } from '#templates/pages/minutes.ts';

const deps = createDeps();

/** GET /c/{councilId}/meetings/{meetingId}/minutes — write and export the minutes. */
export const handler = httpHandler(async (event) => {
  const [councilId, meetingId] = [pathParam(event, 'councilId'), pathParam(event, 'meetingId')];
  const view = await openMinutes(deps, principalOf(event), councilId, meetingId);
  return htmlResponse(minutesPage({ ...view, meetingPath: `/c/${councilId}/meetings/${meetingId}`, saved: event.queryStringParameters?.['saved'] === '1' }));
});
