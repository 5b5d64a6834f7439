import { randomInt } from 'node:crypto';
import type { Deps } from '#shared/adapters/deps.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { type StaffChange, type StaffInput, type StaffMember, staffOrder } from '#shared/domain/staff.ts';
import { InvalidInputError } from '#shared/errors.ts';

type StaffDeps = Pick<Deps, 'councils' | 'staff' | 'sessions' | 'identities' | 'clock' | 'notifier'>;

/** 職員: the council's staff, the chair and vice-chair first, then by kana; the secretariat's page. */
export async function viewStaff(deps: Pick<Deps, 'councils' | 'staff'>, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const [council, staff, departments, members] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.staff.list(councilId),
    deps.councils.listDepartments(councilId),
    deps.councils.listMembers(councilId),
  ]);
  return { viewer, council, staff: staffOrder(council, staff), departments, members };
}

/** A temporary password Cognito's policy accepts (upper, lower, digit, symbol; 16 characters), shown once. */
export function temporaryPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@'];
  const all = sets.join('');
  const chars = [...sets.map((s) => s[randomInt(s.length)]!), ...Array.from({ length: 12 }, () => all[randomInt(all.length)]!)];
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}

/** The department or roster entry a placement names must be the council's own. */
async function checkPlacement(
  deps: Pick<Deps, 'councils'>,
  councilId: string,
  p: { role: StaffMember['role']; departmentId?: string | undefined; memberId?: string | undefined },
) {
  if (p.role === 'department' && !(await deps.councils.listDepartments(councilId)).some((d) => d.departmentId === p.departmentId)) {
    throw new InvalidInputError({ departmentId: '選ばれた課はこの審議会に登録されていません。' });
  }
  if (p.role === 'member' && !(await deps.councils.listMembers(councilId)).some((m) => m.memberId === p.memberId)) {
    throw new InvalidInputError({ memberId: '選ばれた委員は委員名簿にいません。' });
  }
}

/**
 * The secretariat invites a person: an account at the identity provider (AdminCreateUser, with a
 * temporary password shown to the secretariat once), and their entry in the registry, which says
 * what they may do. The person gets a mail from the council (its sender, Reply-To the
 * secretariat) with their user ID and the sign-in page, never the password. A user name already taken (in any council: the pool is shared) is refused beside the field.
 */
export async function inviteStaff(
  deps: StaffDeps,
  principal: Principal | undefined,
  councilId: string,
  input: StaffInput,
): Promise<{ staff: StaffMember; temporaryPassword: string }> {
  requireRole(principal, councilId, 'secretariat');
  await checkPlacement(deps, councilId, input);
  if (await deps.staff.find(councilId, input.userId)) throw new InvalidInputError({ userId: 'この利用者IDは既に登録されています。' });
  const password = temporaryPassword();
  const created = await deps.identities.createUser({ userId: input.userId, email: input.email, name: input.name, councilId, temporaryPassword: password });
  if (!created) throw new InvalidInputError({ userId: 'この利用者IDは既に使われています。別のIDにしてください。' });
  const now = deps.clock.now().toISOString();
  const staff: StaffMember = {
    councilId,
    userId: input.userId,
    name: input.name,
    kana: input.kana,
    email: input.email,
    role: input.role,
    ...(input.role === 'department' ? { departmentId: input.departmentId } : {}),
    ...(input.role === 'member' ? { memberId: input.memberId } : {}),
    ...(input.title ? { title: input.title } : {}),
    disabled: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.staff.add(staff);
  // The person hears from the council where and as whom to sign in; the password stays with the secretariat's page.
  await deps.notifier.notify({ type: 'staff.invited', council: await deps.councils.getCouncil(councilId), staff });
  return { staff, temporaryPassword: password };
}

/** A new role or department; the person's open sessions end, so the change holds from their next request. */
export async function changeStaff(
  deps: StaffDeps,
  principal: Principal | undefined,
  councilId: string,
  userId: string,
  change: StaffChange,
): Promise<StaffMember> {
  requireRole(principal, councilId, 'secretariat');
  await checkPlacement(deps, councilId, change);
  const before = await deps.staff.get(councilId, userId);
  const after = await deps.staff.change(councilId, userId, change, deps.clock.now().toISOString());
  await endSessionsOf(deps, before);
  return after;
}

/** Disables an account: the registry refuses it, the identity provider stops it, its sessions end now. */
export async function disableStaff(
  deps: StaffDeps,
  principal: Principal | undefined,
  councilId: string,
  userId: string,
  version: number,
): Promise<StaffMember> {
  const viewer = requireRole(principal, councilId, 'secretariat');
  if (viewer.userId === userId) throw new InvalidInputError({ _form: '自分自身のアカウントは無効にできません。' });
  const before = await deps.staff.get(councilId, userId);
  const after = await deps.staff.setDisabled(councilId, userId, true, version, deps.clock.now().toISOString());
  await deps.identities.disableUser(userId);
  await endSessionsOf(deps, before);
  return after;
}

/** A member's sessions are kept under their roster id, everyone else's under their user id. */
const endSessionsOf = (deps: StaffDeps, s: StaffMember) =>
  deps.sessions.revokeAll(s.councilId, s.role === 'member' && s.memberId ? s.memberId : s.userId, deps.clock.now().toISOString());
