import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { businessHistory } from '#shared/use-cases/followups.ts';
import { businessHistoryPage } from '#templates/pages/followups.ts';

const deps = createDeps();

/** GET /c/{councilId}/businesses/{businessKey} — everything the council did about one registered business. */
export const handler = httpHandler(async (event) =>
  htmlResponse(businessHistoryPage(await businessHistory(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'businessKey')))),
);
