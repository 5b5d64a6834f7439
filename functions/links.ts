import { createDeps } from '#shared/adapters/deps.ts';
import { pageFunction } from './http/pages.ts';
import { linkRoutes } from './http/routes/links.ts';

/** The pages opened from signed links in mails: members' votes and owners' follow-up reports. */
export const handler = pageFunction('link', createDeps(), linkRoutes);
