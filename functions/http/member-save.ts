import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { ConflictError } from '#shared/errors.ts';
import { editMember } from '#shared/use-cases/members.ts';
import { memberEditPage } from '#templates/pages/members.ts';

const deps = createDeps();

/**
 * POST /c/{councilId}/members/{memberId} — save an edit. Invalid input or a
 * conflicting edit brings the form back with what was typed, never silently merged.
 */
export const handler = httpHandler(async (event) => {
  const councilId = pathParam(event, 'councilId');
  const memberId = pathParam(event, 'memberId');
  const principal = principalOf(event);
  const form = readForm(event);
  let problem;
  try {
    const result = await editMember(deps, principal, councilId, memberId, form);
    if (result.ok) return seeOther(`/c/${councilId}/members?notice=saved`);
    problem = result;
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    problem = { values: form, errors: { _form: e.message } };
  }
  const viewer = requireRole(principal, councilId, 'secretariat');
  const [council, member] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.getMember(councilId, memberId)]);
  // On a conflict the hidden version stays the one the editor started from, so saving again is refused until they reload.
  return htmlResponse(memberEditPage({ council, member, viewer, form: problem }), problem.errors['_form'] ? 409 : 400);
});
