import type { Deps } from '#shared/adapters/deps.ts';
import type { IncidentRef } from '#shared/adapters/incident-repository.ts';
import { logger } from '#shared/adapters/logger.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { compareCodes } from '#shared/domain/collation.ts';
import type { Department } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { FOLLOW_UP_TYPES, type FollowUp, keyOfBusiness, tokyoDate } from '#shared/domain/followups.ts';
import {
  describeChanges,
  type Incident,
  type IncidentChange,
  type IncidentFacts,
  type IncidentInput,
  incidentNoticesDue,
  type MeasureInput,
  type PersonNoticeInput,
  PPC_REPORTS,
  reportItemOf,
  type SubmissionInput,
} from '#shared/domain/incidents.ts';
import { meetingName } from '#shared/domain/meeting.ts';
import { type Principal, ROLE_LABELS, requireRole } from '#shared/domain/principal.ts';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { addFreeItem } from './agenda.ts';
import { tokenFor } from './followups.ts';
import { closeIncidentWhenDone } from './incident-closing.ts';

type IncidentDeps = Pick<
  Deps,
  'councils' | 'consultations' | 'meetings' | 'agendas' | 'followUps' | 'incidents' | 'workflow' | 'notifier' | 'clock' | 'signingKey' | 'links'
>;

/** Who made a change, as the history shows it: 「長田 将夫(所管課)」. */
const changeBy = (p: Principal) => `${p.name}(${ROLE_LABELS[p.role]})`;
const changeOf = (deps: Pick<Deps, 'clock'>, p: Principal, what: string): IncidentChange => ({ at: deps.clock.now().toISOString(), by: changeBy(p), what });

/** The secretariat sees every incident; a department only its own. */
function mayAct(viewer: Principal, incident: Pick<Incident, 'departmentId'>) {
  return viewer.role === 'secretariat' || viewer.departmentId === incident.departmentId;
}

async function readIncident(deps: IncidentDeps, principal: Principal | undefined, ref: IncidentRef) {
  const viewer = requireRole(principal, ref.councilId, 'secretariat', 'department');
  const incident = await deps.incidents.get(ref);
  // Another department's incident is not theirs to know of.
  if (!mayAct(viewer, incident)) throw new NotFoundError('漏えい等事案が見つかりません。');
  return { viewer, incident };
}

/** The facts as the form gave them; a department records only its own incidents. */
async function checkedFacts(deps: IncidentDeps, viewer: Principal, councilId: string, input: IncidentInput): Promise<IncidentFacts> {
  const departments = await deps.councils.listDepartments(councilId);
  if (!departments.some((d) => d.departmentId === input.departmentId)) throw new InvalidInputError({ departmentId: '所管課を選んでください。' });
  if (viewer.role === 'department' && viewer.departmentId !== input.departmentId)
    throw new InvalidInputError({ departmentId: '自分の課の事案だけを記録できます。' });
  const today = tokyoDate(deps.clock.now());
  if (input.foundOn > today) throw new InvalidInputError({ foundOn: '覚知日に今日より後の日は入力できません。' });
  const { vendor, ...rest } = input;
  return { ...rest, ...(vendor ? { vendor } : {}) };
}

/** The incidents list: the secretariat's all, a department's own; open ones first. */
export async function listIncidents(deps: IncidentDeps, principal: Principal | undefined, councilId: string, show: 'open' | 'closed' | 'all' = 'open') {
  const viewer = requireRole(principal, councilId, 'secretariat', 'department');
  const [council, departments, all] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.councils.listDepartments(councilId),
    viewer.role === 'secretariat' ? deps.incidents.list(councilId) : deps.incidents.listOfDepartment(councilId, viewer.departmentId ?? ''),
  ]);
  const incidents = all
    .filter((i) => show === 'all' || i.status === show)
    .sort((a, b) => (a.status === b.status ? compareCodes(b.foundOn, a.foundOn) : a.status === 'open' ? -1 : 1));
  return { viewer, council, departments, incidents, show, today: tokyoDate(deps.clock.now()) };
}

