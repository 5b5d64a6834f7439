import { DEMO_COUNCIL, DEMO_DEPARTMENTS, DEMO_MEMBERS } from '#infra/local/demo-data.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { createMemoryRepositories } from '#shared/adapters/repositories.ts';
import type { Clock } from '#shared/adapters/runtime.ts';
import type { MemoryItems } from '#shared/adapters/store/memory-items.ts';
import type { Settings } from '#shared/config.ts';
import { CONSULTATION_STATUSES, type ConsultationStatus, executionNameFor, WITHDRAWN_ERROR } from '#shared/domain/consultation.ts';
import { consultationDraft, consultationSubmission, formToObject } from '#shared/domain/consultation-form.ts';
import type { Council, Department, Member } from '#shared/domain/council.ts';
import type { DomainEvent, Notifier } from '#shared/domain/events.ts';
import type { Principal } from '#shared/domain/principal.ts';
import type { Workflow } from '#shared/domain/workflow.ts';
import { ConflictError } from '#shared/errors.ts';
import { draftAnswer, issueAnswer } from '#shared/use-cases/answers.ts';
import { recordAudit, SYSTEM_ACTOR } from '#shared/use-cases/audit.ts';
import type { SaveCommand } from '#shared/use-cases/consultations.ts';
import { completeForm } from './consultation-forms.ts';

/**
 * Deps for unit tests of use cases: the production repositories on the in-memory item store,
 * and fakes for the ports — a clock the test moves, a notifier that records the domain events,
 * a workflow that records what it is asked and (on `settle()`) moves cases as the state
 * machine does, an export starter that records its jobs, and a signing key with a fixed secret.
 * Nothing is shared between two calls: every test builds its own.
 */

/** When every test's clock starts: a weekday in fiscal year 2026 (令和8年度), Tokyo time. */
export const TEST_NOW = '2026-05-11T10:00:00+09:00';
/** The secret the fake signing key holds (as a Secrets Manager string, at least 32 characters). */
export const TEST_SIGNING_SECRET = 'unit-tests-only-signing-secret-0123456789';

export const TEST_SETTINGS: Settings = {
  TABLE_NAME: 'council-unit',
  MAIL_FROM: 'noreply@city.sakura.example.jp',
  APP_BASE_URL: 'https://council.sakura.example.jp',
  STATE_MACHINE_ARN: 'arn:aws:states:ap-northeast-1:000000000000:stateMachine:ConsultationLifecycle',
  SIGNING_SECRET_ARN: 'arn:aws:secretsmanager:ap-northeast-1:000000000000:secret:link-signing-key',
  EXPORT_FUNCTION_NAME: 'council-exports',
};

/** A clock that stands still until the test moves it. */
export class TestClock implements Clock {
  private at: number;

  constructor(start: string = TEST_NOW) {
    this.at = Date.parse(start);
  }

  now(): Date {
    return new Date(this.at);
  }

  set(instant: string): void {
    this.at = Date.parse(instant);
  }

  advance(by: { days?: number; hours?: number; minutes?: number; seconds?: number }): void {
    this.at += (((by.days ?? 0) * 24 + (by.hours ?? 0)) * 60 + (by.minutes ?? 0)) * 60_000 + (by.seconds ?? 0) * 1000;
  }
}

/** Keeps every event it is told, in order; `failWith` makes it refuse (a mail service down). */
export class RecordingNotifier implements Notifier {
  readonly events: DomainEvent[] = [];
  private failure: Error | undefined;

  async notify(event: DomainEvent): Promise<void> {
    if (this.failure) throw this.failure;
    this.events.push(event);
  }

  /** The events of one type, with their type's fields. */
  of<T extends DomainEvent['type']>(type: T): Extract<DomainEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
  }

  types(): DomainEvent['type'][] {
    return this.events.map((e) => e.type);
  }

  failWith(error: Error | undefined): void {
    this.failure = error;
  }
}

export type WorkflowCall =
  | { op: 'start'; ref: CaseRef; cycle: number; resumeAt?: ConsultationStatus | undefined; executionName: string }
  | { op: 'complete'; taskToken: string; output: Record<string, unknown> }
  | { op: 'fail'; taskToken: string; error: string; cause: string }
  | { op: 'redrive'; executionArn: string };

