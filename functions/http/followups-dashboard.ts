import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { followUpDashboard } from '#shared/use-cases/followups.ts';
import { followUpDashboardPage } from '#templates/pages/followups.ts';

const deps = createDeps();

/** GET /c/{councilId}/followups — open, due soon and overdue conditions, by vendor and department. */
export const handler = httpHandler(async (event) =>
  htmlResponse(followUpDashboardPage(await followUpDashboard(deps, principalOf(event), pathParam(event, 'councilId')))),
);
