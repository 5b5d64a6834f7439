import { Readable } from 'node:stream';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { newId } from '#shared/adapters/runtime.ts';
import { type CouncilArchive, deletionRefusal } from '#shared/domain/council-archive.ts';
import { newSession } from '#shared/domain/session.ts';
import { createConsultation } from '#shared/use-cases/consultations.ts';
import { addMeasure, recordIncident } from '#shared/use-cases/incidents.ts';
import { councilArchiveZip, councilCsvs } from '#templates/archive/council-archive.ts';
import { draftCommand, memoryDeps, seedCouncil } from '../support/memory-deps.ts';
import { newMeetingOf, submitCase } from '../support/use-case-steps.ts';

const archive = (over: Partial<CouncilArchive>): CouncilArchive => ({
  archiveId: 'a1',
  status: 'done',
  progress: '完了しました',
  partitionsDone: 1,
  partitionsTotal: 1,
  items: 1,
  files: 0,
  requestedBy: 'u-operator',
  requestedAt: '2026-06-02T00:00:00.000Z',
  ...over,
});

describe('when a council may be deleted', () => {
  const suspended = { suspendedAt: '2026-06-01T00:00:00.000Z' };
  it('only once suspended, and once an archive made after the suspension was finished and downloaded', () => {
    expect(deletionRefusal({}, [archive({ downloadedAt: '2026-06-03T00:00:00.000Z' })])).toBe('削除する前に、審議会の利用を停止してください。');
    const notTaken = '削除する前に、利用停止の後に書き出したデータ(ZIP)をダウンロードしてください。';
    expect(deletionRefusal(suspended, [])).toBe(notTaken);
    expect(deletionRefusal(suspended, [archive({})])).toBe(notTaken);
    expect(deletionRefusal(suspended, [archive({ requestedAt: '2026-05-31T00:00:00.000Z', downloadedAt: '2026-06-03T00:00:00.000Z' })])).toBe(notTaken);
    expect(deletionRefusal(suspended, [archive({ status: 'running', downloadedAt: '2026-06-03T00:00:00.000Z' })])).toBe(notTaken);
    expect(deletionRefusal(suspended, [archive({ downloadedAt: '2026-06-03T00:00:00.000Z' })])).toBeUndefined();
  });
});

describe('every partition of a council, found without a Scan', () => {
  it('finds its own, each case (submitted or draft), each incident’s measures, each meeting and each person’s sessions — and nothing of another council', async () => {
    const deps = memoryDeps();
    const sakura = await seedCouncil(deps, 'sakura');
    const momiji = await seedCouncil(deps, 'momiji');
    const submitted = await submitCase(deps, sakura.people.fukushi);
    const { ref: draft } = await createConsultation(deps, { principal: sakura.people.shimin }, 'sakura', newId(), draftCommand());
    const meeting = await newMeetingOf(deps, sakura.people, 'meeting');
    await deps.staff.add({
      councilId: 'sakura',
      userId: 'u-shimin-sakura',
      name: '倉持',
      kana: 'くらもち',
      email: 'k@example.jp',
      role: 'department',
      departmentId: 'shimin',
      disabled: false,
      version: 1,
      createdAt: '2026-05-01T00:00:00.000Z',
      updatedAt: '2026-05-01T00:00:00.000Z',
    });
    await deps.sessions.create(newSession(sakura.people.shimin, 's1', deps.clock.now()));
    // An incident (in the council's partition) and its measure (a follow-up in the partition named by the incident).
    const incidentId = await recordIncident(deps, sakura.people.shimin, 'sakura', {
      title: 'USBメモリの紛失',
      overview: '紛失した。',
      occurredOn: '2026-05-01',
      foundOn: '2026-05-02',
      departmentId: 'shimin',
      affectedCount: 10,
      dataItems: '氏名',
      sensitive: false,
      kind: 'loss',
      unlawfulPurpose: false,
      cause: '手続の不備',
      secondaryDamage: 'none',
    });
    await addMeasure(deps, sakura.people.shimin, { councilId: 'sakura', incidentId }, { text: '持ち出しを許可制にする。', due: '2026-06-30' });
    const other = await submitCase(deps, momiji.people.fukushi);

    const partitions = await deps.councilData.partitions('sakura');
    expect(partitions[0]).toBe('C#sakura');
    expect(partitions).toEqual(
      expect.arrayContaining([
        `C#sakura#CASE#${submitted.consultationId}`,
        `C#sakura#CASE#${draft.consultationId}`,
        `C#sakura#MEETING#${meeting.meetingId}`,
        'C#sakura#USER#u-shimin-sakura',
        `C#sakura#CASE#${incidentId}`,
        // The search index: the submitted case's fiscal year, and the list of years.
        'C#sakura#SEARCH#2026',
        'C#sakura#SEARCH',
      ]),
    );
    expect(partitions.every((p) => p === 'C#sakura' || p.startsWith('C#sakura#'))).toBe(true);
    expect(new Set(partitions).size).toBe(partitions.length);

    // Every item stored under sakura's partitions is read from them; deleting them leaves momiji whole.
    const all = deps.items.dump();
    const inSakura = all.filter((i) => String(i['pk']).startsWith('C#sakura#') || i['pk'] === 'C#sakura');
    const read = (await Promise.all(partitions.map((p) => deps.councilData.readPartition(p)))).flat();
    expect(read).toHaveLength(inSakura.length);
    await deps.councilData.deleteItems(read.map((i) => ({ pk: String(i['pk']), sk: String(i['sk']) })));
    const left = deps.items.dump();
    expect(left.filter((i) => String(i['pk']).startsWith('C#sakura'))).toEqual([]);
    expect(left.filter((i) => String(i['pk']).startsWith('C#momiji'))).toHaveLength(all.filter((i) => String(i['pk']).startsWith('C#momiji')).length);
    expect((await deps.consultations.get(other)).consultationId).toBe(other.consultationId);
  });
});

