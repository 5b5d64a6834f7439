import { ForbiddenError, UnauthenticatedError } from '#shared/errors.ts';

export const ROLES = ['department', 'secretariat', 'member', 'chair'] as const;
export type Role = (typeof ROLES)[number];
export const ROLE_LABELS: Record<Role, string> = {
  department: '所管課',
  secretariat: '事務局',
  member: '委員',
  chair: '会長',
};

/** Who is acting. Staff belong to exactly one council; department staff to one department. */
export interface Principal {
  userId: string;
  name: string;
  role: Role;
  councilId: string;
  departmentId?: string | undefined;
}

/** The principal if it may act on `councilId` in one of `roles`; otherwise a 401/403. */
export function requireRole(principal: Principal | undefined, councilId: string, ...roles: Role[]): Principal {
  if (!principal) throw new UnauthenticatedError();
  if (principal.councilId !== councilId || !roles.includes(principal.role)) throw new ForbiddenError();
  return principal;
}
