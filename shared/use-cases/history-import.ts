import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { excelCsv } from '#shared/csv.ts';
import type { Answer } from '#shared/domain/answer.ts';
import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { ConsultationDraft } from '#shared/domain/consultation-form.ts';
import { type Department, RUNNING_SERIES } from '#shared/domain/council.ts';
import { fiscalYear, formatEraDate } from '#shared/domain/era.ts';
import { addDays, planFollowUps, tokyoDate } from '#shared/domain/followups.ts';
import {
  IMPORT_COLUMNS,
  type ImportConfirmCommand,
  type ImportRow,
  importConfirmInput,
  importedCaseId,
  parseHistoryCsv,
} from '#shared/domain/history-import.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { ConflictError, DomainError } from '#shared/errors.ts';
import { href } from '#shared/routes.ts';
import { actorOfPrincipal } from './audit.ts';
import { indexAnswer, indexCase, indexConditions } from './search.ts';

type ImportDeps = Pick<Deps, 'councils' | 'consultations' | 'followUps' | 'attachments' | 'clock' | 'settings' | 'search'>;

/**
 * What the upload policy lets through: more than the import reads (IMPORT_MAX_BYTES), so a file
 * a little too big reaches the app and is refused with a message, not by storage's own error.
 */
const UPLOAD_POLICY_BYTES = 8 * 1024 * 1024;
/** Cases written at once when the import is confirmed (each a few single-item writes). */
export const WRITE_CONCURRENCY = 16;

const uploadPrefix = (councilId: string) => `imports/${councilId}/`;
const store = (deps: ImportDeps) => {
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  return deps.attachments;
};

/** One row of the preview: to be written, or written already by an earlier import of the same file. */
export interface PlannedRow {
  row: ImportRow;
  state: 'new' | 'done';
}

/** The file checked against the council: the rows, or every problem; and where each fiscal year's numbering will continue. */
export type ImportPlan =
  | { ok: true; rows: PlannedRow[]; nextNumbers: { fiscalYear: number; next: number }[] }
  | { ok: false; errors: string[]; rows: PlannedRow[] };

/** The import page: a direct-upload form to storage (the CSV never passes through the API). */
export async function viewImport(deps: ImportDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const [council, upload] = await Promise.all([
    deps.councils.getCouncil(councilId),
    store(deps).presignUpload({
      keyPrefix: `${uploadPrefix(councilId)}${newId()}/`,
      redirectTo: `${deps.settings.APP_BASE_URL}${href('ImportUploaded', { councilId })}`,
      maxBytes: UPLOAD_POLICY_BYTES,
    }),
  ]);
  return { viewer, council, upload };
}

/** An upload key of this council's imports, or a refusal: a key naming anything else is never read. */
function checkedKey(councilId: string, key: string | undefined): ImportConfirmCommand['key'] {
  const parsed = importConfirmInput.safeParse({ key });
  if (!parsed.success || !parsed.data.key.startsWith(uploadPrefix(councilId)))
    throw new DomainError('取り込むファイルの指定が正しくありません。もう一度アップロードしてください。');
  return parsed.data.key;
}

const fileNameOf = (key: string) => key.slice(key.lastIndexOf('/') + 1);

/** Every numbered case of a fiscal year, read from the register a page at a time (numbered cases sort before unnumbered ones). */
async function numberedIn(deps: ImportDeps, councilId: string, fiscalYear: number): Promise<Consultation[]> {
  const found: Consultation[] = [];
  let after: string | undefined;
  for (;;) {
    const slice = await deps.consultations.registerSlice(councilId, { order: 'oldest', fiscalYear, after, limit: 200 });
    for (const e of slice) if (e.consultation.number) found.push(e.consultation);
    if (slice.length < 200 || !slice.at(-1)!.consultation.number) return found;
    after = slice.at(-1)!.position;
  }
}

/**
 * Reads the file and checks it against the council: its departments, and the numbers its cases
 * already hold. A number held by the case an earlier import of the same row wrote is that row,
 * done; held by any other case, it is the row's error.
 */
async function planImport(deps: ImportDeps, councilId: string, bytes: Uint8Array, departments: Department[]): Promise<ImportPlan> {
  const parsed = parseHistoryCsv(bytes, departments, tokyoDate(deps.clock.now()));
  if (!parsed.ok) return { ok: false, errors: parsed.errors, rows: [] };
  const years = [...new Set(parsed.rows.map((r) => r.number.fiscalYear))].sort();
  const held = new Map<string, Consultation>();
  const last = new Map<number, number>();
  await Promise.all(
    years.map(async (fy) => {
      const [cases, numbers] = await Promise.all([numberedIn(deps, councilId, fy), deps.councils.lastNumbers(councilId, fy)]);
      for (const c of cases) held.set(`${fy}#${c.number!.n}`, c);
      last.set(fy, numbers.consultation);
    }),
  );
  const errors: string[] = [];
  const rows: PlannedRow[] = [];
  for (const row of parsed.rows) {
    const holder = held.get(`${row.number.fiscalYear}#${row.number.n}`);
    if (!holder) rows.push({ row, state: 'new' });
    else if (holder.consultationId === importedCaseId(councilId, row.number) && holder.form.title === row.title) rows.push({ row, state: 'done' });
    else errors.push(`${row.line}行目 ${formatConsultationNumber(row.number)}は、既に「${holder.form.title}」に付いています。`);
  }
  if (errors.length) return { ok: false, errors, rows };
  const nextNumbers = years.map((fy) => ({
    fiscalYear: fy,
    next: Math.max(last.get(fy) ?? 0, ...parsed.rows.filter((r) => r.number.fiscalYear === fy).map((r) => r.number.n)) + 1,
  }));
  return { ok: true, rows, nextNumbers };
}

