import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatTokyoDateTime } from '#shared/domain/era.ts';
import { ForbiddenError } from '#shared/errors.ts';
import { exportAudit } from '#shared/use-cases/audit.ts';
import { screenConsultation, viewConsultation } from '#shared/use-cases/consultations.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { acceptCase, submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});

const rowsOf = (csv: Buffer): string[][] => parse(csv.toString('utf8'), { bom: true });

describe('the audit trail export', () => {
  it('lists every action on the case with who, when and from where, and is named by its 諮問番号', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await viewConsultation(deps, { principal: sakura.people.member, sourceIp: '198.51.100.7' }, ref, { audit: true });
    await acceptCase(deps, sakura.people, ref);

    const { csv, fileName } = await exportAudit(deps, sakura.people.secretariat, ref);

    expect(fileName).toBe('操作記録_令和8年度諮問第1号.csv');
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const [header, ...rows] = rowsOf(csv);
    expect(header).toEqual(['日時(日本時間)', '操作した人', '区分', '操作', '内容', '接続元']);
    expect(rows).toHaveLength((await deps.consultations.auditTrail(ref)).length);
    // Japan time, as people read it and a spreadsheet sorts it: never UTC.
    expect(rows).toContainEqual([formatTokyoDateTime(deps.clock.now()), '前田 久美子(委員)', '委員', '閲覧', '', '198.51.100.7']);
    expect(rows).toContainEqual(expect.arrayContaining(['ワークフロー', 'システム', '状態:受付済み(日程調整待ち)']));
  });

  it('neutralises cells a spreadsheet would run as formulas, wherever the text came from', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi, { title: '=HYPERLINK("https://evil.example/","開く")' });
    await screenConsultation(deps, { principal: { ...sakura.people.secretariat, name: '@SUM(A1:A9)' } }, ref, {
      decision: 'return',
      comment: '+cmd|" /C calc"!A0',
    });
    await deps.workflow.settle();

    const { csv } = await exportAudit(deps, sakura.people.secretariat, ref);

    const cells = rowsOf(csv).flat();
    expect(cells).toContain('\'=HYPERLINK("https://evil.example/","開く")');
    expect(cells).toContain('\'+cmd|" /C calc"!A0');
    expect(cells).toContain("'@SUM(A1:A9)");
    expect(cells.filter((c) => /^[=+\-@\t\r＝＋－＠]/.test(c))).toEqual([]);
  });

  it('is the secretariat’s alone', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const kaede = await seedCouncil(deps, 'kaede');

    for (const who of [sakura.people.fukushi, sakura.people.chair, sakura.people.member, kaede.people.secretariat]) {
      await expect(exportAudit(deps, who, ref)).rejects.toBeInstanceOf(ForbiddenError);
    }
  });
});