/** The new-incident form: the departments to choose from (a department is given its own). */
export async function incidentForm(deps: IncidentDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'department');
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  return {
    viewer,
    council,
    departments: viewer.role === 'department' ? departments.filter((d) => d.departmentId === viewer.departmentId) : departments,
    requestId: newId(),
  };
}

/**
 * Records a new incident (its deadlines follow from its 覚知日). Returns its id: the form's own
 * `requestId` when given, so the same form posted twice (a double click, a retry) records one.
 */
export async function recordIncident(
  deps: IncidentDeps,
  principal: Principal | undefined,
  councilId: string,
  input: IncidentInput,
  requestId: string = newId(),
): Promise<string> {
  const viewer = requireRole(principal, councilId, 'secretariat', 'department');
  const facts = await checkedFacts(deps, viewer, councilId, input);
  const now = deps.clock.now().toISOString();
  const incidentId = requestId;
  const created = await deps.incidents.create({
    ...facts,
    councilId,
    incidentId,
    status: 'open',
    reports: {},
    measures: 0,
    notified: [],
    history: [{ at: now, by: changeBy(viewer), what: '事案を記録' }],
    createdAt: now,
    createdBy: viewer.userId,
    updatedAt: now,
    version: 1,
  });
  if (!created && (await deps.incidents.get({ councilId, incidentId })).createdBy !== viewer.userId)
    throw new ConflictError('このフォームは既に使われています。フォームを開き直してください。');
  return incidentId;
}

/** One incident with its deadlines, notices, measures and where the council heard it. */
export async function viewIncident(deps: IncidentDeps, principal: Principal | undefined, ref: IncidentRef) {
  const { viewer, incident } = await readIncident(deps, principal, ref);
  const [council, departments, measures] = await Promise.all([
    deps.councils.getCouncil(ref.councilId),
    deps.councils.listDepartments(ref.councilId),
    deps.incidents.measures(ref),
  ]);
  const heardAt = incident.council ? await deps.meetings.get(ref.councilId, incident.council.meetingId).catch(() => undefined) : undefined;
  return {
    viewer,
    council,
    incident,
    department: departments.find((d) => d.departmentId === incident.departmentId),
    departments,
    measures: measures.sort((a, b) => a.conditionIndex - b.conditionIndex),
    heardAt: heardAt && incident.council ? { meeting: heardAt, name: meetingName(council, heardAt), itemId: incident.council.itemId } : undefined,
    today: tokyoDate(deps.clock.now()),
  };
}

/** The edit of the facts, over the version read; the history says what changed. */
export async function editIncident(deps: IncidentDeps, principal: Principal | undefined, ref: IncidentRef, input: IncidentInput, version: number) {
  const { viewer, incident } = await readIncident(deps, principal, ref);
  if (incident.status === 'closed') throw new ConflictError('完了した事案は変更できません。');
  const facts = await checkedFacts(deps, viewer, ref.councilId, input);
  const what = describeChanges(incident, facts);
  if (!what) return;
  await deps.incidents.saveFacts(incident, facts, version, changeOf(deps, viewer, `変更:${what}`));
}

