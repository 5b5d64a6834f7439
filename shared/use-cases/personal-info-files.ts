import type * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { excelCsv } from '#shared/csv.ts';
import { compareCodes } from '#shared/domain/collation.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { registerVariant } from '#shared/domain/legal-basis.ts';
import { type AgendaItem, meetingName } from '#shared/domain/meeting.ts';
import {
  abolishFileCommand,
  changeFileCommands,
  contentChanges,
  contentOf,
  createFileCommands,
  currentFiles,
  type FileHistoryEntry,
  MAX_ENTRY_BYTES,
  type PersonalInfoFile,
  publicColumns,
  publicRow,
  REGISTER_TEXT,
  registerEvents,
  reportPeriod,
  reportText,
  yearlyReportCommand,
} from '#shared/domain/personal-info-files.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { fileDocument } from '#shared/domain/search.ts';
import { ConflictError, DomainError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { frameAgenda, makeRoom } from './agenda.ts';
import { indexDocument } from './search.ts';

type FileDeps = Pick<Deps, 'councils' | 'personalInfoFiles' | 'meetings' | 'clock' | 'search'>;
type ReportDeps = FileDeps & Pick<Deps, 'agendas'>;

/** Who keeps the register: each department its own entries, the secretariat every department's. */
const keeper = (principal: Principal | undefined, councilId: string) => requireRole(principal, councilId, 'department', 'secretariat');

/** A department sees only its own entries: another's is not found, as if it were not there. */
function visible(file: PersonalInfoFile, viewer: Principal): PersonalInfoFile {
  if (viewer.role === 'department' && file.departmentId !== viewer.departmentId) throw new NotFoundError('ファイルが見つかりません。');
  return file;
}

/** An entry by the id in its URL (an id that cannot be one is not found either). */
const getFile = (deps: FileDeps, councilId: string, fileId: string) =>
  ID_PATTERN.test(fileId) ? deps.personalInfoFiles.get(councilId, fileId) : Promise.reject(new NotFoundError('ファイルが見つかりません。'));

/** Parses a form with the variant's schema; its refusals go beside the fields. */
function parse<S extends z.ZodMiniType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) fields[issue.path.map(String).join('.') || '_form'] ??= issue.message;
  throw new InvalidInputError(fields);
}

const historyBy = (viewer: Principal) => ({ userId: viewer.userId, name: viewer.name });

async function councilAndDepartments(deps: FileDeps, councilId: string) {
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  const names = new Map(departments.map((d) => [d.departmentId, d.name]));
  return { council, departments, variant: registerVariant(council), departmentName: (id: string) => names.get(id) ?? id };
}

/**
 * The register page: a department's own entries, or (the secretariat) every department's, with
 * the planned meetings a yearly report can go to.
 */
export async function viewFiles(deps: FileDeps, principal: Principal | undefined, councilId: string, filter: { departmentId?: string | undefined } = {}) {
  const viewer = keeper(principal, councilId);
  const { council, departments, variant, departmentName } = await councilAndDepartments(deps, councilId);
  const own = viewer.role === 'department';
  // The secretariat may narrow the list to one department (an unknown one is ignored, as an edited link).
  const chosen = !own && filter.departmentId && departments.some((d) => d.departmentId === filter.departmentId) ? filter.departmentId : undefined;
  const of = own ? viewer.departmentId : chosen;
  const [files, meetings] = await Promise.all([
    of ? deps.personalInfoFiles.listOfDepartment(councilId, of) : own ? Promise.resolve([]) : deps.personalInfoFiles.list(councilId),
    own ? Promise.resolve([]) : deps.meetings.list(councilId),
  ]);
  const planned = meetings
    .filter((m) => m.status === 'planned')
    .sort((a, b) => compareCodes(a.date, b.date))
    .map((m) => ({ meetingId: m.meetingId, name: `${meetingName(council, m)}(${formatEraDate(m.date, { weekday: false })})` }));
  const sorted = files
    .filter((f) => !own || f.departmentId === viewer.departmentId)
    .sort(
      (a, b) =>
        Number(Boolean(a.abolished)) - Number(Boolean(b.abolished)) ||
        departmentName(a.departmentId).localeCompare(departmentName(b.departmentId), 'ja') ||
        a.content.name.localeCompare(b.content.name, 'ja'),
    );
  return { viewer, council, variant, departments, departmentName, files: sorted, meetings: planned, departmentId: chosen };
}

/** The form for a new entry: the council's variant, and (for the secretariat) the departments to choose from. */
export async function newFileForm(deps: FileDeps, principal: Principal | undefined, councilId: string) {
  const viewer = keeper(principal, councilId);
  const { council, departments, variant } = await councilAndDepartments(deps, councilId);
  return { viewer, council, departments, variant };
}

