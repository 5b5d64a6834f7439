import { createDeps } from '#shared/adapters/deps.ts';
import { linkAreas } from './http/link-areas.ts';
import { pageFunction } from './http/pages.ts';

/** The pages opened from signed links in mails: members' votes, owners' follow-up reports and members' review of a 評価書. */
export const handler = pageFunction('link', createDeps(), linkAreas);
