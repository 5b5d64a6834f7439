/**
 * Section 2 and 3: the pages measured under load, each with its baseline — the same
 * DynamoDB calls issued through the same repositories and use cases, with a
 * DocumentClient of its own, without the gateway, the Lambda event, middy or HTML.
 */
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { documentClient } from '#shared/adapters/document-client.ts';
import { createDynamoRepositories } from '#shared/adapters/repositories.ts';
import { systemClock } from '#shared/adapters/runtime.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { listConsultations, viewConsultation } from '#shared/use-cases/consultations.ts';
import { homeView } from '#shared/use-cases/home.ts';
import { viewMeeting } from '#shared/use-cases/meetings.ts';
import { viewRoster } from '#shared/use-cases/members.ts';

export interface ApiRoute {
  name: string;
  /** Path (with the case id filled in by the run) and the demo identity whose cookie it sends. */
  path: (ids: RouteIds) => string;
  userId: string;
  /** The data access the page does, for the raw-DynamoDB baseline. */
  raw: (deps: RawDeps, ids: RouteIds) => Promise<unknown>;
}

export interface RouteIds {
  decidedCase: string;
  decidedMeeting: string;
}

/** Typed as the use cases want it; only the repositories and the clock are there. */
type RawDeps = Deps;
const who = (userId: string): Principal => DEMO_IDENTITIES.find((i) => i.userId === userId)!;

export const API_ROUTES: ApiRoute[] = [
  { name: 'GET / (home)', path: () => '/', userId: 'u-secretariat', raw: (d) => homeView(d, who('u-secretariat')) },
  { name: 'GET /c/sakura/members', path: () => '/c/sakura/members', userId: 'u-secretariat', raw: (d) => viewRoster(d, who('u-secretariat'), 'sakura') },
  {
    name: 'GET /c/sakura/consultations (secretariat queues)',
    path: () => '/c/sakura/consultations',
    userId: 'u-secretariat',
    raw: (d) => listConsultations(d, who('u-secretariat'), 'sakura'),
  },
  {
    name: 'GET /c/sakura/consultations (department, own cases)',
    path: () => '/c/sakura/consultations',
    userId: 'u-fukushi',
    raw: (d) => listConsultations(d, who('u-fukushi'), 'sakura'),
  },
  {
    name: 'GET /c/sakura/consultations/{id} (case page)',
    path: (ids) => `/c/sakura/consultations/${ids.decidedCase}`,
    userId: 'u-secretariat',
    raw: (d, ids) => viewConsultation(d, { principal: who('u-secretariat') }, { councilId: 'sakura', consultationId: ids.decidedCase }, { audit: true }),
  },
  {
    name: 'GET /c/sakura/meetings/{id} (meeting page)',
    path: (ids) => `/c/sakura/meetings/${ids.decidedMeeting}`,
    userId: 'u-secretariat',
    raw: (d, ids) => viewMeeting(d, who('u-secretariat'), 'sakura', ids.decidedMeeting),
  },
];

/** Repositories over a DocumentClient of the baseline's own, pointed at one stack's dynalite. */
export function rawDeps(endpoint: string, tableName: string): RawDeps {
  const db = documentClient({ endpoint, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  // The read use cases touch only the repositories (and the clock: a case view is written to its audit trail).
  // The session item every signed-in request reads is read by the load generator before each baseline call (bench/load.ts).
  return { ...createDynamoRepositories(db, tableName), clock: systemClock } as RawDeps;
}