/**
 * Storage sends the browser back here after the upload: the file is read and checked, and the
 * preview shows what would be written — or every row's problem. A file with problems is deleted
 * at once (there is nothing to confirm); a good one waits in storage for the confirm button.
 */
export async function previewImport(deps: ImportDeps, principal: Principal | undefined, councilId: string, key: string | undefined) {
  const viewer = requireRole(principal, councilId, 'secretariat');
  const checked = checkedKey(councilId, key);
  const [bytes, departments] = await Promise.all([store(deps).read(checked), deps.councils.listDepartments(councilId)]);
  if (!bytes)
    throw new ConflictError(
      'アップロードされたファイルが見つかりません。取り込み済みか、時間が経って消えました。諮問一覧を確かめ、必要ならもう一度アップロードしてください。',
    );
  const plan = await planImport(deps, councilId, bytes, departments);
  // Nothing to confirm (problems, or every row written already): the upload goes at once.
  if (!plan.ok || plan.rows.every((r) => r.state === 'done')) await store(deps).purge(checked);
  return { ...(await viewImport(deps, viewer, councilId)), plan, key: checked, fileName: fileNameOf(checked), currentFiscalYear: fiscalYear(deps.clock.now()) };
}

const startOfDay = (day: string) => new Date(`${day}T00:00:00+09:00`).toISOString();

/** What one row becomes: a closed (or followed-up) case with its number, its answer, and a follow-up per open condition. */
function recordsOf(v: {
  row: ImportRow;
  councilId: string;
  council: { name: string; municipality: string };
  department: Department | undefined;
  viewer: Principal;
  now: Date;
}) {
  const { row, councilId, now } = v;
  const at = now.toISOString();
  const consultationId = importedCaseId(councilId, row.number);
  const open = row.conditions.some((c) => !c.done);
  const consultation: Consultation = {
    councilId,
    consultationId,
    departmentId: row.departmentId,
    form: { title: row.title, businesses: [{ name: row.businessName }] } as ConsultationDraft,
    status: row.outcome !== 'carried_over' && open ? 'followups_open' : 'closed',
    number: row.number,
    returns: 0,
    imported: {
      outcome: row.outcome,
      decidedOn: row.decidedOn,
      ...(row.answeredOn ? { answeredOn: row.answeredOn } : {}),
      importedAt: at,
      importedBy: v.viewer.name,
    },
    createdBy: v.viewer.userId,
    createdAt: startOfDay(row.consultedOn),
    submittedAt: startOfDay(row.consultedOn),
    updatedAt: at,
    version: 1,
  };
  if (row.outcome === 'carried_over' || !row.answeredOn) return { consultation, answer: undefined, followUps: [] };
  const texts = row.conditions.map((c) => c.text);
  const answer: Answer = {
    consultationId,
    title: row.title,
    number: row.number,
    outcome: row.outcome,
    conditions: row.outcome === 'approved_with_conditions' ? texts : [],
    opinions: row.outcome === 'approved_with_opinions' ? texts : [],
    state: 'approved',
    decidedOn: row.decidedOn,
    councilName: v.council.name,
    addressee: `${v.council.municipality}長`,
    issuedOn: row.answeredOn,
    submittedAt: startOfDay(row.consultedOn),
  };
  // Due the usual time after the answer (by the condition's kind, as for a new answer); a due date
  // already past becomes the same time from today, so an old open condition is not overdue on day one.
  const today = tokyoDate(now);
  const followUps = planFollowUps({ answer, consultation, department: v.department, now: at })
    .filter((_, i) => row.conditions[i] && !row.conditions[i].done)
    .map((fu) => {
      if (fu.due >= today) return fu;
      const period = Math.round((Date.parse(fu.due) - Date.parse(row.answeredOn!)) / 86_400_000);
      return { ...fu, due: addDays(today, Math.max(period, 30)) };
    });
  return { consultation, answer, followUps };
}

/**
 * Runs `work` over `items`, at most `width` at a time, taking no new item after `deadline` (ms since
 * the epoch) — but always the first `width`, so every press makes progress; returns how many it took.
 */
async function inPool<T>(items: readonly T[], width: number, deadline: number, work: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length && (next < width || Date.now() < deadline)) await work(items[next++]!);
    }),
  );
  return next;
}

