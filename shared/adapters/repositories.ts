import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AgendaRepository } from './agenda-repository.ts';
import { ConsultationRepository } from './consultation-repository.ts';
import { CouncilDataRepository } from './council-data-repository.ts';
import { CouncilRepository } from './council-repository.ts';
import { FollowUpRepository } from './followup-repository.ts';
import { IncidentRepository } from './incident-repository.ts';
import { LinkRepository } from './link-repository.ts';
import { MeetingRepository } from './meeting-repository.ts';
import { MinutesRepository } from './minutes-repository.ts';
import { PersonalInfoFileRepository } from './personal-info-file-repository.ts';
import { PiaRepository } from './pia-repository.ts';
import { PostReportRepository } from './post-report-repository.ts';
import { SearchRepository } from './search-repository.ts';
import { SessionRepository } from './session-repository.ts';
import { StaffRepository } from './staff-repository.ts';
import { MemoryItems, type MemoryItemsOptions } from './store/memory-items.ts';
import { Store } from './store/store.ts';

/** Every repository, on one store: what Deps holds. */
export interface Repositories {
  councils: CouncilRepository;
  consultations: ConsultationRepository;
  meetings: MeetingRepository;
  followUps: FollowUpRepository;
  /** 漏えい等事案. */
  incidents: IncidentRepository;
  agendas: AgendaRepository;
  minutes: MinutesRepository;
  sessions: SessionRepository;
  staff: StaffRepository;
  links: LinkRepository;
  /** A council as a whole: its partitions, archives and deletion (the operator). */
  councilData: CouncilDataRepository;
  /** Post-reports under blanket approvals (事後報告). */
  postReports: PostReportRepository;
  /** 特定個人情報保護評価書の第三者点検. */
  pia: PiaRepository;
  /** The register of files (個人情報ファイル簿 / 業務届出). */
  personalInfoFiles: PersonalInfoFileRepository;
  /** The precedent search's index (先例検索). */
  search: SearchRepository;
}

export function createRepositories(store: Store): Repositories {
  return {
    councils: new CouncilRepository(store),
    consultations: new ConsultationRepository(store),
    meetings: new MeetingRepository(store),
    followUps: new FollowUpRepository(store),
    incidents: new IncidentRepository(store),
    agendas: new AgendaRepository(store),
    minutes: new MinutesRepository(store),
    sessions: new SessionRepository(store),
    staff: new StaffRepository(store),
    links: new LinkRepository(store),
    councilData: new CouncilDataRepository(store),
    postReports: new PostReportRepository(store),
    pia: new PiaRepository(store),
    personalInfoFiles: new PersonalInfoFileRepository(store),
    search: new SearchRepository(store),
  };
}

/** The repositories on the table. */
export function createDynamoRepositories(db: DynamoDBDocumentClient, tableName: string): Repositories {
  return createRepositories(Store.dynamo(db, tableName));
}

/**
 * The same repository classes on a table in memory, for unit tests of use cases that run in
 * milliseconds: the entity layer, conditions and all, is the one production runs; only the
 * item store underneath differs (see memory-items.ts for what it keeps of DynamoDB's rules).
 * `items` gives tests the raw items, to look under the repositories or load old ones.
 */
export function createMemoryRepositories(options: MemoryItemsOptions = {}): Repositories & { items: MemoryItems } {
  const items = new MemoryItems(options);
  return { ...createRepositories(new Store(items)), items };
}
