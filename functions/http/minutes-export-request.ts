import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { DomainError } from '#shared/errors.ts';
import { requestExport } from '#shared/use-cases/minutes.ts';

const deps = createDeps();

/** POST /c/{councilId}/meetings/{meetingId}/minutes/exports — start an export; its page shows progress. */
export const handler = httpHandler(async (event) => {
  const [councilId, meetingId] = [pathParam(event, 'councilId'), pathParam(event, 'meetingId')];
  const result = await requestExport(deps, principalOf(event), councilId, meetingId, readForm(event));
  if (!result.ok) throw new DomainError(Object.values(result.errors).join(' '));
  return seeOther(`/c/${councilId}/meetings/${meetingId}/minutes/exports/${result.exportId}`);
});
