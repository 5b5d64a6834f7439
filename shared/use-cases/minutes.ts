import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { meetingName } from '#shared/domain/meeting.ts';
import type { MinutesExport } from '#shared/domain/minutes.ts';
import {
  draftMinutes,
  type ExportRequest,
  type FinalizeMinutesCommand,
  type Minutes,
  type MinutesDocument,
  minutesDocument,
  sameDraft,
} from '#shared/domain/minutes.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { ConflictError, DomainError } from '#shared/errors.ts';
import { meetingRecord } from './meeting-record.ts';
import { indexMinutes } from './search.ts';

type MinutesDeps = Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'agendas' | 'minutes' | 'notifier' | 'clock' | 'attachments' | 'exports' | 'search'>;

/** Lays the minutes out as a file (Word, HTML, CSV), reporting progress: the export job is given one. */
export interface MinutesRenderer {
  render(format: ExportRequest['format'], doc: MinutesDocument, progress: (done: number, total: number) => Promise<void>): Promise<Buffer>;
}

/**
 * The minutes editor: the saved draft, or a first draft prefilled from the meeting (kept at once, so two editors share it).
 * Until someone saves it, the draft is written afresh from the meeting's record when the secretariat opens it, so the
 * roll and the Q&A typed during the meeting reach it.
 */
export async function openMinutes(
  deps: MinutesDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  /** false when a form posted against the draft as shown is read (its version must not move under it). */
  options: { refresh?: boolean } = {},
) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'chair', 'member');
  const src = await meetingRecord(deps, councilId, meetingId);
  let minutes = await deps.minutes.get(councilId, meetingId);
  const refresh = options.refresh !== false && minutes?.status === 'draft' && minutes.fromRecord;
  if (viewer.role === 'secretariat' && (!minutes || refresh)) {
    const entries = await deps.meetings.listEntries(councilId, meetingId);
    const draft = draftMinutes({ ...src, entries, now: deps.clock.now().toISOString(), by: viewer.userId });
    if (!minutes) minutes = await deps.minutes.create(councilId, draft);
    else if (!sameDraft(minutes, { ...draft, version: minutes.version })) {
      try {
        await deps.minutes.save(councilId, { ...draft, version: minutes.version }, minutes.version);
        minutes = { ...draft, version: minutes.version + 1 };
      } catch (e) {
        // Someone saved meanwhile: theirs stands.
        if (!(e instanceof ConflictError)) throw e;
        minutes = (await deps.minutes.get(councilId, meetingId))!;
      }
    }
  }
  if (!minutes) throw new DomainError('会議録はまだ作成されていません。');
  return { viewer, ...src, name: meetingName(src.council, src.meeting), minutes };
}

/** The secretariat's edit of the minutes (read from the form against the minutes it was drawn from). */
export interface MinutesEdit {
  minutes: Omit<Minutes, 'version' | 'status' | 'updatedAt' | 'updatedBy' | 'meetingId'>;
  version: number;
}

/**
 * Saves the secretariat's edits over the version they started from. A second editor who
 * saved first is never overwritten: a ConflictError says so, and the caller keeps the typed text.
 */
export async function saveMinutes(deps: MinutesDeps, principal: Principal | undefined, councilId: string, meetingId: string, edit: MinutesEdit): Promise<void> {
  const actor = requireRole(principal, councilId, 'secretariat');
  const current = await deps.minutes.get(councilId, meetingId);
  if (!current) throw new DomainError('会議録を開き直してください。');
  // Saved by a person: no longer written afresh from the meeting's record.
  const { fromRecord: _drafted, ...saved } = { ...current, ...edit.minutes };
  await deps.minutes.save(councilId, { ...saved, updatedAt: deps.clock.now().toISOString(), updatedBy: actor.userId }, edit.version);
}

/** Makes the minutes final (the version is kept as issued) and sends the members a notice; the secretariat confirms it first. */
export async function finalizeMinutes(
  deps: MinutesDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  _confirmed: FinalizeMinutesCommand,
) {
  const actor = requireRole(principal, councilId, 'secretariat');
  const src = await meetingRecord(deps, councilId, meetingId);
  const minutes = await deps.minutes.get(councilId, meetingId);
  if (!minutes) throw new DomainError('会議録がまだありません。');
  const final = await deps.minutes.finalize(councilId, minutes, deps.clock.now().toISOString(), actor.userId);
  await indexMinutes(deps, councilId, src.meeting, final);
  await deps.notifier.notify({ type: 'minutes.finalized', council: src.council, meetingId, name: meetingName(src.council, src.meeting), members: src.members });
  return final;
}

