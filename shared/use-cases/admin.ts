import * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import type { Council } from '#shared/domain/council.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { PLATFORM_ID, type Principal, requireOperator } from '#shared/domain/principal.ts';
import { kanaField, optionalEmail, requiredText } from '#shared/domain/schema.ts';
import type { StaffMember } from '#shared/domain/staff.ts';
import { InvalidInputError } from '#shared/errors.ts';
import { temporaryPassword } from './staff.ts';

type AdminDeps = Pick<Deps, 'councils' | 'staff' | 'identities' | 'clock' | 'councilData' | 'notifier'>;

const email = (label: string) =>
  z.pipe(
    z.string({ error: `${label}を入力してください。` }).check(z.trim(), z.minLength(1, `${label}を入力してください。`)),
    z.email(`${label}の形式が正しくありません。`),
  );
const id = (label: string) =>
  z.string({ error: `${label}を入力してください。` }).check(
    z.trim(),
    z.minLength(2, `${label}は2文字以上で入力してください。`),
    z.maxLength(40, `${label}は40文字以内で入力してください。`),
    z.regex(ID_PATTERN, `${label}は半角英数字・ハイフン・下線で入力してください。`),
    z.refine((v) => v !== PLATFORM_ID, `「${PLATFORM_ID}」は使えません。`),
  );

/** The operator's form for a new council (審議会の開設), with its first secretariat account. */
export const createCouncilCommand = z.lazy(() =>
  z.object({
    councilId: id('審議会の識別子'),
    name: requiredText('審議会の名称', 80),
    municipality: requiredText('自治体名', 40),
    contact: requiredText('問い合わせ先', 200),
    secretariatEmail: email('事務局のメールアドレス'),
    quorum: z.enum(['majority', 'two_thirds'], { error: '定足数を選んでください。' }),
    chairBreaksTie: z.pipe(
      z.optional(z.string()),
      z.transform((v) => v === 'on'),
    ),
    senderAddress: optionalEmail('差出人のアドレス'),
    replyTo: optionalEmail('返信先(Reply-To)'),
    adminUserId: id('事務局の利用者ID'),
    adminName: requiredText('事務局の担当者の氏名', 40),
    adminKana: kanaField(),
    adminEmail: email('担当者のメールアドレス'),
  }),
);
export type CreateCouncilCommand = z.output<typeof createCouncilCommand>;

/** The operator suspends a council: from now on nobody signs in to it, and every open session of its staff ends. */
export async function suspendCouncil(
  deps: Pick<Deps, 'councils' | 'staff' | 'sessions' | 'clock' | 'councilData'>,
  principal: Principal | undefined,
  councilId: string,
): Promise<number> {
  const actor = requireOperator(principal);
  const now = deps.clock.now().toISOString();
  await deps.councils.suspend(councilId, now);
  const council = await deps.councils.getCouncil(councilId);
  await deps.councilData.audit({
    at: now,
    eventId: newId(),
    actor: { userId: actor.userId, name: actor.name },
    action: 'council.suspend',
    councilId,
    councilName: council.name,
  });
  let ended = 0;
  for (const s of await deps.staff.list(councilId))
    ended += await deps.sessions.revokeAll(councilId, s.role === 'member' && s.memberId ? s.memberId : s.userId, now);
  return ended;
}

/** 審議会の一覧: the operator's list, the one page that reads the registry every council shares. */
export async function listCouncilsForOperator(deps: Pick<Deps, 'councils' | 'councilData'>, principal: Principal | undefined) {
  const viewer = requireOperator(principal);
  const [councils, trail] = await Promise.all([deps.councils.listCouncils(), deps.councilData.operatorTrail(20)]);
  return { viewer, councils, trail };
}

/**
 * The operator opens a council: its record, and its first secretariat account (at the identity
 * provider, with a temporary password shown once, and in the council's staff registry). A taken
 * council id or user name is refused beside its field before anything is written.
 */
export async function createCouncil(
  deps: AdminDeps,
  principal: Principal | undefined,
  command: CreateCouncilCommand,
): Promise<{ council: Council; admin: StaffMember; temporaryPassword: string }> {
  requireOperator(principal);
  if ((await deps.councils.listCouncils()).some((c) => c.councilId === command.councilId)) {
    throw new InvalidInputError({ councilId: 'この識別子の審議会は既にあります。' });
  }
  const password = temporaryPassword();
  const created = await deps.identities.createUser({
    userId: command.adminUserId,
    email: command.adminEmail,
    name: command.adminName,
    councilId: command.councilId,
    temporaryPassword: password,
  });
  if (!created) throw new InvalidInputError({ adminUserId: 'この利用者IDは既に使われています。別のIDにしてください。' });
  const council: Council = {
    councilId: command.councilId,
    name: command.name,
    municipality: command.municipality,
    contact: command.contact,
    secretariatEmail: command.secretariatEmail,
    rules: { quorum: command.quorum, chairBreaksTie: command.chairBreaksTie },
    ...(command.senderAddress ? { senderAddress: command.senderAddress } : {}),
    ...(command.replyTo ? { replyTo: command.replyTo } : {}),
    version: 1,
  };
  if (!(await deps.councils.createCouncil(council))) throw new InvalidInputError({ councilId: 'この識別子の審議会は既にあります。' });
  const now = deps.clock.now().toISOString();
  const admin: StaffMember = {
    councilId: council.councilId,
    userId: command.adminUserId,
    name: command.adminName,
    kana: command.adminKana,
    email: command.adminEmail,
    role: 'secretariat',
    disabled: false,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
  await deps.staff.add(admin);
  // The first secretariat hears from their council where and as whom to sign in (the password stays on the operator's page).
  await deps.notifier.notify({ type: 'staff.invited', council, staff: admin });
  const actor = requireOperator(principal);
  await deps.councilData.audit({
    at: now,
    eventId: newId(),
    actor: { userId: actor.userId, name: actor.name },
    action: 'council.create',
    councilId: council.councilId,
    councilName: council.name,
  });
  return { council, admin, temporaryPassword: password };
}