/** The 速報 or 確報 as submitted to the 個人情報保護委員会 (once each); the 確報 may close a finished incident. */
export async function recordSubmission(deps: IncidentDeps, principal: Principal | undefined, ref: IncidentRef, input: SubmissionInput) {
  const { viewer, incident } = await readIncident(deps, principal, ref);
  if (input.submittedOn < incident.foundOn) throw new InvalidInputError({ submittedOn: '提出日は覚知日より後の日にしてください。' });
  if (input.submittedOn > tokyoDate(deps.clock.now())) throw new InvalidInputError({ submittedOn: '提出日に今日より後の日は入力できません。' });
  if (input.report === 'final' && !incident.reports.preliminary) throw new InvalidInputError({ report: '先に速報の提出日を記録してください。' });
  await deps.incidents.recordSubmission(
    ref,
    input.report,
    { submittedOn: input.submittedOn, at: deps.clock.now().toISOString(), by: viewer.userId },
    changeOf(deps, viewer, `${PPC_REPORTS[input.report]}を個人情報保護委員会に提出(${formatEraDate(input.submittedOn, { weekday: false })})`),
  );
  if (input.report === 'final') await closeIncidentWhenDone(deps, ref.councilId, ref.incidentId);
}

/** 本人への通知: when, how, to how many — or why the people were not notified. */
export async function recordPersonNotice(deps: IncidentDeps, principal: Principal | undefined, ref: IncidentRef, input: PersonNoticeInput) {
  const { viewer, incident } = await readIncident(deps, principal, ref);
  const at = deps.clock.now().toISOString();
  if (input.notified === 'yes') {
    if (input.notifiedOn < incident.occurredOn) throw new InvalidInputError({ notifiedOn: '通知日は発生日より後の日にしてください。' });
    await deps.incidents.recordNotice(
      ref,
      { notified: true, notifiedOn: input.notifiedOn, method: input.method, count: input.count, at, by: viewer.userId },
      changeOf(deps, viewer, `本人への通知を記録(${formatEraDate(input.notifiedOn, { weekday: false })}、${input.method}、${input.count}人)`),
    );
  } else {
    await deps.incidents.recordNotice(
      ref,
      { notified: false, reason: input.reason, at, by: viewer.userId },
      changeOf(deps, viewer, `本人へ通知しない理由を記録:${input.reason}`),
    );
  }
}

/**
 * A recurrence-prevention measure (再発防止策): a follow-up owned by the incident's department,
 * due on the day given, answered through its mailed link with evidence as conditions are,
 * reviewed and closed by the secretariat; the incident closes when its last measure closes.
 */
export async function addMeasure(deps: IncidentDeps, principal: Principal | undefined, ref: IncidentRef, input: MeasureInput): Promise<FollowUp> {
  const { viewer, incident } = await readIncident(deps, principal, ref);
  if (incident.status === 'closed') throw new ConflictError('完了した事案には再発防止策を追加できません。');
  if (input.due < tokyoDate(deps.clock.now())) throw new InvalidInputError({ due: '実施の期限は今日以降の日にしてください。' });
  const [council, departments] = await Promise.all([deps.councils.getCouncil(ref.councilId), deps.councils.listDepartments(ref.councilId)]);
  const department: Department | undefined = departments.find((d) => d.departmentId === incident.departmentId);
  if (!department) throw new DomainError('この事案の所管課が見つかりません。部・課の登録を確認してください。');
  const n = incident.measures + 1;
  const now = deps.clock.now().toISOString();
  const fu: FollowUp = {
    followUpId: `${incident.incidentId}-m${n}`,
    councilId: ref.councilId,
    consultationId: incident.incidentId,
    incidentId: incident.incidentId,
    title: incident.title,
    businessKey: keyOfBusiness({ name: `漏えい等事案:${incident.title}` }),
    conditionIndex: n - 1,
    condition: input.text,
    type: 'incident_measure',
    owner: 'department',
    ownerName: department.name,
    departmentId: department.departmentId,
    ownerEmail: department.email,
    evidence: FOLLOW_UP_TYPES.incident_measure.evidence,
    due: input.due,
    status: 'open',
    answers: [],
    pendingEvidence: [],
    notified: [],
    createdAt: now,
    version: 1,
  };
  // The count first (two adding at once get different numbers), then the follow-up, then its request.
  await deps.incidents.countMeasure(ref, n, changeOf(deps, viewer, `再発防止策${n}を追加:${input.text}(期限 ${formatEraDate(input.due, { weekday: false })})`));
  await deps.followUps.createAll([fu]);
  const fuRef = { councilId: ref.councilId, consultationId: incident.incidentId, followUpId: fu.followUpId };
  await deps.notifier.notify({ type: 'followup.requested', council, followUp: fu, token: await tokenFor(deps, fu), reminder: false });
  await deps.followUps.markNotified(fuRef, 'request');
  return fu;
}