/** Asks for an export; it is produced in the background and its page shows progress. */
export async function requestExport(
  deps: MinutesDeps,
  principal: Principal | undefined,
  councilId: string,
  meetingId: string,
  request: ExportRequest,
): Promise<string> {
  const actor = requireRole(principal, councilId, 'secretariat', 'chair', 'member');
  if (!(await deps.minutes.get(councilId, meetingId))) throw new DomainError('会議録がまだありません。');
  const job: MinutesExport = {
    exportId: newId(),
    ...request,
    status: 'pending',
    progress: '順番を待っています',
    percent: 0,
    requestedBy: actor.userId,
    requestedAt: deps.clock.now().toISOString(),
  };
  await deps.minutes.putExport(councilId, meetingId, job);
  await deps.exports.start({ councilId, meetingId, exportId: job.exportId });
  return job.exportId;
}

/**
 * How long an export may go without reporting progress before it counts as lost: longer than
 * the job's timeout and its retries' maximum age (infra/routes.ts: BACKGROUND_JOBS.minutesExport).
 */
export const EXPORT_SILENCE_MS = 20 * 60_000;

export function isExportLost(job: MinutesExport, now: Date): boolean {
  if (job.status !== 'pending' && job.status !== 'running') return false;
  return now.getTime() - Date.parse(job.updatedAt ?? job.requestedAt) > EXPORT_SILENCE_MS;
}

const FORMATS = {
  docx: { ext: 'docx', type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
  html: { ext: 'html', type: 'text/html; charset=utf-8' },
  csv: { ext: 'csv', type: 'text/csv; charset=utf-8' },
} as const;

/** The background job: lays the minutes out, renders the format with progress, stores the file. */
export async function runExport(deps: MinutesDeps, renderer: MinutesRenderer, job: { councilId: string; meetingId: string; exportId: string }): Promise<void> {
  const { councilId, meetingId, exportId } = job;
  const record = await deps.minutes.getExport(councilId, meetingId, exportId);
  if (record.status === 'done') return;
  const progress = (percent: number, text: string) =>
    deps.minutes.updateExport(councilId, meetingId, exportId, { status: 'running', percent, progress: text, updatedAt: deps.clock.now().toISOString() });
  try {
    await progress(5, '会議の記録を読み込んでいます');
    const src = await meetingRecord(deps, councilId, meetingId);
    const minutes = (await deps.minutes.get(councilId, meetingId)) as Minutes;
    const doc = minutesDocument({ ...src, minutes, edition: record.edition });
    await progress(20, '文書を組み立てています');
    const body = await renderer.render(record.format, doc, (done, total) =>
      progress(20 + Math.floor((done / total) * 70), `${record.format === 'docx' ? 'Word 文書' : '文書'}を作成しています(${done}/${total})`),
    );
    if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
    const format = FORMATS[record.format];
    const fileName = `${meetingName(src.council, src.meeting)}_会議録${record.edition === 'published' ? '(公開用)' : '(内部用)'}${record.format === 'csv' ? '_決定事項' : ''}.${format.ext}`;
    const objectKey = `c/${councilId}/minutes/${meetingId}/${exportId}.${format.ext}`;
    await progress(95, '保存しています');
    await deps.attachments.put(objectKey, body, format.type);
    await deps.minutes.updateExport(councilId, meetingId, exportId, {
      status: 'done',
      percent: 100,
      progress: '完了しました',
      objectKey,
      fileName,
      finishedAt: deps.clock.now().toISOString(),
    });
  } catch (e) {
    // Lambda tries again; when every attempt has failed, the on-failure destination marks it failed (exportGaveUp).
    await deps.minutes.updateExport(councilId, meetingId, exportId, {
      status: 'running',
      progress: '一時的な問題のため、やり直しを待っています',
      error: String(e).slice(0, 500),
      updatedAt: deps.clock.now().toISOString(),
    });
    throw e;
  }
}

/**
 * The export job's on-failure destination: the invocation failed every attempt (or timed out, or
 * was too old to run), so the export is marked failed for its page to offer a new one.
 */
export async function exportGaveUp(
  deps: Pick<Deps, 'meetings' | 'minutes' | 'clock'>,
  job: { councilId: string; meetingId: string; exportId: string },
  reason: string,
): Promise<void> {
  const record = await deps.minutes.getExport(job.councilId, job.meetingId, job.exportId);
  if (record.status === 'done') return;
  await deps.minutes.updateExport(job.councilId, job.meetingId, job.exportId, {
    status: 'failed',
    progress: '失敗しました',
    error: reason.slice(0, 500),
    updatedAt: deps.clock.now().toISOString(),
  });
}

/** An export's progress, and when done, a short-lived download link. One that stopped reporting is shown as failed. */
export async function exportStatus(deps: MinutesDeps, principal: Principal | undefined, councilId: string, meetingId: string, exportId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'chair', 'member');
  const stored = await deps.minutes.getExport(councilId, meetingId, exportId);
  const job: MinutesExport = isExportLost(stored, deps.clock.now()) ? { ...stored, status: 'failed', progress: '応答がなくなりました' } : stored;
  const download =
    job.status === 'done' && job.objectKey && deps.attachments
      ? await deps.attachments.presignDownload(job.objectKey, job.fileName ?? 'minutes', FORMATS[job.format].type)
      : undefined;
  return { viewer, job, download, at: { councilId, meetingId } };
}
