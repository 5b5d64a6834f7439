import * as z from 'zod/mini';

/**
 * The archive of a whole council (審議会データの書き出し): every item of its partitions as JSON
 * by entity, the CSVs people open in Excel, and its kept attachments, as one zip. Made in the
 * background by the export function; the operator's page polls this record.
 */
export interface CouncilArchive {
  archiveId: string;
  status: 'pending' | 'running' | 'done' | 'failed';
  /** What the job is doing, in Japanese, for the progress page. */
  progress: string;
  partitionsDone: number;
  /** Known once the partitions were listed (0 before). */
  partitionsTotal: number;
  items: number;
  files: number;
  objectKey?: string;
  fileName?: string;
  /** Size of the zip, in bytes. */
  size?: number;
  error?: string;
  requestedBy: string;
  requestedAt: string;
  updatedAt?: string;
  finishedAt?: string;
  /** When the operator first downloaded it: an archive downloaded after the suspension allows the deletion. */
  downloadedAt?: string;
}

/** How long an archive may go without reporting before it counts as lost (longer than the job's timeout and retries). */
export const ARCHIVE_SILENCE_MS = 20 * 60_000;

export function isArchiveLost(a: CouncilArchive, now: Date): boolean {
  if (a.status !== 'pending' && a.status !== 'running') return false;
  return now.getTime() - Date.parse(a.updatedAt ?? a.requestedAt) > ARCHIVE_SILENCE_MS;
}

/** Shown with the percentage on the progress page. */
export const archivePercent = (a: Pick<CouncilArchive, 'status' | 'partitionsDone' | 'partitionsTotal'>) =>
  a.status === 'done' ? 100 : a.partitionsTotal ? Math.min(95, Math.floor((a.partitionsDone / a.partitionsTotal) * 90) + 5) : 0;

/**
 * Whether a council may now be deleted: it is suspended (nothing changes any more), and an
 * archive made after the suspension was finished and downloaded. Otherwise the reason, in Japanese.
 */
export function deletionRefusal(council: { suspendedAt?: string | undefined }, archives: readonly CouncilArchive[]): string | undefined {
  if (!council.suspendedAt) return '削除する前に、審議会の利用を停止してください。';
  const taken = archives.some((a) => a.status === 'done' && a.requestedAt >= council.suspendedAt! && a.downloadedAt);
  if (!taken) return '削除する前に、利用停止の後に書き出したデータ(ZIP)をダウンロードしてください。';
  return undefined;
}

/** The confirmation form: the council's name, typed. */
export const councilDeletionInput = z.lazy(() =>
  z.object({
    confirmName: z
      .string({ error: '確認のため、審議会の名称を入力してください。' })
      .check(z.trim(), z.minLength(1, '確認のため、審議会の名称を入力してください。')),
  }),
);
export type CouncilDeletionInput = z.output<typeof councilDeletionInput>;

export const OPERATOR_ACTIONS: Record<OperatorAuditEvent['action'], string> = {
  'council.create': '開設',
  'council.suspend': '利用停止',
  'council.archive': 'データの書き出し',
  'council.archive.download': '書き出したデータのダウンロード',
  'council.delete.start': '削除(開始)',
  'council.delete.done': '削除(完了)',
};

/** One entry of the operator's own audit trail, kept outside every council (it outlives a deleted one). */
export interface OperatorAuditEvent {
  at: string;
  eventId: string;
  actor: { userId: string; name: string };
  action: 'council.archive' | 'council.archive.download' | 'council.delete.start' | 'council.delete.done' | 'council.suspend' | 'council.create';
  councilId: string;
  councilName: string;
  detail?: string;
}