/**
 * 「次回の会議で報告」: the incident becomes a report item (報告 「漏えい等事案について(所管課)」 with
 * its summary) on the council's next planned meeting, through the agenda's own use case; the
 * incident remembers the meeting. Once.
 */
export async function reportToCouncil(deps: IncidentDeps, principal: Principal | undefined, ref: IncidentRef) {
  const actor = requireRole(principal, ref.councilId, 'secretariat');
  const { incident } = await readIncident(deps, principal, ref);
  if (incident.council) throw new ConflictError('この事案は既に審議会への報告の議題に入っています。');
  const today = tokyoDate(deps.clock.now());
  const [council, meetings, departments] = await Promise.all([
    deps.councils.getCouncil(ref.councilId),
    deps.meetings.list(ref.councilId),
    deps.councils.listDepartments(ref.councilId),
  ]);
  const next = meetings
    .filter((m) => m.status === 'planned' && m.kind === 'meeting' && m.date >= today)
    .sort((a, b) => compareCodes(a.date, b.date) || compareCodes(a.startTime ?? '', b.startTime ?? ''))[0];
  if (!next) throw new DomainError('開催予定の会議がありません。先に会議を登録してから、報告の議題に入れてください。');
  const departmentName = departments.find((d) => d.departmentId === incident.departmentId)?.name ?? '';
  const item = reportItemOf(incident, departmentName);
  const itemId = await addFreeItem(deps, principal, ref.councilId, next.meetingId, {
    kind: 'report',
    title: item.title,
    text: item.text,
    explainers: departmentName || undefined,
    outsideAgenda: undefined,
  });
  const name = meetingName(council, next);
  await deps.incidents.markReported(
    ref,
    { meetingId: next.meetingId, itemId, at: deps.clock.now().toISOString() },
    changeOf(deps, actor, `${name}の報告の議題に追加`),
  );
  return { meetingId: next.meetingId, itemId, name };
}

/**
 * The daily job's part for incidents, for one council (run by the follow-up clock's unit): for
 * each open incident whose 速報 or 確報 is not submitted, a reminder to the department two days
 * before and on the due day, and an escalation to the department's manager and the secretariat
 * once overdue — each once, however often the job runs.
 */
export async function runIncidentClock(deps: IncidentDeps, councilId: string): Promise<{ incidentReminders: number; incidentEscalations: number }> {
  const now = deps.clock.now();
  let incidentReminders = 0;
  let incidentEscalations = 0;
  const open = await deps.incidents.listOpen(councilId);
  const work = open.flatMap((incident) => incidentNoticesDue(incident, now).map((notice) => ({ incident, notice })));
  if (work.length === 0) return { incidentReminders, incidentEscalations };
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  for (const { incident, notice } of work) {
    try {
      const department = departments.find((d) => d.departmentId === incident.departmentId);
      // Sent first and then marked, so a failed send is tried again on the next run (at least once).
      await deps.notifier.notify({ type: 'incident.deadline', council, incident, department, report: notice.report, due: notice.due, kind: notice.kind });
      if (!(await deps.incidents.markNotified(incident, notice.key))) continue;
      if (notice.kind === 'overdue') incidentEscalations++;
      else incidentReminders++;
    } catch (e) {
      logger.error('incident clock: a notice failed', { job: 'followup-clock', councilId, incidentId: incident.incidentId, error: e as Error });
    }
  }
  return { incidentReminders, incidentEscalations };
}
