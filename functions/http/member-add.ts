import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { addMember, viewRoster } from '#shared/use-cases/members.ts';
import { membersPage } from '#templates/pages/members.ts';

const deps = createDeps();

/** POST /c/{councilId}/members — register a member; on error the form comes back as typed. */
export const handler = httpHandler(async (event) => {
  const councilId = pathParam(event, 'councilId');
  const principal = principalOf(event);
  const result = await addMember(deps, principal, councilId, readForm(event));
  if (result.ok) return seeOther(`/c/${councilId}/members?notice=added`);
  const roster = await viewRoster(deps, principal, councilId);
  return htmlResponse(membersPage({ ...roster, addForm: result }), 400);
});
