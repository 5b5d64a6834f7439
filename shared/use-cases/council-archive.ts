import { Readable } from 'node:stream';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import type { Item } from '#shared/adapters/store/items.ts';
import { compareCodes } from '#shared/domain/collation.ts';
import type { Council } from '#shared/domain/council.ts';
import { type CouncilArchive, type CouncilDeletionInput, deletionRefusal, isArchiveLost, type OperatorAuditEvent } from '#shared/domain/council-archive.ts';
import { formatWesternDate } from '#shared/domain/era.ts';
import { type Principal, requireOperator } from '#shared/domain/principal.ts';
import { DomainError, InvalidInputError, NotFoundError } from '#shared/errors.ts';

type ArchiveDeps = Pick<Deps, 'councils' | 'councilData' | 'attachments' | 'exports' | 'clock'>;

/** Lays the archive out as one file (the zip of templates/archive), given what it holds, as a stream. */
export interface ArchiveWriter {
  write(content: {
    council: Council;
    exportedAt: string;
    items: ReadonlyMap<string, readonly Item[]>;
    /** Each file's bytes, read when the writer comes to it. */
    files: readonly { path: string; body: Readable }[];
  }): Promise<AsyncIterable<Uint8Array>>;
}

/** The background jobs the export function runs for the operator (beside the minutes exports). */
export type CouncilJob = { job: 'councilArchive'; councilId: string; archiveId: string } | { job: 'councilDelete'; councilId: string };

/**
 * Where a council's objects live in the bucket: uploads and exports under `c/<c>/`, kept files
 * under `kept/c/<c>/`, history-import uploads under `imports/<c>/` (deleted once read; any left are purged with the council).
 */
export function councilPrefixes(councilId: string) {
  const uploads = `c/${councilId}/`;
  return { uploads, kept: `kept/${uploads}`, imports: `imports/${councilId}/` };
}

async function trail(
  deps: Pick<Deps, 'councilData' | 'clock'>,
  actor: Principal,
  council: Pick<Council, 'councilId' | 'name'>,
  action: OperatorAuditEvent['action'],
  detail?: string,
) {
  await deps.councilData.audit({
    at: deps.clock.now().toISOString(),
    eventId: newId(),
    actor: { userId: actor.userId, name: actor.name },
    action,
    councilId: council.councilId,
    councilName: council.name,
    ...(detail ? { detail } : {}),
  });
}

const liveCouncil = async (deps: Pick<Deps, 'councils'>, councilId: string) => {
  const council = await deps.councils.getCouncil(councilId);
  if (council.deletingAt) throw new DomainError('この審議会は削除の処理中です。');
  return council;
};

/** The operator asks for an archive of a whole council; it is made in the background and its page shows progress. */
export async function requestArchive(deps: ArchiveDeps, principal: Principal | undefined, councilId: string): Promise<string> {
  const actor = requireOperator(principal);
  const council = await liveCouncil(deps, councilId);
  const archive: CouncilArchive = {
    archiveId: newId(),
    status: 'pending',
    progress: '順番を待っています',
    partitionsDone: 0,
    partitionsTotal: 0,
    items: 0,
    files: 0,
    requestedBy: actor.userId,
    requestedAt: deps.clock.now().toISOString(),
  };
  await deps.councilData.putArchive(councilId, archive);
  await trail(deps, actor, council, 'council.archive', archive.archiveId);
  await deps.exports.start({ job: 'councilArchive', councilId, archiveId: archive.archiveId } satisfies CouncilJob);
  return archive.archiveId;
}

/** Progress is written at most this often (and at each stage), so a council of many cases costs few extra writes. */
const PROGRESS_EVERY_MS = 1000;

/**
 * The background job: reads every partition of the council (a Query each, following every
 * page), sorts the items by entity, adds the kept files, writes the zip to the bucket.
 */
