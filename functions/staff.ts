import { createDeps } from '#shared/adapters/deps.ts';
import { pageFunction } from './http/pages.ts';
import { staffAreas } from './http/staff-areas.ts';

/** The staff pages: everything signed-in staff (departments, secretariat, members, chair) use, and sign-in itself. */
export const handler = pageFunction('staff', createDeps(), staffAreas);
