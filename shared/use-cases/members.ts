import { z } from 'zod';
import { assignOffices, memberInput, officesInput, rosterOrder, type Member } from '#shared/domain/council.ts';
import { requireRole, type Principal } from '#shared/domain/principal.ts';
import { ID_PATTERN } from '#shared/keys.ts';
import { checkForm, type FormProblem } from '#shared/forms.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { memberRegisteredMail } from '#templates/mail/member-registered.ts';

type MemberDeps = Pick<Deps, 'councils' | 'mailer' | 'clock' | 'settings'>;

/** The roster as a signed-in person of that council sees it. */
export async function viewRoster(deps: MemberDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'department', 'member', 'chair');
  const [council, members] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listMembers(councilId)]);
  return { viewer, council, members: rosterOrder(council, members) };
}

/** A new member's form carries an id minted when the form was drawn, so a double submit adds one member. */
const addMemberForm = memberInput.extend({
  requestId: z.string().regex(ID_PATTERN, 'フォームを開き直してください。'),
});

/**
 * The secretariat registers a member and the member is told by mail.
 * Returns the problem to redisplay when the form is invalid.
 */
export async function addMember(
  deps: MemberDeps,
  principal: Principal | undefined,
  councilId: string,
  form: Record<string, string | string[]>,
): Promise<{ ok: true; member: Member } | FormProblem> {
  requireRole(principal, councilId, 'secretariat');
  const checked = checkForm(addMemberForm, form);
  if (!checked.ok) return checked;
  const { requestId, ...input } = checked.value;
  const council = await deps.councils.getCouncil(councilId);
  const now = deps.clock.now().toISOString();
  const member: Member = { ...input, memberId: requestId, version: 1, createdAt: now, updatedAt: now };
  const created = await deps.councils.addMember(councilId, member);
  if (created) {
    await deps.mailer.send(memberRegisteredMail({ council, member, rosterUrl: `${deps.settings.APP_BASE_URL}/c/${councilId}/members` }));
  }
  return { ok: true, member };
}

const editMemberForm = memberInput.extend({ version: z.coerce.number().int().positive() });

/** The secretariat edits a member; an edit based on a stale version is refused, not merged. */
export async function editMember(
  deps: MemberDeps,
  principal: Principal | undefined,
  councilId: string,
  memberId: string,
  form: Record<string, string | string[]>,
): Promise<{ ok: true; member: Member } | FormProblem> {
  requireRole(principal, councilId, 'secretariat');
  const checked = checkForm(editMemberForm, form);
  if (!checked.ok) return checked;
  const { version, ...input } = checked.value;
  const member = await deps.councils.updateMember(councilId, memberId, input, version, deps.clock.now().toISOString());
  return { ok: true, member };
}

/** The secretariat records who chairs the council and who stands in (会長・副会長). */
export async function setOffices(
  deps: MemberDeps,
  principal: Principal | undefined,
  councilId: string,
  form: Record<string, string | string[]>,
): Promise<FormProblem | { ok: true }> {
  requireRole(principal, councilId, 'secretariat');
  const checked = checkForm(officesInput, form);
  if (!checked.ok) return checked;
  const [council, members] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listMembers(councilId)]);
  const offices = assignOffices(council, members, checked.value);
  await deps.councils.setOffices(councilId, offices, council.version);
  return { ok: true };
}