export async function runArchive(deps: ArchiveDeps, writer: ArchiveWriter, job: { councilId: string; archiveId: string }): Promise<void> {
  const { councilId, archiveId } = job;
  const record = await deps.councilData.getArchive(councilId, archiveId);
  if (record.status === 'done') return;
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  const store = deps.attachments;
  const update = (changes: Partial<CouncilArchive>) =>
    deps.councilData.updateArchive(councilId, archiveId, { status: 'running', ...changes, updatedAt: deps.clock.now().toISOString() });
  try {
    await update({ progress: '保存されている項目を探しています', partitionsDone: 0, items: 0, files: 0 });
    const council = await deps.councils.getCouncil(councilId);
    const partitions = await deps.councilData.partitions(councilId);
    const items = new Map<string, Item[]>();
    let count = 0;
    let reported = Date.now();
    for (const [i, partition] of partitions.entries()) {
      for (const item of await deps.councilData.readPartition(partition)) {
        const type = typeof item['_type'] === 'string' ? item['_type'] : 'unknown';
        (items.get(type) ?? items.set(type, []).get(type)!).push(item);
        count++;
      }
      if (Date.now() - reported >= PROGRESS_EVERY_MS || i === partitions.length - 1) {
        reported = Date.now();
        await update({ progress: '項目を読み込んでいます', partitionsDone: i + 1, partitionsTotal: partitions.length, items: count });
      }
    }
    const kept = councilPrefixes(councilId).kept;
    const keys = await store.list(kept);
    await update({ progress: 'ZIP ファイルを作成しています', files: 0 });
    // The files go into the zip one at a time, each read from the bucket only when the zip comes to it
    // and uploaded in parts as it is written: however many gigabytes a council holds, the job holds a
    // part and a file's chunk. (A file deleted meanwhile fails the attempt; the next one lists again.)
    let progress = Promise.resolve();
    const opened = (n: number) => {
      if (Date.now() - reported < PROGRESS_EVERY_MS && n < keys.length) return;
      reported = Date.now();
      progress = progress.then(() => update({ progress: `添付ファイルを書き出しています(${n}/${keys.length})`, files: n }));
      progress.catch(() => undefined); // awaited below: its failure fails the job there
    };
    const files = keys.map((key, i) => ({
      path: key.slice(kept.length),
      body: Readable.from(
        (async function* () {
          opened(i + 1);
          yield* store.readStream(key);
        })(),
        { objectMode: false },
      ),
    }));
    const exportedAt = deps.clock.now().toISOString();
    const objectKey = `${councilPrefixes(councilId).uploads}archive/${archiveId}.zip`;
    const size = await store.putStream(objectKey, await writer.write({ council, exportedAt, items, files }), 'application/zip');
    await progress;
    await deps.councilData.updateArchive(councilId, archiveId, {
      status: 'done',
      progress: '完了しました',
      objectKey,
      fileName: `${council.name}_データ_${formatWesternDate(exportedAt).replaceAll('/', '')}.zip`,
      files: keys.length,
      size,
      finishedAt: deps.clock.now().toISOString(),
      updatedAt: deps.clock.now().toISOString(),
    });
  } catch (e) {
    // Lambda tries again; when every attempt failed, the on-failure destination marks it failed (archiveGaveUp).
    await update({ progress: '一時的な問題のため、やり直しを待っています', error: String(e).slice(0, 500) }).catch(() => undefined);
    throw e;
  }
}

/** The on-failure destination: every attempt failed, so the archive is marked failed for its page to offer a new one. */
export async function archiveGaveUp(deps: Pick<Deps, 'councilData' | 'clock'>, job: { councilId: string; archiveId: string }, reason: string): Promise<void> {
  const record = await deps.councilData.getArchive(job.councilId, job.archiveId).catch(() => undefined);
  if (!record || record.status === 'done') return;
  await deps.councilData.updateArchive(job.councilId, job.archiveId, {
    status: 'failed',
    progress: '失敗しました',
    error: reason.slice(0, 500),
    updatedAt: deps.clock.now().toISOString(),
  });
}

/** An archive's progress page: the council, the record (one that stopped reporting shows as failed). */
export async function archiveStatus(deps: ArchiveDeps, principal: Principal | undefined, councilId: string, archiveId: string) {
  const viewer = requireOperator(principal);
  const [council, stored] = await Promise.all([deps.councils.getCouncil(councilId), deps.councilData.getArchive(councilId, archiveId)]);
  const archive: CouncilArchive = isArchiveLost(stored, deps.clock.now()) ? { ...stored, status: 'failed', progress: '応答がなくなりました' } : stored;
  return { viewer, council, archive };
}

