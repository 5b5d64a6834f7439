import { describe, expect, it } from 'vitest';
import type { Council } from '#shared/domain/council.ts';
import {
  businessRegisterContent,
  changeFileCommands,
  contentChanges,
  createFileCommands,
  FILE_FIELDS,
  fileRegisterContent,
  type PersonalInfoFile,
  publicColumns,
  publicRow,
  registerEvents,
  reportPeriod,
  reportText,
} from '#shared/domain/personal-info-files.ts';
import { checkForm } from '#shared/forms.ts';
import { emptyForm } from '#templates/form.ts';
import { fileFormPage, fileViewPage, publicRegisterHtml } from '#templates/pages/personal-info-files.ts';
import { businessForm, fileForm } from '../support/personal-info-files.ts';

type Form = Record<string, string | string[]>;

const errorsOf = (schema: Parameters<typeof checkForm>[0], form: Form) => {
  const outcome = checkForm(schema, form);
  if (outcome.ok) throw new Error(`expected a refusal, got ${JSON.stringify(outcome.value)}`);
  return outcome.errors;
};

describe('the register of files: one schema per variant', () => {
  it('takes a 個人情報ファイル: 記録項目 one per line, 本人の数 a number with or without commas', () => {
    const parsed = fileRegisterContent.parse(fileForm());
    expect(parsed.items).toEqual(['氏名', '生年月日', '性別', '住所']);
    expect(parsed.headcount).toBe(123456);
    expect(parsed.recipients).toBeUndefined();
    expect(parsed.specialProvisions).toBe('住民基本台帳法第34条の2');
    expect(fileRegisterContent.parse(fileForm({ headcount: '1000' })).headcount).toBe(1000);
  });

  it('refuses a missing required field beside that field, by its name in the register', () => {
    const errors = errorsOf(createFileCommands.file_register, { ...fileForm({ name: '  ', items: '\n\n' }), startedOn: '' });
    expect(errors['name']).toBe('個人情報ファイルの名称を入力してください。');
    expect(errors['items']).toBe('記録項目を1つ以上入力してください。');
    expect(errors['startedOn']).toBe('作成日を入力してください。');
    const { sensitive: _s, requestOffice: _r, ...rest } = fileForm();
    const missing = errorsOf(fileRegisterContent, rest);
    expect(missing['sensitive']).toBe('要配慮個人情報の有無を選んでください。');
    expect(missing['requestOffice']).toBe('開示請求等を受理する組織の名称及び所在地を入力してください。');
  });

  it('takes 本人の数 only as a whole number of 1,000 or more', () => {
    expect(errorsOf(fileRegisterContent, fileForm({ headcount: '千人' }))['headcount']).toBe('本人の数は半角数字で入力してください。');
    expect(errorsOf(fileRegisterContent, fileForm({ headcount: '1.5' }))['headcount']).toBe('本人の数は半角数字で入力してください。');
    expect(errorsOf(fileRegisterContent, fileForm({ headcount: '-2000' }))['headcount']).toBe('本人の数は半角数字で入力してください。');
    expect(errorsOf(fileRegisterContent, fileForm({ headcount: '' }))['headcount']).toBe('本人の数を入力してください。');
    expect(errorsOf(fileRegisterContent, fileForm({ headcount: '999' }))['headcount']).toContain('1,000人未満');
  });

  it('takes a 業務届出 with the old fields (有無 of each handling, 委託) and none of the new ones', () => {
    const parsed = businessRegisterContent.parse({ ...businessForm(), headcount: '12', agency: 'x' });
    expect(parsed).toMatchObject({ name: '生活保護事務', subjects: '保護の申請者及び被保護者', offsiteCollection: 'yes', outsourcing: 'yes' });
    expect(parsed).not.toHaveProperty('headcount');
    expect(parsed).not.toHaveProperty('agency');
    const errors = errorsOf(createFileCommands.business_register, { ...businessForm({ onlineLink: 'maybe', subjects: '' }), startedOn: '2025-02-30' });
    expect(errors['onlineLink']).toBe('オンライン結合の有無を選んでください。');
    expect(errors['subjects']).toBe('対象者の範囲を入力してください。');
    expect(errors['startedOn']).toBe('開始日が正しい日付ではありません。');
    expect(FILE_FIELDS.business_register.map((f) => f.label)).toContain('委託の有無');
    expect(FILE_FIELDS.business_register.map((f) => f.label)).not.toContain('本人の数');
  });

  it('refuses a change without its 変更日 or with a version that is not one', () => {
    const errors = errorsOf(changeFileCommands.file_register, { ...fileForm(), version: 'x' });
    expect(errors['changedOn']).toBe('変更日を入力してください。');
    expect(errors['version']).toBeDefined();
  });

  it('names exactly the fields a change touched, before and after as people read them', () => {
    const before = fileRegisterContent.parse(fileForm());
    const after = fileRegisterContent.parse(fileForm({ headcount: '130000', items: '氏名\n生年月日\n性別\n住所\n個人番号' }));
    expect(contentChanges('file_register', before, after)).toEqual([
      { field: 'items', label: '記録項目', before: '氏名、生年月日、性別、住所', after: '氏名、生年月日、性別、住所、個人番号' },
      { field: 'headcount', label: '本人の数', before: '123,456人', after: '130,000人' },
    ]);
    expect(contentChanges('file_register', before, fileRegisterContent.parse(fileForm()))).toEqual([]);
  });
});