interface CaseRef {
  councilId: string;
  consultationId: string;
}

/** A human step an execution waits in, by the token that resumes it. */
interface WaitingStep {
  ref: CaseRef;
  executionName: string;
  status: ConsultationStatus;
}

const STALE = 'この諮問は既に他の方が処理しました。最新の状態を確認してください。';
const NO_TOKEN = 'この諮問は今この操作を受け付けていません。最新の状態を確認してください。';
const executionArn = (name: string) => `arn:aws:states:ap-northeast-1:000000000000:execution:ConsultationLifecycle:${name}`;

/**
 * The workflow port, faked. Each call is recorded in `calls`; a token is live from the step
 * that handed it out until it is completed or failed once, so a stale or missing token is
 * refused with a ConflictError as the Step Functions client refuses it. The executions move
 * in the background, as in AWS: what the state machine (infra/workflow/consultation-lifecycle.ts)
 * would do next is queued, and `settle()` runs it — the workflow function's tasks (recording
 * each status, the token of each human step, drafting and issuing the answer) on the same repositories.
 */
export class FakeWorkflow implements Workflow {
  readonly calls: WorkflowCall[] = [];
  private readonly started = new Set<string>();
  private readonly waiting = new Map<string, WaitingStep>();
  private readonly queue: (() => Promise<void>)[] = [];
  private readonly faults: { op: WorkflowCall['op']; error: Error }[] = [];
  private issued = 0;
  private deps: Deps | undefined;

  /** The deps the workflow's own tasks run with (set by memoryDeps). */
  attach(deps: Deps): void {
    this.deps = deps;
  }

  /** The next call of `op` fails with `error` before it reaches the workflow (a throttled or unreachable service). */
  failNext(op: WorkflowCall['op'], error: Error = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' })): void {
    this.faults.push({ op, error });
  }

  async start(ref: CaseRef, cycle = 1, resumeAt?: ConsultationStatus): Promise<string> {
    this.fault('start');
    const executionName = executionNameFor(ref, cycle);
    this.calls.push({ op: 'start', ref: { councilId: ref.councilId, consultationId: ref.consultationId }, cycle, resumeAt, executionName });
    // The name makes a start idempotent: the same execution is not started twice.
    if (!this.started.has(executionName)) {
      this.started.add(executionName);
      this.queue.push(async () => {
        if (!resumeAt) await this.recordStatus(ref, 'submitted');
        await this.awaitPerson(ref, executionName, resumeAt ?? 'screening');
      });
    }
    return executionArn(executionName);
  }

  async complete(taskToken: string | undefined, output: object): Promise<void> {
    this.fault('complete');
    const step = this.take(taskToken);
    const answer = structuredClone(output) as Record<string, unknown>;
    this.calls.push({ op: 'complete', taskToken: taskToken!, output: answer });
    this.queue.push(() => this.next(step, answer));
  }

  async fail(taskToken: string | undefined, error: string, cause: string): Promise<void> {
    this.fault('fail');
    const step = this.take(taskToken);
    this.calls.push({ op: 'fail', taskToken: taskToken!, error, cause });
    // Withdrawn: the definition records it. Continued: this execution ends; a newer one carries the case.
    if (error === WITHDRAWN_ERROR) this.queue.push(() => this.recordStatus(step.ref, 'withdrawn'));
  }

  async redrive(executionArn: string): Promise<void> {
    this.fault('redrive');
    this.calls.push({ op: 'redrive', executionArn });
  }