/** The download: the first one is recorded (it allows the deletion) and audited; then a short-lived link to the zip. */
export async function downloadArchive(deps: ArchiveDeps, principal: Principal | undefined, councilId: string, archiveId: string): Promise<string> {
  const actor = requireOperator(principal);
  const [council, archive] = await Promise.all([deps.councils.getCouncil(councilId), deps.councilData.getArchive(councilId, archiveId)]);
  if (archive.status !== 'done' || !archive.objectKey) throw new DomainError('この書き出しはまだ完了していません。');
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  if (!archive.downloadedAt) await deps.councilData.updateArchive(councilId, archiveId, { downloadedAt: deps.clock.now().toISOString() });
  await trail(deps, actor, council, 'council.archive.download', archiveId);
  return deps.attachments.presignDownload(archive.objectKey, archive.fileName ?? `${councilId}.zip`, 'application/zip');
}

/** The deletion page: the council, its archives (newest first), and why it cannot be deleted yet, if so. */
export async function deletionView(deps: ArchiveDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireOperator(principal);
  const [council, archives] = await Promise.all([deps.councils.getCouncil(councilId), deps.councilData.listArchives(councilId)]);
  const newest = [...archives].sort((a, b) => compareCodes(b.requestedAt, a.requestedAt));
  // A deletion already confirmed may be started again (one that Lambda gave up on leaves the council marked).
  return { viewer, council, archives: newest, refusal: council.deletingAt ? undefined : deletionRefusal(council, archives) };
}

/**
 * The operator deletes a council: only a suspended one whose archive (made after the suspension)
 * was downloaded, and only with its name typed. The council is marked as being deleted (its
 * links and sign-in are refused from now), the action is kept in the operator's trail, and the
 * deletion runs in the background.
 */
export async function deleteCouncil(deps: ArchiveDeps, principal: Principal | undefined, councilId: string, input: CouncilDeletionInput): Promise<Council> {
  const actor = requireOperator(principal);
  const view = await deletionView(deps, principal, councilId);
  if (view.refusal) throw new DomainError(view.refusal);
  if (input.confirmName !== view.council.name)
    throw new InvalidInputError({ confirmName: '審議会の名称が一致しません。削除する審議会の名称を正確に入力してください。' });
  await deps.councils.markDeleting(councilId, deps.clock.now().toISOString());
  await trail(deps, actor, view.council, 'council.delete.start');
  await deps.exports.start({ job: 'councilDelete', councilId } satisfies CouncilJob);
  return view.council;
}

/**
 * The background deletion, safe to run again: every item of every partition of the council, the
 * cases', meetings' and sessions' first, then its own partition, the council's record last (so a
 * run that stops midway is found and finished by the next); then every object under its prefixes.
 */
export async function runDeletion(deps: Pick<Deps, 'councils' | 'councilData' | 'attachments' | 'clock'>, job: { councilId: string }): Promise<void> {
  const council = await deps.councils.getCouncil(job.councilId).catch((e: unknown) => {
    if (e instanceof NotFoundError) return undefined;
    throw e;
  });
  if (!council) return;
  if (!council.deletingAt) throw new Error(`council ${job.councilId} is not being deleted`);
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  const prefixes = councilPrefixes(job.councilId);
  let objects = 0;
  for (const prefix of [prefixes.uploads, prefixes.kept, prefixes.imports]) objects += await deps.attachments.purgePrefix(prefix);
  const [own, ...others] = await deps.councilData.partitions(job.councilId);
  let items = 0;
  for (const partition of others) {
    const found = await deps.councilData.readPartition(partition);
    await deps.councilData.deleteItems(found.map((i) => ({ pk: String(i['pk']), sk: String(i['sk']) })));
    items += found.length;
  }
  const rest = (await deps.councilData.readPartition(own!)).map((i) => ({ pk: String(i['pk']), sk: String(i['sk']) }));
  const record = rest.filter((k) => k.sk === 'COUNCIL');
  await deps.councilData.deleteItems(rest.filter((k) => k.sk !== 'COUNCIL'));
  await deps.councilData.deleteItems(record);
  items += rest.length;
  await deps.councilData.audit({
    at: deps.clock.now().toISOString(),
    eventId: newId(),
    actor: { userId: 'system', name: 'システム' },
    action: 'council.delete.done',
    councilId: council.councilId,
    councilName: council.name,
    detail: `項目 ${items} 件、ファイル ${objects} 件を削除しました。`,
  });
}