const council = { councilId: 'sakura', name: 'さくら市個人情報保護審議会', municipality: 'さくら市' } as Council;
const at = '2025-06-01T01:00:00.000Z';
const by = { userId: 'u-shimin', name: '倉持 美土子(市民課)' };
const fileOf = (over: Partial<PersonalInfoFile> = {}, form: Form = {}): PersonalInfoFile => ({
  councilId: 'sakura',
  fileId: 'f1',
  departmentId: 'shimin',
  variant: 'file_register',
  content: fileRegisterContent.parse(fileForm(form)),
  startedOn: '2025-05-01',
  history: [{ version: 1, at, by, action: 'created', on: '2025-05-01' }],
  createdAt: at,
  updatedAt: at,
  version: 1,
  ...over,
});

describe('the yearly report', () => {
  const files: PersonalInfoFile[] = [
    fileOf({ fileId: 'a' }, { name: '住民基本台帳ファイル' }),
    fileOf(
      {
        fileId: 'b',
        departmentId: 'fukushi',
        startedOn: '2019-04-01',
        history: [
          { version: 1, at, by, action: 'created', on: '2019-04-01' },
          {
            version: 2,
            at,
            by,
            action: 'changed',
            on: '2025-10-01',
            changes: [{ field: 'headcount', label: '本人の数', before: '1,000人', after: '2,000人' }],
          },
          { version: 3, at, by, action: 'abolished', on: '2026-04-01', reason: 'システム移行' },
        ],
      },
      { name: '生活保護ファイル' },
    ),
    fileOf({ fileId: 'c', startedOn: '2024-03-31', history: [{ version: 1, at, by, action: 'created', on: '2024-03-31' }] }, { name: '古いファイル' }),
  ];

  it('lists the starts, changes and abolitions of a fiscal year, or of a calendar year', () => {
    const fy = reportPeriod('fiscal', 2025);
    expect(fy).toMatchObject({ from: '2025-04-01', to: '2026-03-31', label: '令和7年度' });
    expect(registerEvents(files, fy).map((e) => [e.action, e.name, e.on])).toEqual([
      ['created', '住民基本台帳ファイル', '2025-05-01'],
      ['changed', '生活保護ファイル', '2025-10-01'],
    ]);
    const cy = reportPeriod('calendar', 2026);
    expect(cy.label).toBe('令和8年');
    expect(registerEvents(files, cy).map((e) => [e.action, e.name])).toEqual([['abolished', '生活保護ファイル']]);
  });

  it('writes the details: the period in 和暦, counts, then each line with its department', () => {
    const fy = reportPeriod('fiscal', 2025);
    const text = reportText('file_register', fy, registerEvents(files, fy), (id) => ({ shimin: '市民課', fukushi: '生活福祉課' })[id] ?? id);
    expect(text.split('\n')).toEqual([
      '令和7年度(令和7年4月1日〜令和8年3月31日)の個人情報ファイルの作成・変更・廃止',
      '作成 1件、変更 1件、廃止 0件',
      '',
      '【作成】',
      '・令和7年5月1日 市民課 住民基本台帳ファイル',
      '',
      '【変更】',
      '・令和7年10月1日 生活福祉課 生活保護ファイル(変更した項目:本人の数)',
      '',
      '【廃止】',
      'なし',
    ]);
    // Under the old ordinance a 事務 is 開始 (begun), not 作成.
    const old = reportText('business_register', fy, registerEvents(files, fy), (id) => id).split('\n');
    expect(old[0]).toBe('令和7年度(令和7年4月1日〜令和8年3月31日)の個人情報取扱事務の開始・変更・廃止');
    expect(old).toContain('【開始】');
  });
});

describe('the register pages', () => {
  const viewer = { userId: 'u-shimin', name: '倉持', role: 'department' as const, councilId: 'sakura', departmentId: 'shimin' };
  const evil = '<script>alert(1)</script>';

  it('escape what departments typed, on the entry page, its form and the public register', () => {
    const file = fileOf({}, { name: evil, items: `${evil}\n氏名` });
    const view = fileViewPage({ viewer, council, file, departmentName: () => '市民課' });
    const form = fileFormPage({ viewer, council, variant: 'file_register', departments: [], file, state: emptyForm({ name: evil }) });
    const register = publicRegisterHtml({
      council,
      variant: 'file_register',
      asOf: at,
      columns: publicColumns('file_register'),
      rows: [publicRow(file, `市民課${evil}`)],
    });
    for (const page of [view, form, register]) {
      expect(page).not.toContain(evil);
      expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('make the public register a standalone page with every field and no internal id', () => {
    const file = fileOf({ fileId: 'internal-id-123', departmentId: 'dept-internal' });
    const register = publicRegisterHtml({
      council,
      variant: 'file_register',
      asOf: at,
      columns: publicColumns('file_register'),
      rows: [publicRow(file, '市民課')],
    });
    expect(register).toMatch(/^<!doctype html>/);
    expect(register).not.toContain('internal-id-123');
    expect(register).not.toContain('dept-internal');
    expect(register).not.toContain('<form');
    for (const label of publicColumns('file_register')) expect(register).toContain(label.replaceAll('&', '&amp;'));
    expect(register).toContain('123,456人');
    expect(register).toContain('令和7年5月1日');
  });
});
