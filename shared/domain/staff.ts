import * as z from 'zod/mini';
import { compareKana } from './collation.ts';
import type { Council } from './council.ts';
import { ID_PATTERN } from './ids.ts';
import { PLATFORM_ID, type Principal, type Role } from './principal.ts';
import { kanaField, requiredText } from './schema.ts';

/**
 * The staff registry (職員名簿): who may sign in to a council, and as what. It is the source of
 * truth for a person's council, department and role when a session starts — the identity
 * provider (Cognito in AWS, the local stand-in locally) only proves who someone is. A member's
 * chair rights follow the council's chair (`Council.chairMemberId`), not a role kept per person.
 */
export const STAFF_ROLES = ['secretariat', 'department', 'member'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_ROLE_LABELS: Record<StaffRole | 'operator', string> = {
  secretariat: '事務局',
  department: '所管課',
  member: '委員',
  operator: '運用管理者',
};
/** Every role a registry entry may hold: a council's (above), or the platform operator's (under PLATFORM_ID only). */
export const REGISTRY_ROLES = [...STAFF_ROLES, 'operator'] as const;
export type RegistryRole = (typeof REGISTRY_ROLES)[number];

export interface StaffMember {
  councilId: string;
  /** The sign-in name at the identity provider (Cognito's username); a member's is their roster id. */
  userId: string;
  name: string;
  kana: string;
  email: string;
  role: RegistryRole;
  /** Department staff: their department. */
  departmentId?: string | undefined;
  /** 役職, e.g. 主査 */
  title?: string | undefined;
  /** A member's entry in the roster (委員名簿): their office (会長・副会長) and their ballots go by it. */
  memberId?: string | undefined;
  /** A disabled account signs in no more; its sessions were ended. */
  disabled: boolean;
  /** Optimistic-lock counter. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

const optionalId = z.lazy(() =>
  z.pipe(
    z.optional(z.string().check(z.trim())),
    z.transform((v) => v || undefined),
  ),
);

/** Department staff name their department, members their roster entry. */
const placement = z.superRefine((v: { role: StaffRole; departmentId?: string | undefined; memberId?: string | undefined }, ctx) => {
  if (v.role === 'department' && !v.departmentId) ctx.addIssue({ code: 'custom', path: ['departmentId'], message: '所管課の職員は課を選んでください。' });
  if (v.role === 'member' && !v.memberId) ctx.addIssue({ code: 'custom', path: ['memberId'], message: '委員の方は委員名簿から選んでください。' });
});

/** What the secretariat enters to invite a person (職員の招待); department staff name their department, members their roster entry. */
export const staffInput = z.lazy(() =>
  z
    .object({
      userId: z
        .string({ error: '利用者IDを入力してください。' })
        .check(
          z.trim(),
          z.minLength(3, '利用者IDは3文字以上で入力してください。'),
          z.maxLength(64, '利用者IDは64文字以内で入力してください。'),
          z.regex(ID_PATTERN, '利用者IDは半角英数字・ハイフン・下線で入力してください。'),
        ),
      name: requiredText('氏名', 40),
      kana: kanaField(),
      email: z.pipe(
        z.string({ error: 'メールアドレスを入力してください。' }).check(z.trim(), z.minLength(1, 'メールアドレスを入力してください。')),
        z.email('メールアドレスの形式が正しくありません。'),
      ),
      role: z.enum(STAFF_ROLES, { error: '役割を選んでください。' }),
      departmentId: optionalId,
      memberId: optionalId,
      title: z.pipe(
        z.optional(z.string().check(z.trim(), z.maxLength(40, '役職は40文字以内で入力してください。'))),
        z.transform((v) => v || undefined),
      ),
    })
    .check(placement),
);
export type StaffInput = z.output<typeof staffInput>;

/** A change of role or department (the name and address are the person's own, changed at the identity provider). */
export const staffChange = z.lazy(() =>
  z
    .object({
      role: z.enum(STAFF_ROLES, { error: '役割を選んでください。' }),
      departmentId: optionalId,
      memberId: optionalId,
      version: z.coerce.number().check(z.int(), z.positive()),
    })
    .check(placement),
);
export type StaffChange = z.output<typeof staffChange>;

/** A member's office in the council, from the council's record (会長・副会長), or none. */
export function officeOfStaff(
  council: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>,
  s: Pick<StaffMember, 'role' | 'memberId'>,
): 'chair' | 'vice_chair' | undefined {
  if (s.role !== 'member' || !s.memberId) return undefined;
  if (council.chairMemberId === s.memberId) return 'chair';
  if (council.viceChairMemberId === s.memberId) return 'vice_chair';
  return undefined;
}

/**
 * Who a registered person is when they sign in: council, department and role from the registry,
 * and chair rights only while the council's record names their roster entry as chair.
 * Undefined for a disabled account.
 */
export function principalOfStaff(council: Pick<Council, 'councilId' | 'chairMemberId' | 'viceChairMemberId'>, s: StaffMember): Principal | undefined {
  if (s.disabled || s.councilId !== council.councilId) return undefined;
  // The operator's entry counts only under the platform's id; a council's never makes an operator.
  if ((s.role === 'operator') !== (s.councilId === PLATFORM_ID)) return undefined;
  const role: Role = officeOfStaff(council, s) === 'chair' ? 'chair' : s.role;
  return {
    userId: s.role === 'member' && s.memberId ? s.memberId : s.userId,
    name: s.name,
    role,
    councilId: s.councilId,
    ...(s.role === 'department' && s.departmentId ? { departmentId: s.departmentId } : {}),
  };
}

/** The staff page's order: the chair, the vice-chair, then everyone by kana. */
export function staffOrder(council: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>, staff: readonly StaffMember[]): StaffMember[] {
  const rank = (s: StaffMember) => ({ chair: 0, vice_chair: 1, none: 2 })[officeOfStaff(council, s) ?? 'none'];
  return [...staff].sort((a, b) => rank(a) - rank(b) || compareKana(a.kana, b.kana) || a.userId.localeCompare(b.userId));
}

/**
 * The identity provider's account directory, as the app uses it (Cognito's AdminCreateUser and
 * AdminDisableUser in AWS; the local identity provider locally). The app sends the invitation
 * mail itself, from the council's sender, so the directory is asked not to mail.
 */
export interface IdentityDirectory {
  /** Creates the account with a temporary password; false if the user name is taken. */
  createUser(user: { userId: string; email: string; name: string; councilId: string; temporaryPassword: string }): Promise<boolean>;
  /** Stops the account signing in. */
  disableUser(userId: string): Promise<void>;
}