describe('the archive’s CSVs', () => {
  it('open in Excel as UTF-8 with CRLF, and a typed formula stays text', async () => {
    const deps = memoryDeps();
    const { council } = await seedCouncil(deps, 'sakura');
    const consultation = {
      consultationId: 'k1',
      departmentId: 'fukushi',
      form: { title: '=HYPERLINK("http://evil.example","x")' },
      status: 'draft',
      createdAt: '2026-05-11T01:00:00.000Z',
      updatedAt: '2026-05-11T01:00:00.000Z',
    };
    const csvs = councilCsvs({ council, exportedAt: '2026-06-01T00:00:00.000Z', items: new Map([['consultation', [consultation]]]), files: [] });
    const text = csvs['諮問.csv']!.toString('utf8');
    expect(text.startsWith('\uFEFF諮問ID,')).toBe(true);
    expect(text.split('\r\n')[1]).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(text).toContain('下書き');
    expect(text).toContain('令和8年5月11日');
    expect(Object.keys(csvs).sort()).toEqual(['会議.csv', '委員.csv', '履行確認.csv', '答申.csv', '職員.csv', '諮問.csv'].sort());
  });
});

describe('the archive’s zip, streamed', () => {
  it('reads each file only when it comes to it, and fails — rather than hangs — when a file cannot be read', async () => {
    const deps = memoryDeps();
    const { council } = await seedCouncil(deps, 'sakura');
    const opened: string[] = [];
    const file = (name: string, body: () => AsyncGenerator<Buffer>) => ({
      path: name,
      body: Readable.from(
        (async function* () {
          opened.push(name);
          yield* body();
        })(),
        { objectMode: false },
      ),
    });
    const ok = (text: string) =>
      async function* () {
        yield Buffer.from(text);
      };
    const content = (files: ReturnType<typeof file>[]) => ({ council, exportedAt: '2026-06-01T00:00:00.000Z', items: new Map(), files });
    const zipped = councilArchiveZip(content([file('a.pdf', ok('%PDF a')), file('b.pdf', ok('%PDF b'))]));
    expect(opened).toEqual([]);
    const bytes: Buffer[] = [];
    for await (const chunk of zipped) bytes.push(chunk as Buffer);
    expect(opened).toEqual(['a.pdf', 'b.pdf']);
    const zip = await JSZip.loadAsync(Buffer.concat(bytes));
    expect(await zip.file('files/b.pdf')!.async('string')).toBe('%PDF b');

    const broken = councilArchiveZip(
      content([
        file('gone.pdf', async function* () {
          yield* [];
          throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
        }),
      ]),
    );
    await expect(
      (async () => {
        for await (const _ of broken);
      })(),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
  });
});