/**
 * How long one press of the button takes (reading and checking, then writing) before it answers: well within the page function's
 * timeout (28 s deployed, 10 s on the local stack). A big file on a slow table takes more than one
 * press; each goes on where the last one stopped (rows written are found and skipped).
 */
export const IMPORT_WRITE_BUDGET_MS = 6000;

/**
 * The confirm button: the same file is read and checked again (nothing the preview showed is
 * trusted), then each fiscal year's numbering is moved past the imported numbers — first, so no
 * acceptance can take one of them meanwhile — and every row not yet there is written with
 * conditional puts: its answer, a follow-up per open condition, then the case (its number's id).
 * A double click or a crash and a second import of the same file write nothing twice. Writing stops
 * taking rows after `budgetMs`; the rest waits for the next press (`remaining`). The upload is
 * deleted once every row is written.
 */
export async function confirmImport(
  deps: ImportDeps,
  principal: Principal | undefined,
  councilId: string,
  command: ImportConfirmCommand,
  sourceIp?: string,
  budgetMs = IMPORT_WRITE_BUDGET_MS,
): Promise<
  | { ok: true; written: number; skipped: number; remaining: number; nextNumbers: { fiscalYear: number; next: number }[]; key: string }
  | { ok: false; preview: Awaited<ReturnType<typeof previewImport>> }
> {
  const deadline = Date.now() + budgetMs;
  const viewer = requireRole(principal, councilId, 'secretariat');
  const key = checkedKey(councilId, command.key);
  const [bytes, departments, council] = await Promise.all([
    store(deps).read(key),
    deps.councils.listDepartments(councilId),
    deps.councils.getCouncil(councilId),
  ]);
  if (!bytes) throw new ConflictError('このファイルは取り込み済みか、時間が経って消えました。諮問一覧で確かめ、必要ならもう一度アップロードしてください。');
  const first = await planImport(deps, councilId, bytes, departments);
  if (!first.ok) return { ok: false, preview: await previewImport(deps, viewer, councilId, key) };
  let moved = false;
  for (const { fiscalYear, next } of first.nextNumbers) moved = (await deps.councils.continueSeries('consultation', councilId, fiscalYear, next)) || moved;
  // A council numbering as one running series continues that series after the highest number imported, too.
  const runningNext = Math.max(0, ...first.nextNumbers.map((n) => n.next));
  if (council.numbering === 'running' && runningNext > 0)
    moved = (await deps.councils.continueSeries('consultation', councilId, RUNNING_SERIES, runningNext)) || moved;
  // Checked again once a counter moved past the numbers: an acceptance that took one just before is caught here.
  const plan = moved ? await planImport(deps, councilId, bytes, departments) : first;
  if (!plan.ok) return { ok: false, preview: await previewImport(deps, viewer, councilId, key) };
  const now = deps.clock.now();
  const actor = actorOfPrincipal(viewer);
  const fresh = plan.rows.filter((r) => r.state === 'new');
  let written = 0;
  const taken = await inPool(fresh, WRITE_CONCURRENCY, deadline, async ({ row }) => {
    const department = departments.find((d) => d.departmentId === row.departmentId);
    const records = recordsOf({ row, councilId, council, department, viewer, now });
    const ref = { councilId, consultationId: records.consultation.consultationId };
    // The case last: once it is there, the row is whole (a row found written is skipped by the next press or import).
    if (records.answer) await deps.consultations.putAnswer(ref, records.answer);
    if (records.followUps.length) await deps.followUps.createAll(records.followUps);
    if (!(await deps.consultations.create(records.consultation))) return;
    written++;
    // Found by the precedent search at once (their answers and conditions too).
    await indexCase(deps, records.consultation);
    if (records.answer) await indexAnswer(deps, records.consultation, records.answer);
    await indexConditions(deps, records.consultation, records.followUps);
    await deps.consultations.appendAudit(ref, {
      at: now.toISOString(),
      eventId: newId(6),
      actor,
      action: '過去の記録から取り込み',
      detail: `${formatConsultationNumber(row.number)} 審議日 ${formatEraDate(row.decidedOn, { weekday: false })}(${fileNameOf(key)} ${row.line}行目)`,
      ...(sourceIp ? { sourceIp } : {}),
    });
  });
  const remaining = fresh.length - taken;
  if (remaining === 0) await store(deps).purge(key);
  return { ok: true, written, skipped: plan.rows.length - fresh.length, remaining, nextNumbers: plan.nextNumbers, key };
}

/** The template: a CSV Excel opens as UTF-8 (with a byte-order mark), holding the header row only. */
export async function importTemplate(deps: Pick<ImportDeps, 'councils'>, principal: Principal | undefined, councilId: string) {
  requireRole(principal, councilId, 'secretariat');
  const council = await deps.councils.getCouncil(councilId);
  return { csv: excelCsv([[...IMPORT_COLUMNS]]), fileName: `過去の諮問_取込用_${council.name}.csv` };
}
