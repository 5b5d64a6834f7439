import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { agendaOutline, outlineText } from '#shared/domain/agenda.ts';
import { ConflictError, ForbiddenError, InvalidInputError, NotFoundError } from '#shared/errors.ts';
import { removeAgendaItem } from '#shared/use-cases/agenda.ts';
import { abolishFile, changeFile, createFile, publicRegisterCsv, reportToMeeting, viewFile, viewFiles } from '#shared/use-cases/personal-info-files.ts';
import { type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil } from '../../support/memory-deps.ts';
import { businessForm, fileForm } from '../../support/personal-info-files.ts';
import { newMeetingOf } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps({ now: '2026-04-10T01:00:00.000Z' });
  sakura = await seedCouncil(deps);
});

/** The council under the Act (個人情報ファイル簿), as its settings would say. */
async function underTheAct() {
  const council = await deps.councils.getCouncil('sakura');
  await deps.councils.createCouncil({ ...council, councilId: 'act', legalBasis: 'act2023' });
  for (const d of sakura.departments) await deps.councils.createDepartment('act', d);
  const p = sakura.people;
  return {
    secretariat: { ...p.secretariat, councilId: 'act' },
    shimin: { ...p.shimin, councilId: 'act' },
    fukushi: { ...p.fukushi, councilId: 'act' },
    member: { ...p.member, councilId: 'act' },
  };
}

