import type { AreaModules } from './pages.ts';

/** Where each area of the signed-link pages lives (see staff-areas.ts). */
export const linkAreas: AreaModules<'link'> = {
  links: () => import('./routes/links.ts').then((m) => m.linkRoutes),
  pia: () => import('./routes/pia.ts').then((m) => m.piaLinkRoutes),
};
