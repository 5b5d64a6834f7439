import { createDeps } from '#shared/adapters/deps.ts';
import { staffAreas } from './http/areas.ts';
import { pageFunction } from './http/pages.ts';

/** The staff pages: everything signed-in staff (departments, secretariat, members, chair) use, and sign-in itself. */
export const handler = pageFunction('staff', createDeps(), staffAreas);
