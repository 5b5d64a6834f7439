import { ForbiddenError, UnauthenticatedError } from '#shared/errors.ts';

export const ROLES = ['department', 'secretariat', 'member', 'chair', 'operator'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  department: '所管課',
  secretariat: '事務局',
  member: '委員',
  chair: '会長',
  operator: '運用管理者',
};

/**
 * The platform operator (運用管理者) belongs to no council: their registry entry and sessions are
 * kept under this id, which no council may take.
 */
export const PLATFORM_ID = 'platform';

/** Who is acting. Staff belong to exactly one council; department staff to one department. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  councilId: string;
  departmentId?: string | undefined;
}

/** The principal if it may act on `councilId` in one of `roles`; otherwise a 401/403. */
/** The principal if it is the platform operator; otherwise a 401/403. */
export function requireOperator(principal: Principal | undefined): Principal {
  if (!principal) throw new UnauthenticatedError();
  if (principal.role !== 'operator' || principal.councilId !== PLATFORM_ID) throw new ForbiddenError();
  return principal;
}

export function requireRole(principal: Principal | undefined, councilId: string, ...roles: Role[]): Principal {
  if (!principal) throw new UnauthenticatedError();
  if (principal.councilId !== councilId || !roles.includes(principal.role)) throw new ForbiddenError();
  return principal;
}
