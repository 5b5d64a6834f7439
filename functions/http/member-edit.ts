import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { emptyForm } from '#templates/form.ts';
import { memberEditPage } from '#templates/pages/members.ts';

const deps = createDeps();

/** GET /c/{councilId}/members/{memberId} — the secretariat's edit form. */
export const handler = httpHandler(async (event) => {
  const councilId = pathParam(event, 'councilId');
  const viewer = requireRole(principalOf(event), councilId, 'secretariat');
  const [council, member] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.councils.getMember(councilId, pathParam(event, 'memberId')),
  ]);
  const { name, kana, category, affiliation, email, version } = member;
  return htmlResponse(
    memberEditPage({ council, member, viewer, form: emptyForm({ name, kana, category, affiliation, email, version: String(version) }) }),
  );
});
