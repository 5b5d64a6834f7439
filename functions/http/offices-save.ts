import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { setOffices, viewRoster } from '#shared/use-cases/members.ts';
import { emptyForm } from '#templates/form.ts';
import { membersPage } from '#templates/pages/members.ts';

const deps = createDeps();

/** POST /c/{councilId}/offices — set the chair and vice-chair. */
export const handler = httpHandler(async (event) => {
  const councilId = pathParam(event, 'councilId');
  const principal = principalOf(event);
  const result = await setOffices(deps, principal, councilId, readForm(event));
  if (result.ok) return seeOther(`/c/${councilId}/members?notice=offices`);
  const roster = await viewRoster(deps, principal, councilId);
  return htmlResponse(membersPage({ ...roster, addForm: emptyForm({ requestId: newId() }), officesForm: result }), 400);
});