/** One entry, with its history; a department reads only its own. */
export async function viewFile(deps: FileDeps, principal: Principal | undefined, councilId: string, fileId: string) {
  const viewer = keeper(principal, councilId);
  const [file, { council, departments, departmentName }] = await Promise.all([getFile(deps, councilId, fileId), councilAndDepartments(deps, councilId)]);
  return { viewer, council, departments, departmentName, file: visible(file, viewer) };
}

/** An entry's change form: only while it is in force. */
export async function fileToChange(deps: FileDeps, principal: Principal | undefined, councilId: string, fileId: string) {
  const view = await viewFile(deps, principal, councilId, fileId);
  if (view.file.abolished) throw new DomainError('廃止したファイルは変更できません。');
  return view;
}

/**
 * Registers an entry under the council's variant: a department's is its own; the secretariat
 * names the department. Its history starts with its creation (作成日 / 開始日 as given).
 */
export async function createFile(deps: FileDeps, principal: Principal | undefined, councilId: string, input: unknown): Promise<PersonalInfoFile> {
  const viewer = keeper(principal, councilId);
  const { departments, variant } = await councilAndDepartments(deps, councilId);
  const command = parse(createFileCommands[variant], input);
  const departmentId = viewer.role === 'department' ? viewer.departmentId : command.departmentId;
  if (!departmentId || !departments.some((d) => d.departmentId === departmentId))
    throw new InvalidInputError({
      departmentId: viewer.role === 'department' ? '所属の課が登録されていません。事務局に連絡してください。' : '所管課を選んでください。',
    });
  const now = deps.clock.now().toISOString();
  const file: PersonalInfoFile = {
    councilId,
    fileId: newId(),
    departmentId,
    variant,
    content: contentOf(variant, command),
    startedOn: command.startedOn,
    history: [{ version: 1, at: now, by: historyBy(viewer), action: 'created', on: command.startedOn }],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
  await deps.personalInfoFiles.create(file);
  await indexDocument(deps, councilId, fileDocument(file));
  return file;
}

/** An entry still in force, as its keeper may change it. */
async function changeable(deps: FileDeps, viewer: Principal, councilId: string, fileId: string, version: number) {
  const file = visible(await getFile(deps, councilId, fileId), viewer);
  if (file.abolished) throw new DomainError('廃止したファイルは変更できません。');
  if (file.version !== version) throw new ConflictError('他の方が先にこのファイルの内容を更新しました。最新の内容を確認してから、もう一度操作してください。');
  return file;
}

/**
 * Changes an entry from the version its form showed: the changed fields, before and after, go
 * into its history with the day the change took effect (変更日). Nothing changed, nothing written.
 */
export async function changeFile(
  deps: FileDeps,
  principal: Principal | undefined,
  councilId: string,
  fileId: string,
  input: unknown,
): Promise<PersonalInfoFile> {
  const viewer = keeper(principal, councilId);
  const current = visible(await getFile(deps, councilId, fileId), viewer);
  const command = parse(changeFileCommands[current.variant], input);
  const file = await changeable(deps, viewer, councilId, fileId, command.version);
  if (command.changedOn < file.startedOn)
    throw new InvalidInputError({
      changedOn: `変更日は${REGISTER_TEXT[file.variant].started}(${formatEraDate(file.startedOn, { weekday: false })})以後にしてください。`,
    });
  const content = contentOf(file.variant, command);
  const changes = contentChanges(file.variant, file.content, content);
  if (!changes.length) throw new InvalidInputError({ _form: '変更された項目がありません。' });
  const now = deps.clock.now().toISOString();
  const entry: FileHistoryEntry = { version: file.version + 1, at: now, by: historyBy(viewer), action: 'changed', on: command.changedOn, changes };
  const changed: PersonalInfoFile = { ...file, content, history: [...file.history, entry], updatedAt: now, version: file.version + 1 };
  if (Buffer.byteLength(JSON.stringify(changed), 'utf8') > MAX_ENTRY_BYTES)
    throw new DomainError('このファイルの変更の履歴が、保存できる大きさを超えます。新しいファイルとして登録し直し、このファイルを廃止してください。');
  await deps.personalInfoFiles.replace(changed, file.version);
  await indexDocument(deps, councilId, fileDocument(changed));
  return changed;
}

/** 廃止: the entry stays, with its 廃止日 and reason, and leaves the public register. */
export async function abolishFile(
  deps: FileDeps,
  principal: Principal | undefined,
  councilId: string,
  fileId: string,
  input: unknown,
): Promise<PersonalInfoFile> {
  const viewer = keeper(principal, councilId);
  const command = parse(abolishFileCommand, input);
  const file = await changeable(deps, viewer, councilId, fileId, command.version);
  if (command.abolishedOn < file.startedOn)
    throw new InvalidInputError({
      abolishedOn: `廃止日は${REGISTER_TEXT[file.variant].started}(${formatEraDate(file.startedOn, { weekday: false })})以後にしてください。`,
    });
  const now = deps.clock.now().toISOString();
  const entry: FileHistoryEntry = {
    version: file.version + 1,
    at: now,
    by: historyBy(viewer),
    action: 'abolished',
    on: command.abolishedOn,
    reason: command.reason,
  };
  const abolished: PersonalInfoFile = {
    ...file,
    abolished: { on: command.abolishedOn, reason: command.reason },
    history: [...file.history, entry],
    updatedAt: now,
    version: file.version + 1,
  };
  await deps.personalInfoFiles.replace(abolished, file.version);
  await indexDocument(deps, councilId, fileDocument(abolished));
  return abolished;
}

/** The public register: every entry in force of the council's variant, by department then name (abolished ones are left out). */
export async function publicRegister(deps: FileDeps, principal: Principal | undefined, councilId: string) {
  requireRole(principal, councilId, 'secretariat');
  const [{ council, variant, departmentName }, files] = await Promise.all([councilAndDepartments(deps, councilId), deps.personalInfoFiles.list(councilId)]);
  const current = currentFiles(
    files.filter((f) => f.variant === variant),
    departmentName,
  );
  return {
    council,
    variant,
    asOf: deps.clock.now().toISOString(),
    columns: publicColumns(variant),
    rows: current.map((f) => publicRow(f, departmentName(f.departmentId))),
  };
}

/** The public register as a CSV for Excel (UTF-8 with BOM, one row per entry, Japanese header). */
export async function publicRegisterCsv(deps: FileDeps, principal: Principal | undefined, councilId: string): Promise<{ csv: Buffer; fileName: string }> {
  const register = await publicRegister(deps, principal, councilId);
  return { csv: excelCsv([register.columns, ...register.rows]), fileName: `${REGISTER_TEXT[register.variant].publicTitle(register.council.municipality)}.csv` };
}

/** The agenda item a period's report is, on a meeting: found again by its id, so a second run updates it. */
const reportItemIds = (periodKey: string) => [`register-${periodKey}`, ...Array.from({ length: 9 }, (_, k) => `register-${periodKey}-${k + 2}`)];

/**
 * The yearly report: every start, change and abolition within the period, as a report item
 * (報告) on a planned meeting's agenda with the list in its details. Run again for the same
 * period and meeting, it rewrites that item (a removed one is left removed and a new one made).
 */
export async function reportToMeeting(deps: ReportDeps, principal: Principal | undefined, councilId: string, input: unknown) {
  requireRole(principal, councilId, 'secretariat');
  const command = parse(yearlyReportCommand, input);
  if (command.year < 2000 || command.year > 2200) throw new InvalidInputError({ year: '年は2000から2200までで入力してください。' });
  const [{ council, variant, departmentName }, files] = await Promise.all([councilAndDepartments(deps, councilId), deps.personalInfoFiles.list(councilId)]);
  const meeting = await deps.meetings.get(councilId, command.meetingId).catch((e) => {
    if (e instanceof NotFoundError) throw new InvalidInputError({ meetingId: '報告する会議を選んでください。' });
    throw e;
  });
  if (meeting.status !== 'planned') throw new InvalidInputError({ meetingId: '報告できるのは開催予定の会議だけです。' });
  const period = reportPeriod(command.periodKind, command.year);
  const events = registerEvents(
    files.filter((f) => f.variant === variant),
    period,
  );
  const title = REGISTER_TEXT[variant].reportTitle(period.label);
  const text = reportText(variant, period, events, departmentName);
  const items = await frameAgenda(deps, councilId, meeting);
  const result = (itemId: string, updated: boolean) => ({ meetingId: meeting.meetingId, itemId, events, updated, name: meetingName(council, meeting) });
  const ids = reportItemIds(period.key);
  const live = ids.find((id) => items.some((i) => i.itemId === id));
  if (live) {
    await deps.agendas.update(councilId, meeting.meetingId, live, { title, text });
    return result(live, true);
  }
  const order = await makeRoom(deps, councilId, meeting.meetingId, items, 'report');
  const addedAt = deps.clock.now().toISOString();
  for (const itemId of ids) {
    const item: AgendaItem = { itemId, kind: 'report', order, title, text, consultationIds: [], addedAt };
    if (await deps.agendas.addOnce(councilId, meeting.meetingId, item)) return result(itemId, false);
    // The id is taken by an item removed from the agenda: the next one.
  }
  throw new DomainError('この期間の報告はこの会議で何度も削除されています。別の会議を選んでください。');
}
