import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { exportStatus } from '#shared/use-cases/minutes.ts';
import { exportPage } from '#templates/pages/minutes.ts';

const deps = createDeps();

/** GET /c/{councilId}/meetings/{meetingId}/minutes/exports/{exportId} — progress, then the download. */
export const handler = httpHandler(async (event) =>
  htmlResponse(exportPage(await exportStatus(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'), pathParam(event, 'exportId')))),
);
