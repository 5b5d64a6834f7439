import { beforeEach, describe, expect, it } from 'vitest';
import type { AttachmentStore } from '#shared/adapters/attachment-store.ts';
import { fiscalYear } from '#shared/domain/era.ts';
import { tokyoDate } from '#shared/domain/followups.ts';
import { importedCaseId } from '#shared/domain/history-import.ts';
import { ForbiddenError } from '#shared/errors.ts';
import { confirmImport, previewImport, WRITE_CONCURRENCY } from '#shared/use-cases/history-import.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';

/** Object storage as the import uses it: uploads by key, read whole, deleted for good. */
class MemoryUploads {
  readonly objects = new Map<string, Uint8Array>();
  presignUpload = async (o: { keyPrefix: string }) => ({ url: 'https://storage.example/bucket', fields: { key: `${o.keyPrefix}\${filename}` } });
  read = async (key: string) => this.objects.get(key);
  purge = async (key: string) => Number(this.objects.delete(key));
}

const HEADER = '諮問番号,年度,件名,担当課,諮問日,審議日,答申日,結果,条件,条件の状況';
let deps: MemoryDeps;
let sakura: SeededCouncil;
let uploads: MemoryUploads;
beforeEach(async () => {
  deps = memoryDeps();
  uploads = new MemoryUploads();
  deps.attachments = uploads as unknown as AttachmentStore;
  sakura = await seedCouncil(deps);
});

const lastYear = () => fiscalYear(tokyoDate(deps.clock.now())) - 1;
/** `n` cases of last year, every other one with a condition still open. */
function bigFile(n: number): Uint8Array {
  const fy = lastYear();
  const rows = Array.from({ length: n }, (_, i) =>
    i % 2
      ? `${i + 1},${fy},過去の諮問${i + 1},市民課,${fy}-05-01,${fy}-06-01,,可,,`
      : `${i + 1},${fy},過去の諮問${i + 1},生活福祉課,${fy}-05-01,${fy}-06-01,,条件付き可,委託契約書に明記すること;データ消去証明書を提出すること,完了;対応中`,
  );
  return new TextEncoder().encode([HEADER, ...rows].join('\n'));
}

describe('confirming an import, a bounded amount of work at a time', () => {
  it('writes what fits in one request and goes on from there on the next press, writing nothing twice', async () => {
    const key = 'imports/sakura/up1/past.csv';
    uploads.objects.set(key, bigFile(40));
    const { secretariat } = sakura.people;
    expect((await previewImport(deps, secretariat, 'sakura', key)).plan).toMatchObject({ ok: true, nextNumbers: [{ fiscalYear: lastYear(), next: 41 }] });

    // No time at all: each press still writes one round of the pool.
    const presses = [];
    for (let i = 0; i < 5; i++) {
      const result = await confirmImport(deps, secretariat, 'sakura', { key }, undefined, 0);
      if (!result.ok) throw new Error('refused');
      presses.push([result.written, result.skipped, result.remaining]);
      if (result.remaining === 0) break;
    }
    expect(presses).toEqual([
      [WRITE_CONCURRENCY, 0, 40 - WRITE_CONCURRENCY],
      [WRITE_CONCURRENCY, WRITE_CONCURRENCY, 40 - 2 * WRITE_CONCURRENCY],
      [40 - 2 * WRITE_CONCURRENCY, 2 * WRITE_CONCURRENCY, 0],
    ]);
    // Written once each, with the follow-ups of the open conditions; the upload is gone once all are in.
    const register = await deps.consultations.registerSlice('sakura', { order: 'oldest', fiscalYear: lastYear(), limit: 100 });
    expect(register.map((e) => e.consultation.number!.n)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(register.every((e) => e.consultation.consultationId === importedCaseId('sakura', e.consultation.number!))).toBe(true);
    const followUps = await deps.followUps.listActive('sakura');
    expect(followUps).toHaveLength(20);
    expect(followUps.every((f) => f.condition === 'データ消去証明書を提出すること' && f.departmentId === 'fukushi' && f.status === 'open')).toBe(true);
    expect(uploads.objects.has(key)).toBe(false);
    expect((await deps.councils.lastNumbers('sakura', lastYear())).consultation).toBe(40);
  });

  it('reads only its own council’s uploads, and only for its secretariat', async () => {
    const key = 'imports/sakura/up2/past.csv';
    uploads.objects.set(key, bigFile(2));
    await seedCouncil(deps, 'momiji');
    const momiji = { userId: 'u-momiji', name: '秋山', role: 'secretariat' as const, councilId: 'momiji' };
    await expect(previewImport(deps, momiji, 'momiji', key)).rejects.toThrow('取り込むファイルの指定が正しくありません。');
    await expect(confirmImport(deps, momiji, 'momiji', { key })).rejects.toThrow('取り込むファイルの指定が正しくありません。');
    await expect(confirmImport(deps, momiji, 'sakura', { key })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(confirmImport(deps, sakura.people.fukushi, 'sakura', { key })).rejects.toBeInstanceOf(ForbiddenError);
    expect(uploads.objects.has(key)).toBe(true);
    expect(await deps.consultations.registerSlice('sakura', { order: 'oldest', limit: 10 })).toEqual([]);
  });
});
