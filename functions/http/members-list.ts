import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { viewRoster } from '#shared/use-cases/members.ts';
import { emptyForm } from '#templates/form.ts';
import { membersPage, NOTICES, type Notice } from '#templates/pages/members.ts';

const deps = createDeps();

/** GET /c/{councilId}/members — the roster, with the secretariat's forms. */
export const handler = httpHandler(async (event) => {
  const roster = await viewRoster(deps, principalOf(event), pathParam(event, 'councilId'));
  const notice = event.queryStringParameters?.['notice'];
  return htmlResponse(
    membersPage({
      ...roster,
      notice: notice && notice in NOTICES ? (notice as Notice) : undefined,
      addForm: emptyForm({ requestId: newId() }),
    }),
  );
});
