import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf, seeOther } from '#shared/adapters/http.ts';
import { finalizeMinutes } from '#shared/use-cases/minutes.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/minutes/final — make the minutes final and tell the members. */
export const handler = httpHandler(async (event) => {
  const [councilId, meetingId] = [pathParam(event, 'councilId'), pathParam(event, 'meetingId')];
  await finalizeMinutes(deps, principalOf(event), councilId, meetingId);
  return seeOther(`/c/${councilId}/meetings/${meetingId}/minutes`);
});