describe('the register of files (use cases)', () => {
  it('keeps each department to its own files; the secretariat sees and keeps all, and others none', async () => {
    const people = await underTheAct();
    const a = await createFile(deps, people.shimin, 'act', { ...fileForm(), startedOn: '2025-05-01', departmentId: 'fukushi' });
    // A department's file is its own, whatever department the form names.
    expect(a.departmentId).toBe('shimin');
    expect(a.variant).toBe('file_register');
    await expect(viewFile(deps, people.fukushi, 'act', a.fileId)).rejects.toThrow(NotFoundError);
    await expect(changeFile(deps, people.fukushi, 'act', a.fileId, { ...fileForm({ name: 'x' }), changedOn: '2025-06-01', version: '1' })).rejects.toThrow(
      NotFoundError,
    );
    await expect(abolishFile(deps, people.fukushi, 'act', a.fileId, { abolishedOn: '2025-06-01', reason: 'x', version: '1' })).rejects.toThrow(NotFoundError);
    await expect(viewFiles(deps, people.member, 'act')).rejects.toThrow(ForbiddenError);
    await expect(viewFile(deps, people.shimin, 'sakura', a.fileId)).rejects.toThrow(ForbiddenError);
    expect((await viewFiles(deps, people.fukushi, 'act')).files).toEqual([]);
    // The secretariat registers for a department it names, and must name one.
    await expect(createFile(deps, people.secretariat, 'act', { ...fileForm(), startedOn: '2025-05-01' })).rejects.toThrow(InvalidInputError);
    const b = await createFile(deps, people.secretariat, 'act', { ...fileForm({ name: '福祉ファイル' }), startedOn: '2025-05-01', departmentId: 'fukushi' });
    expect(b.departmentId).toBe('fukushi');
    expect((await viewFiles(deps, people.secretariat, 'act')).files.map((f) => f.content.name).sort()).toEqual(['住民基本台帳ファイル', '福祉ファイル'].sort());
    expect((await viewFiles(deps, people.fukushi, 'act')).files.map((f) => f.content.name)).toEqual(['福祉ファイル']);
    // The secretariat narrows its list to one department; a department cannot widen its own.
    expect((await viewFiles(deps, people.secretariat, 'act', { departmentId: 'shimin' })).files.map((f) => f.content.name)).toEqual(['住民基本台帳ファイル']);
    expect((await viewFiles(deps, people.secretariat, 'act', { departmentId: 'nowhere' })).files).toHaveLength(2);
    expect((await viewFiles(deps, people.fukushi, 'act', { departmentId: 'shimin' })).files.map((f) => f.content.name)).toEqual(['福祉ファイル']);
  });

  it('keeps every change in the history, refuses a stale version, and leaves an abolished file unchangeable', async () => {
    const people = await underTheAct();
    const a = await createFile(deps, people.shimin, 'act', { ...fileForm(), startedOn: '2025-05-01' });
    await expect(
      changeFile(deps, people.shimin, 'act', a.fileId, { ...fileForm({ headcount: '2000' }), changedOn: '2025-04-30', version: '1' }),
    ).rejects.toThrow(/変更日は作成日\(令和7年5月1日\)以後にしてください。/);
    const changed = await changeFile(deps, people.shimin, 'act', a.fileId, { ...fileForm({ headcount: '2000' }), changedOn: '2025-06-01', version: '1' });
    expect(changed.version).toBe(2);
    expect(changed.history.at(-1)).toMatchObject({
      action: 'changed',
      on: '2025-06-01',
      by: { userId: people.shimin.userId },
      changes: [{ label: '本人の数' }],
    });
    await expect(
      changeFile(deps, people.shimin, 'act', a.fileId, { ...fileForm({ headcount: '3000' }), changedOn: '2025-07-01', version: '1' }),
    ).rejects.toThrow(ConflictError);
    const abolished = await abolishFile(deps, people.secretariat, 'act', a.fileId, { abolishedOn: '2025-09-30', reason: '事務の終了', version: '2' });
    expect(abolished.abolished).toEqual({ on: '2025-09-30', reason: '事務の終了' });
    expect(abolished.history.map((h) => h.action)).toEqual(['created', 'changed', 'abolished']);
    await expect(
      changeFile(deps, people.shimin, 'act', a.fileId, { ...fileForm({ headcount: '4000' }), changedOn: '2025-10-01', version: '3' }),
    ).rejects.toThrow('廃止したファイルは変更できません。');
    const { csv } = await publicRegisterCsv(deps, people.secretariat, 'act');
    expect(parse(csv.toString('utf8').slice(1))).toHaveLength(1);
  });

  it('refuses a change whose history would outgrow the item, and keeps the entry as it was', async () => {
    const people = await underTheAct();
    const long = (c: string) => ({
      purpose: c.repeat(1000),
      scope: c.repeat(1000),
      sources: c.repeat(1000),
      recipients: c.repeat(1000),
      requestOffice: c.repeat(1000),
      specialProvisions: c.repeat(1000),
      remarks: c.repeat(1000),
      items: Array.from({ length: 100 }, (_, k) => `${c.repeat(90)}${k}`).join('\n'),
    });
    const f = await createFile(deps, people.shimin, 'act', { ...fileForm(long('あ')), startedOn: '2025-05-01' });
    let version = f.version;
    let refused: unknown;
    for (let k = 0; k < 20 && !refused; k++) {
      try {
        version = (
          await changeFile(deps, people.shimin, 'act', f.fileId, { ...fileForm(long(k % 2 ? 'あ' : 'い')), changedOn: '2025-06-01', version: String(version) })
        ).version;
      } catch (e) {
        refused = e;
      }
    }
    expect(String(refused)).toContain('保存できる大きさを超えます');
    expect(version).toBeGreaterThan(2);
    expect((await viewFile(deps, people.shimin, 'act', f.fileId)).file.version).toBe(version);
  });

  it('takes the 業務届出 fields for a council under its ordinance (the demo council’s default)', async () => {
    const p = sakura.people;
    await expect(createFile(deps, p.shimin, 'sakura', { ...fileForm(), startedOn: '2015-04-01' })).rejects.toThrow(InvalidInputError);
    const f = await createFile(deps, p.shimin, 'sakura', { ...businessForm(), startedOn: '2015-04-01' });
    expect(f.variant).toBe('business_register');
    expect(f.content).toMatchObject({ name: '生活保護事務', outsourcing: 'yes' });
  });

  it('puts the yearly report on the agenda once per period: again, it updates; removed, a new item takes its place', async () => {
    const people = await underTheAct();
    await createFile(deps, people.shimin, 'act', { ...fileForm(), startedOn: '2025-05-01' });
    const meeting = await newMeetingOf(deps, { ...sakura.people, secretariat: people.secretariat }, 'meeting');
    const command = { periodKind: 'fiscal', year: '2025', meetingId: meeting.meetingId };
    const first = await reportToMeeting(deps, people.secretariat, 'act', command);
    expect(first).toMatchObject({ itemId: 'register-fy2025', updated: false });
    await createFile(deps, people.fukushi, 'act', { ...fileForm({ name: '福祉ファイル' }), startedOn: '2025-06-01' });
    const second = await reportToMeeting(deps, people.secretariat, 'act', command);
    expect(second).toMatchObject({ itemId: 'register-fy2025', updated: true });
    const outline = async () =>
      outlineText(agendaOutline(await deps.meetings.get('act', meeting.meetingId), await deps.agendas.list('act', meeting.meetingId)));
    expect(await outline()).toEqual([
      '1 開会',
      '2 諮問書授受',
      '3 報告',
      '  (1) 個人情報ファイル簿の作成等の状況について(令和7年度)',
      '4 次回開催日程',
      '5 閉会',
    ]);
    expect((await deps.agendas.get('act', meeting.meetingId, 'register-fy2025')).text).toContain('作成 2件、変更 0件、廃止 0件');
    await removeAgendaItem(deps, people.secretariat, 'act', meeting.meetingId, 'register-fy2025');
    expect(await reportToMeeting(deps, people.secretariat, 'act', command)).toMatchObject({ itemId: 'register-fy2025-2', updated: false });
    expect((await outline()).filter((l) => l.includes('個人情報ファイル簿'))).toHaveLength(1);
    // Only the secretariat reports, only to a planned meeting, for a year typed as one.
    await expect(reportToMeeting(deps, people.shimin, 'act', command)).rejects.toThrow(ForbiddenError);
    await expect(reportToMeeting(deps, people.secretariat, 'act', { ...command, year: '令和7' })).rejects.toThrow(InvalidInputError);
    await expect(reportToMeeting(deps, people.secretariat, 'act', { ...command, meetingId: 'none' })).rejects.toThrow(InvalidInputError);
  });
});