  /** Runs what the executions do next until every one waits for a person or has ended. */
  async settle(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) await job();
  }

  /** Whether a token still resumes a waiting step. */
  isLive(taskToken: string | undefined): boolean {
    return taskToken !== undefined && this.waiting.has(taskToken);
  }

  /** The calls of one kind. */
  callsOf<T extends WorkflowCall['op']>(op: T): Extract<WorkflowCall, { op: T }>[] {
    return this.calls.filter((c): c is Extract<WorkflowCall, { op: T }> => c.op === op);
  }

  private fault(op: WorkflowCall['op']): void {
    const i = this.faults.findIndex((f) => f.op === op);
    if (i >= 0) throw this.faults.splice(i, 1)[0]!.error;
  }

  private take(taskToken: string | undefined): WaitingStep {
    if (!taskToken) throw new ConflictError(NO_TOKEN);
    const step = this.waiting.get(taskToken);
    if (!step) throw new ConflictError(STALE);
    this.waiting.delete(taskToken);
    return step;
  }

  /** The state machine's transitions after a person answered a step. */
  private async next(step: WaitingStep, output: Record<string, unknown>): Promise<void> {
    const { ref, executionName } = step;
    const wait = (status: ConsultationStatus) => this.awaitPerson(ref, executionName, status);
    switch (step.status) {
      case 'screening':
        return wait(output['outcome'] === 'returned' ? 'returned' : output['outcome'] === 'accepted' ? 'accepted' : 'screening');
      case 'returned':
        return wait('screening');
      case 'accepted':
        return wait('scheduled');
      case 'scheduled':
        if (output['cancelled'] === true) {
          await this.recordStatus(ref, 'accepted');
          return wait('accepted');
        }
        return wait('in_deliberation');
      case 'in_deliberation': {
        const outcome = output['outcome'];
        if (outcome === 'carried_over') {
          await this.recordStatus(ref, 'accepted');
          return wait('accepted');
        }
        if (outcome !== 'approved' && outcome !== 'approved_with_opinions' && outcome !== 'approved_with_conditions' && outcome !== 'rejected')
          return wait('in_deliberation');
        const list = (key: string) => (Array.isArray(output[key]) ? (output[key] as string[]) : []);
        const text = (key: string) => (typeof output[key] === 'string' ? { [key]: output[key] as string } : {});
        await draftAnswer(this.requireDeps(), ref, {
          outcome,
          conditions: list('conditions'),
          opinions: list('opinions'),
          ...text('meetingId'),
          ...text('itemId'),
        });
        return wait('answer_review');
      }
      case 'answer_review': {
        const { followUps } = await issueAnswer(this.requireDeps(), ref);
        return this.recordStatus(ref, followUps > 0 ? 'followups_open' : 'closed');
      }
      default:
        throw new Error(`the workflow has no human step at ${step.status}`);
    }
  }

  /** As the workflow function's recordStatus task. */
  private async recordStatus(ref: CaseRef, status: ConsultationStatus): Promise<void> {
    const deps = this.requireDeps();
    await deps.consultations.recordStep(ref, status, deps.clock.now().toISOString());
    await recordAudit(deps, ref, SYSTEM_ACTOR, `状態:${CONSULTATION_STATUSES[status]}`);
  }

  /** As the workflow function's awaitPerson task: the case waits in `status` with a fresh token. */
  private async awaitPerson(ref: CaseRef, executionName: string, status: ConsultationStatus): Promise<void> {
    const deps = this.requireDeps();
    const now = deps.clock.now().toISOString();
    const taskToken = `task-token-${++this.issued}`;
    const current = (await deps.consultations.get(ref)).execution;
    const execution = { name: executionName, startedAt: current?.name === executionName ? current.startedAt : now };
    this.waiting.set(taskToken, { ref, executionName, status });
    await deps.consultations.recordStep(ref, status, now, { taskToken, execution });
    await recordAudit(deps, ref, SYSTEM_ACTOR, `状態:${CONSULTATION_STATUSES[status]}`);
  }

  private requireDeps(): Deps {
    if (!this.deps) throw new Error('FakeWorkflow.attach(deps) was not called');
    return this.deps;
  }
}

/** Records each export job it is asked to start. */
export class RecordingJobs {
  readonly started: object[] = [];

  async start(payload: object): Promise<void> {
    this.started.push(structuredClone(payload));
  }
}

export interface MemoryDeps extends Deps {
  clock: TestClock;
  notifier: RecordingNotifier;
  workflow: FakeWorkflow;
  exports: RecordingJobs;
  /** The raw items under the repositories, to look beneath them (e.g. that nothing was written). */
  items: MemoryItems;
}

