import * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import { assignOffices, type Member, type MemberInput, memberInput, type OfficesInput, rosterOrder } from '#shared/domain/council.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';

type MemberDeps = Pick<Deps, 'councils' | 'notifier' | 'clock'>;

/** The roster as a signed-in person of that council sees it. */
export async function viewRoster(deps: Pick<Deps, 'councils'>, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'department', 'member', 'chair');
  const [council, members] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listMembers(councilId)]);
  return { viewer, council, members: rosterOrder(council, members) };
}

/** A new member's form carries an id minted when the form was drawn, so a double submit adds one member. */
export const addMemberCommand = z.lazy(() => z.extend(memberInput, { requestId: z.string().check(z.regex(ID_PATTERN, 'フォームを開き直してください。')) }));
export type AddMemberCommand = z.output<typeof addMemberCommand>;

/** The secretariat registers a member, who is told by mail (once, however often the form is sent). */
export async function addMember(deps: MemberDeps, principal: Principal | undefined, councilId: string, command: AddMemberCommand): Promise<Member> {
  requireRole(principal, councilId, 'secretariat');
  const { requestId, ...input } = command;
  const council = await deps.councils.getCouncil(councilId);
  const now = deps.clock.now().toISOString();
  const member: Member = { ...input, memberId: requestId, version: 1, createdAt: now, updatedAt: now };
  if (await deps.councils.addMember(councilId, member)) await deps.notifier.notify({ type: 'member.registered', council, member });
  return member;
}

export const editMemberCommand = z.lazy(() => z.extend(memberInput, { version: z.coerce.number().check(z.int(), z.positive()) }));
export type EditMemberCommand = z.output<typeof editMemberCommand>;

/** The secretariat edits a member; an edit based on a stale version is refused (ConflictError), not merged. */
export async function editMember(
  deps: MemberDeps,
  principal: Principal | undefined,
  councilId: string,
  memberId: string,
  command: EditMemberCommand,
): Promise<Member> {
  requireRole(principal, councilId, 'secretariat');
  const { version, ...input } = command;
  return deps.councils.updateMember(councilId, memberId, input satisfies MemberInput, version, deps.clock.now().toISOString());
}

/** The secretariat records who chairs the council and who stands in (会長・副会長). */
export async function setOffices(deps: MemberDeps, principal: Principal | undefined, councilId: string, command: OfficesInput): Promise<void> {
  requireRole(principal, councilId, 'secretariat');
  const [council, members] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listMembers(councilId)]);
  await deps.councils.setOffices(councilId, assignOffices(council, members, command), council.version);
}

/** The member the secretariat's edit form starts from. */
export async function memberForEdit(deps: Pick<Deps, 'councils'>, principal: Principal | undefined, councilId: string, memberId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const [council, member] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.getMember(councilId, memberId)]);
  return { viewer, council, member };
}