/** A fresh, empty world for one test. */
export function memoryDeps(options: { now?: string } = {}): MemoryDeps {
  const { items, ...repositories } = createMemoryRepositories();
  const workflow = new FakeWorkflow();
  const secret = Buffer.from(TEST_SIGNING_SECRET, 'utf8');
  const deps: MemoryDeps = {
    settings: TEST_SETTINGS,
    ...repositories,
    workflow,
    attachments: undefined,
    notifier: new RecordingNotifier(),
    clock: new TestClock(options.now),
    signingKey: { get: async () => Buffer.from(secret) },
    exports: new RecordingJobs(),
    items,
  };
  workflow.attach(deps);
  return deps;
}

// ── Seeding: a council, its departments and members, through the repositories ──────────────

/** The staff of a seeded council, as the sign-in would make them. */
export interface People {
  secretariat: Principal;
  /** 市民部 市民課 */
  shimin: Principal;
  /** 福祉部 生活福祉課 */
  fukushi: Principal;
  /** The chair (会長), signed in. */
  chair: Principal;
  /** A member (委員), signed in. */
  member: Principal;
}

export interface SeededCouncil {
  council: Council;
  departments: Department[];
  members: Member[];
  people: People;
}

/**
 * The demo council (infra/local/demo-data.ts: six members, two departments, 過半数 and the
 * chair's casting vote) under `councilId`. Another council's member ids carry its id, so no
 * member id is shared between councils.
 */
export async function seedCouncil(deps: Pick<Deps, 'councils'>, councilId = 'sakura', rules: Partial<Council['rules']> = {}): Promise<SeededCouncil> {
  const own = (memberId: string) => (councilId === DEMO_COUNCIL.councilId ? memberId : `${councilId}-${memberId}`);
  const members = DEMO_MEMBERS.map((m) => ({ ...m, memberId: own(m.memberId), email: m.email.replace('sakura', councilId) }));
  const council: Council = {
    ...DEMO_COUNCIL,
    councilId,
    name: councilId === DEMO_COUNCIL.councilId ? DEMO_COUNCIL.name : `${councilId}市個人情報保護審議会`,
    rules: { ...DEMO_COUNCIL.rules, ...rules },
    chairMemberId: own(DEMO_COUNCIL.chairMemberId!),
    viceChairMemberId: own(DEMO_COUNCIL.viceChairMemberId!),
  };
  const departments = DEMO_DEPARTMENTS.map((d) => ({ ...d }));
  await deps.councils.createCouncil(council);
  for (const d of departments) await deps.councils.createDepartment(councilId, d);
  for (const m of members) await deps.councils.addMember(councilId, m);
  const people: People = {
    secretariat: { userId: `u-secretariat-${councilId}`, name: '山下 潤(総務課 情報公開係)', role: 'secretariat', councilId },
    shimin: { userId: `u-shimin-${councilId}`, name: '倉持 美土子(市民課)', role: 'department', councilId, departmentId: 'shimin' },
    fukushi: { userId: `u-fukushi-${councilId}`, name: '長田 将夫(生活福祉課)', role: 'department', councilId, departmentId: 'fukushi' },
    chair: { userId: council.chairMemberId!, name: '小林 千尋(会長)', role: 'chair', councilId },
    member: { userId: own('m-maeda'), name: '前田 久美子(委員)', role: 'member', councilId },
  };
  return { council, departments, members, people };
}

// ── The department's form, as the page's handler turns it into a command ──────────────────

/** The complete form (tests/support/consultation-forms.ts), read by the same schemas as the page. */
export function submitCommand(overrides: Record<string, string | string[]> = {}, response?: string): SaveCommand {
  const posted = formToObject(completeForm(overrides));
  return { draft: consultationDraft.parse(posted), submission: { form: consultationSubmission.parse(posted), response } };
}

/** The same form only saved as a draft. */
export function draftCommand(overrides: Record<string, string | string[]> = {}): SaveCommand {
  return { draft: consultationDraft.parse(formToObject(completeForm(overrides))) };
}
