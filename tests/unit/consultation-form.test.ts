import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from 'zod/mini';
import { MAX_FORM_BYTES, readForm } from '#functions/http/kit.ts';
import { DEMO_IDENTITIES } from '#infra/local/demo-data.ts';
import {
  ABROAD_BASES,
  businessesOf,
  businessSummary,
  consultationDraft,
  consultationSubmission,
  consultedLines,
  FIELD_LABELS,
  formToObject,
  objectToForm,
  postedPath,
  ROW_LIMITS,
} from '#shared/domain/consultation-form.ts';
import type { Council } from '#shared/domain/council.ts';
import { businessKeyOf, businessKeysOf, keyOfBusiness } from '#shared/domain/followups.ts';
import { checkForm, type FormOutcome } from '#shared/forms.ts';
import { consultationFormPage } from '#templates/pages/consultations.ts';
import { completeForm, manyRowsBody } from '../support/consultation-forms.ts';

type Form = Record<string, string | string[]>;

/** What the page does with a posted 審議票 (posted without a kind: the ordinance's form, with its triggers). */
const ordinanceForm = consultationSubmission as unknown as z.ZodMiniType<Extract<z.output<typeof consultationSubmission>, { kind: 'ordinance_trigger' }>>;
const submit = (form: Form) => checkForm(ordinanceForm, form, formToObject);
const saveDraft = (form: Form) => checkForm(consultationDraft, form, formToObject);

function accepted<T>(outcome: FormOutcome<T>): T {
  if (!outcome.ok) throw new Error(`expected the form to be accepted, got errors ${JSON.stringify(outcome.errors)}`);
  return outcome.value;
}

function refused<T>(outcome: FormOutcome<T>): Extract<FormOutcome<T>, { ok: false }> {
  if (outcome.ok) throw new Error(`expected the form to be refused, got ${JSON.stringify(outcome.value)}`);
  return outcome;
}

function without(form: Form, ...names: string[]): Form {
  const copy = { ...form };
  for (const name of names) delete copy[name];
  return copy;
}

const fieldsStartingWith = (form: Form, prefix: string) => Object.keys(form).filter((k) => k.startsWith(prefix));

describe('consultation form: complete submission', () => {
  it('accepts the complete form and parses it into typed, trimmed values', () => {
    const value = accepted(
      submit(
        completeForm({ title: '  生活保護受給者金銭管理支援業務委託\u3000', 'items.0.name': ' 氏名 ', subjects: '\t金銭管理支援を希望する生活保護受給者\n' }),
      ),
    );

    expect(value.subjectCount).toBe(120);
    expect(typeof value.subjectCount).toBe('number');
    expect(value.title).toBe('生活保護受給者金銭管理支援業務委託');
    expect(value.subjects).toBe('金銭管理支援を希望する生活保護受給者');
    expect(value.items).toStrictEqual([
      { name: '氏名', sensitive: false },
      { name: '住所', sensitive: false },
      { name: '口座番号', sensitive: false },
      { name: '病歴', sensitive: true },
    ]);
    expect(value.items.filter((i) => i.sensitive).map((i) => i.name)).toEqual(['病歴']);
    expect(value.triggers).toEqual(['outsourcing', 'sensitive']);
    expect(value.flows).toStrictEqual([{ from: '生活福祉課', to: '社会福祉法人さくら会', what: '対象者の氏名・住所・支給額', means: 'file_transfer' }]);
    expect(value.vendor).toMatchObject({ name: '社会福祉法人さくら会', certification: 'privacy_mark', certificationExpiry: '2027-09-30' });
    expect(value.plannedStart).toBe('2027-04-01');
  });

  it('reads the sensitive checkbox: unticked or blank is false, ticked is true', () => {
    const value = accepted(
      submit(
        completeForm({
          'items.0.sensitive': '',
          // A hidden fallback input followed by the checkbox: the last posted value wins.
          'items.1.sensitive': ['', 'on'],
          'items.2.sensitive': 'true',
        }),
      ),
    );
    expect(value.items.map((i) => i.sensitive)).toEqual([false, true, true, true]);
  });

  it('refuses a sensitive checkbox with a value no browser sends', () => {
    const problem = refused(submit(completeForm({ 'items.0.sensitive': 'yes' })));
    expect(Object.keys(problem.errors)).toEqual(['items.0.sensitive']);
  });

  const requiredFields = [
    'title',
    'contactName',
    'contactPhone',
    'purpose',
    'subjects',
    'technicalSafeguards',
    'operationalSafeguards',
    'retention',
    'disposal',
    'plannedStart',
  ] as const;

  describe.each(requiredFields)('required field %s', (field) => {
    const message = `${FIELD_LABELS[field]}を入力してください。`;

    it.each([
      ['posted blank', completeForm({ [field]: '' })],
      ['posted as spaces only', completeForm({ [field]: ' \u3000\t' })],
      ['not posted at all', without(completeForm(), field)],
    ])(`is refused with 「${message}」 when %s, keeping the posted values`, (_how, form) => {
      const posted = structuredClone(form);
      const problem = refused(submit(form));

      expect(problem.errors).toStrictEqual({ [field]: message });
      expect(problem.values).toStrictEqual(posted);
    });
  });
});

describe('consultation form: triggers and repeated rows', () => {
  it('refuses a form with no trigger ticked (browser posts no triggers field)', () => {
    const problem = refused(submit(without(completeForm(), 'triggers')));
    expect(Object.keys(problem.errors)).toEqual(['triggers']);
    expect(problem.errors.triggers).toBe('諮問の区分を選んでください。');
  });

  it.each([
    ['an empty list', []],
    ['only a blank value (hidden fallback input)', ''],
  ])('refuses %s of triggers', (_how, triggers) => {
    const problem = refused(submit(completeForm({ triggers })));
    expect(problem.errors).toStrictEqual({ triggers: '諮問の区分を一つ以上選んでください。' });
  });

  it('reads a single ticked trigger posted as a plain string', () => {
    const value = accepted(submit(completeForm({ triggers: 'outsourcing' })));
    expect(value.triggers).toEqual(['outsourcing']);
  });

  it('refuses a form with no data item rows', () => {
    const form = without(completeForm(), ...fieldsStartingWith(completeForm(), 'items.'));
    const problem = refused(submit(form));
    expect(problem.errors).toStrictEqual({ items: '個人情報の項目を入力してください。' });
  });

  it('refuses a form whose data item rows are all spare blank rows', () => {
    const form = without(completeForm(), ...fieldsStartingWith(completeForm(), 'items.'));
    const problem = refused(submit({ ...form, 'items.0.name': '', 'items.1.name': '  ' }));
    expect(problem.errors).toStrictEqual({ items: '個人情報の項目を一つ以上入力してください。' });
  });

  it('refuses a form with no flow rows', () => {
    const form = without(completeForm(), ...fieldsStartingWith(completeForm(), 'flows.'));
    const problem = refused(submit(form));
    expect(problem.errors).toStrictEqual({ flows: '個人情報の流れを入力してください。' });
  });

  it('refuses a flow row without its means, keyed by the row field', () => {
    for (const form of [completeForm({ 'flows.0.means': '' }), without(completeForm(), 'flows.0.means')]) {
      const problem = refused(submit(form));
      expect(problem.errors).toStrictEqual({ 'flows.0.means': '送付方法を選んでください。' });
    }
  });

  it('refuses a flow means that is not one of the offered choices', () => {
    const problem = refused(submit(completeForm({ 'flows.0.means': 'carrier_pigeon' })));
    expect(problem.errors).toStrictEqual({ 'flows.0.means': '送付方法を選んでください。' });
  });

  it('ignores blank spare rows for items and flows', () => {
    const form = completeForm({
      'items.4.name': '',
      'items.5.name': '   ',
      'items.5.sensitive': '',
      'flows.1.from': '',
      'flows.1.to': '',
      'flows.1.what': '',
      'flows.1.means': '',
      'flows.2.from': ' ',
      'flows.2.to': '',
      'flows.2.what': '',
    });
    const value = accepted(submit(form));
    expect(value.items.map((i) => i.name)).toEqual(['氏名', '住所', '口座番号', '病歴']);
    expect(value.flows).toHaveLength(1);
    expect(value.flows[0]?.means).toBe('file_transfer');
  });
});

describe('consultation form: sections that depend on the triggers', () => {
  const vendorFields = fieldsStartingWith(completeForm(), 'vendor.');
  const linked = { 'linkedSystem.party': '株式会社クラウド基盤', 'linkedSystem.system': '福祉総合システム', 'linkedSystem.line': 'LGWAN' };

  it('with outsourcing, refuses a form without the vendor section', () => {
    const problem = refused(submit(without(completeForm(), ...vendorFields)));
    expect(problem.errors).toStrictEqual({ 'vendor.name': '委託の場合は委託先の名称を入力するか、「選定中」を選んでください。' });
  });

  it('with outsourcing, treats a vendor section posted entirely blank as missing', () => {
    const blank = Object.fromEntries(vendorFields.map((k) => [k, '']));
    const problem = refused(submit(completeForm(blank)));
    expect(problem.errors).toStrictEqual({ 'vendor.name': '委託の場合は委託先の名称を入力するか、「選定中」を選んでください。' });
  });

  it('with outsourcing, refuses a certification other than none without its expiry date', () => {
    for (const certification of ['privacy_mark', 'isms', 'both']) {
      for (const form of [
        completeForm({ 'vendor.certification': certification, 'vendor.certificationExpiry': '' }),
        without(completeForm({ 'vendor.certification': certification }), 'vendor.certificationExpiry'),
        completeForm({ 'vendor.certification': certification, 'vendor.certificationExpiry': '2027/09/30' }),
      ]) {
        const problem = refused(submit(form));
        expect(problem.errors).toStrictEqual({ 'vendor.certificationExpiry': '認証の有効期限を年-月-日の形で入力してください。' });
      }
    }
  });

  it('with outsourcing and certification none, needs no expiry date', () => {
    const value = accepted(submit(completeForm({ 'vendor.certification': 'none', 'vendor.certificationExpiry': '' })));
    expect(value.vendor).toMatchObject({ name: '社会福祉法人さくら会', certification: 'none' });
  });

  it('with outsourcing, refuses an unknown certification', () => {
    const problem = refused(submit(completeForm({ 'vendor.certification': 'iso9001' })));
    expect(problem.errors['vendor.certification']).toBe('認証の有無を選んでください。');
  });

  it('with online_link, refuses a form without the linked system', () => {
    const problem = refused(submit(completeForm({ triggers: ['outsourcing', 'online_link'] })));
    expect(problem.errors).toStrictEqual({ 'linkedSystem.party': 'オンライン結合の場合は結合先を入力してください。' });
  });

  it('with online_link and the linked system filled, accepts the form and keeps the section', () => {
    const value = accepted(submit(completeForm({ triggers: ['outsourcing', 'online_link'], ...linked })));
    expect(value.linkedSystem).toStrictEqual({ party: '株式会社クラウド基盤', system: '福祉総合システム', line: 'LGWAN' });
  });

  it('without outsourcing, drops a vendor section typed earlier', () => {
    const value = accepted(submit(completeForm({ triggers: ['sensitive'] })));
    expect(value.vendor).toBeUndefined();
    expect(JSON.parse(JSON.stringify(value))).not.toHaveProperty('vendor');
  });

  it('without online_link, drops a linked system typed earlier', () => {
    const value = accepted(submit(completeForm({ triggers: ['outsourcing', 'sensitive'], ...linked })));
    expect(value.linkedSystem).toBeUndefined();
    expect(value.vendor?.name).toBe('社会福祉法人さくら会');
  });
});

describe('consultation form: dates and numbers', () => {
  it.each([
    ['2027-02-30', '開始予定日が正しい日付ではありません。'],
    ['2027-13-01', '開始予定日が正しい日付ではありません。'],
    ['2027/04/01', '開始予定日は年-月-日の形で入力してください。'],
    ['令和9年4月1日', '開始予定日は年-月-日の形で入力してください。'],
  ])('refuses plannedStart %s', (plannedStart, message) => {
    const problem = refused(submit(completeForm({ plannedStart })));
    expect(problem.errors).toStrictEqual({ plannedStart: message });
  });

  it('accepts 29 February in a leap year', () => {
    expect(accepted(submit(completeForm({ plannedStart: '2028-02-29' }))).plannedStart).toBe('2028-02-29');
    expect(refused(submit(completeForm({ plannedStart: '2027-02-29' }))).errors.plannedStart).toBe('開始予定日が正しい日付ではありません。');
  });

  it.each([
    ['abc', '対象者数は数字で入力してください。'],
    ['-1', '対象者数は0以上で入力してください。'],
    ['1.5', '対象者数は整数で入力してください。'],
    ['', '対象者数を入力してください。'],
  ])('refuses subjectCount %j', (subjectCount, message) => {
    const problem = refused(submit(completeForm({ subjectCount })));
    expect(problem.errors).toStrictEqual({ subjectCount: message });
  });

  it('accepts a subjectCount of 0 and surrounding spaces', () => {
    expect(accepted(submit(completeForm({ subjectCount: '0' }))).subjectCount).toBe(0);
    expect(accepted(submit(completeForm({ subjectCount: ' 42 ' }))).subjectCount).toBe(42);
  });
});

describe('consultation form: drafts', () => {
  it('accepts a draft with only a title', () => {
    expect(accepted(saveDraft({ title: '下書きの件名' }))).toStrictEqual({ title: '下書きの件名' });
  });

  it('refuses a draft without a title', () => {
    expect(refused(saveDraft({})).errors).toStrictEqual({ title: '件名を入力してください。' });
    expect(refused(saveDraft({ title: '  ', purpose: '目的だけ' })).errors).toStrictEqual({ title: '件名を入力してください。' });
  });

  it('refuses over-long text in a draft, and accepts text at the limit', () => {
    const problem = refused(saveDraft({ title: '件名', purpose: 'あ'.repeat(2001) }));
    expect(problem.errors).toStrictEqual({ purpose: '目的は2000文字以内で入力してください。' });
    expect(accepted(saveDraft({ title: '件名', purpose: 'あ'.repeat(2000) })).purpose).toHaveLength(2000);
  });

  it('accepts an incomplete draft that submission would refuse', () => {
    const form = completeForm({ plannedStart: '', triggers: [], 'flows.0.means': '' });
    expect(submit(form).ok).toBe(false);
    const value = accepted(saveDraft(form));
    expect(value.triggers).toEqual([]);
    expect(value.flows?.[0]?.from).toBe('生活福祉課');
  });

  it('survives a round trip through the flat form unchanged', () => {
    const first = accepted(saveDraft(completeForm()));
    const flat = objectToForm(first);
    expect(flat['items.3.sensitive']).toBe('on');
    expect(flat).not.toHaveProperty('items.0.sensitive');
    const again = accepted(saveDraft(flat));
    expect(again).toStrictEqual(first);
  });
});

describe('consultation form: markup is kept as text', () => {
  const payload = '<script>alert(1)</script>';
  const textFields = [
    'title',
    'contactName',
    'contactPhone',
    'purpose',
    'businesses.0.name',
    'businesses.0.registration',
    'businesses.1.name',
    'items.0.name',
    'subjects',
    'flows.0.from',
    'flows.0.to',
    'flows.0.what',
    'vendor.name',
    'vendor.subcontractors',
    'linkedSystem.party',
    'linkedSystem.system',
    'linkedSystem.line',
    'abroad.country',
    'abroad.measures',
    'technicalSafeguards',
    'operationalSafeguards',
    'retention',
    'disposal',
  ];
  const form = completeForm({
    triggers: ['outsourcing', 'online_link', 'abroad'],
    'abroad.basis': 'equivalent_measures',
    ...Object.fromEntries(textFields.map((f) => [f, payload])),
  });

  it.each([
    ['submission', () => accepted(submit(form))],
    ['draft', () => accepted(saveDraft(form))],
  ])('keeps <script> verbatim in every text field of a %s', (_schema, parse) => {
    const flat = objectToForm(parse());
    for (const field of textFields) expect({ field, value: flat[field] }).toStrictEqual({ field, value: payload });
  });

  it('keeps quotes, ampersands and entities unaltered', () => {
    const tricky = `"&amp;'<img src=x onerror=alert(1)>`;
    const value = accepted(submit(completeForm({ purpose: tricky, 'items.1.name': tricky })));
    expect(value.purpose).toBe(tricky);
    expect(value.items[1]?.name).toBe(tricky);
  });
});

describe('formToObject', () => {
  const blankRow = fc.record({ name: fc.constantFrom('', ' ', '\u3000', '\t\n '), sensitive: fc.constantFrom<string | undefined>(undefined, '') });
  const filledRow = fc.record({
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== ''),
    sensitive: fc.constantFrom<string | undefined>(undefined, 'on'),
  });
  const row = fc.oneof(
    blankRow.map((r) => ({ ...r, blank: true })),
    filledRow.map((r) => ({ ...r, blank: false })),
  );

  it('keeps exactly the non-blank item rows, in order', () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 15 }), (rows) => {
        const form: Record<string, string> = { title: '件名' };
        rows.forEach((r, i) => {
          form[`items.${i}.name`] = r.name;
          if (r.sensitive !== undefined) form[`items.${i}.sensitive`] = r.sensitive;
        });
        const expected = rows.filter((r) => !r.blank).map((r) => (r.sensitive === undefined ? { name: r.name } : { name: r.name, sensitive: r.sensitive }));
        expect(formToObject(form).items).toStrictEqual(expected);
      }),
    );
  });
});

describe('consultation form: hostile and unusual field names', () => {
  it('ignores crafted names instead of walking into prototypes or crashing', () => {
    const form = completeForm({ '__proto__.polluted': 'yes', 'constructor.prototype.polluted2': 'yes', 'title.x': 'y', 'items.name': 'z' });
    const r = checkForm(ordinanceForm, form, formToObject, postedPath);
    expect(r.ok).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['polluted2']).toBeUndefined();
  });

  it('reports an error on the row as posted, even after blank rows before it', () => {
    const form = completeForm({
      'flows.0.from': '',
      'flows.0.to': '',
      'flows.0.what': '',
      'flows.0.means': '',
      'flows.1.from': '市民課',
      'flows.1.to': '委託先',
      'flows.1.what': '氏名',
    });
    const r = checkForm(ordinanceForm, form, formToObject, postedPath);
    expect(r.ok ? {} : r.errors).toEqual({ 'flows.1.means': '送付方法を選んでください。' });
  });

  it('does not let a half-filled vendor section block a case without 委託', () => {
    const r = checkForm(ordinanceForm, completeForm({ triggers: ['sensitive'], 'vendor.name': '', 'vendor.certification': 'isms' }), formToObject, postedPath);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value.vendor).toBeUndefined();
  });

  it('reads the subject count as plain digits only', () => {
    for (const v of ['0x10', '1e3']) {
      const r = checkForm(ordinanceForm, completeForm({ subjectCount: v }), formToObject, postedPath);
      expect(r.ok ? {} : r.errors).toEqual({ subjectCount: '対象者数は数字で入力してください。' });
    }
  });
});

describe('consultation form: a form of thousands of rows (issue 17)', () => {
  const bodyOf = (text: string) => readForm({ body: text, isBase64Encoded: false } as Parameters<typeof readForm>[0]);
  const department = DEMO_IDENTITIES.find((u) => u.role === 'department')!;
  const pageFor = (state: { values: Form; errors: Record<string, string> }) =>
    consultationFormPage({ viewer: department, council: { councilId: 'sakura', name: '審議会' } as Council, department: undefined, state, action: '/' });
  const itemRowsDrawn = (page: string) => [...page.matchAll(/name="items\.\d+\.name"/g)].length;

  it('refuses the 64 KB form of 3,500 rows with one clear error, validating no row past the limit, on a page smaller than the form', () => {
    const body = manyRowsBody(3500);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(MAX_FORM_BYTES);
    expect(Buffer.byteLength(body)).toBeGreaterThan(60_000);
    const form = bodyOf(body);
    // Rows past the limit never reach the schema: one over it, so the schema's limit error shows.
    expect((formToObject(form)['items'] as unknown[]).length).toBe(ROW_LIMITS.items + 1);

    const draft = refused(checkForm(consultationDraft, form, formToObject, postedPath));
    expect(draft.errors).toEqual({ items: `個人情報の項目は${ROW_LIMITS.items}件までです。` });
    const submission = refused(checkForm(ordinanceForm, form, formToObject, postedPath));
    expect(submission.errors['items']).toBe(`個人情報の項目は${ROW_LIMITS.items}件までです。`);
    expect(Object.keys(submission.errors).length).toBeLessThan(20);

    const page = pageFor(draft);
    expect(page).toContain(`個人情報の項目は${ROW_LIMITS.items}件までです。`);
    expect(page).toContain('入力内容を確認してください(1件)');
    // The page draws the rows the group may hold plus its spare ones, not one per row posted.
    expect(itemRowsDrawn(page)).toBe(ROW_LIMITS.items + 2);
    expect(Buffer.byteLength(page)).toBeLessThan(Buffer.byteLength(body));
  });

  it('takes exactly the limit, and refuses one row more', () => {
    const rows = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`items.${i}.name`, `項目${i}`]));
    expect(checkForm(ordinanceForm, completeForm(rows(ROW_LIMITS.items)), formToObject, postedPath).ok).toBe(true);
    const over = refused(checkForm(ordinanceForm, completeForm(rows(ROW_LIMITS.items + 1)), formToObject, postedPath));
    expect(over.errors).toEqual({ items: `個人情報の項目は${ROW_LIMITS.items}件までです。` });
    const flows = Object.fromEntries(
      Array.from({ length: ROW_LIMITS.flows + 1 }, (_, i) => [
        [`flows.${i}.from`, '市民課'],
        [`flows.${i}.to`, '委託先'],
        [`flows.${i}.what`, '氏名'],
        [`flows.${i}.means`, 'email'],
      ]).flat(),
    );
    const tooManyFlows = refused(checkForm(consultationDraft, completeForm(flows), formToObject, postedPath));
    expect(tooManyFlows.errors).toEqual({ flows: `個人情報の流れは${ROW_LIMITS.flows}件までです。` });
  });

  it('reads only plainly written row indices below 1000, and one value per field', () => {
    const form = completeForm({ 'items.01.name': '先頭ゼロ', 'items.1000.name': '範囲外', 'items.4.name': ['前', '後'] });
    const items = formToObject(form)['items'] as { name: string }[];
    expect(items.map((i) => i.name)).toEqual(['氏名', '住所', '口座番号', '病歴', '後']);
  });

  it('checks a trigger repeated thousands of times once', () => {
    const form = bodyOf(`title=x&${'triggers=sensitive&'.repeat(1500)}${'triggers=bogus&'.repeat(1500)}triggers=`);
    const r = refused(checkForm(consultationDraft, form, formToObject, postedPath));
    expect(Object.keys(r.errors)).toEqual(['triggers.1']);
    expect(formToObject(form)['triggers']).toEqual(['sensitive', 'bogus']);
  });

  it('draws no more rows than a group may hold, whatever index a form names', () => {
    const page = pageFor({ values: { title: 'x', 'items.999.name': '遠い行', 'flows.999.from': '遠い行' }, errors: {} });
    expect(itemRowsDrawn(page)).toBe(ROW_LIMITS.items + 2);
    expect([...page.matchAll(/name="flows\.\d+\.from"/g)].length).toBe(ROW_LIMITS.flows + 1);
  });

  it('reads a body linearly into own fields: repeated names become one array, `__proto__` stays a field', () => {
    const form = bodyOf(`${'a=1&'.repeat(5000)}__proto__=x&constructor=y`);
    expect(form['a']).toHaveLength(5000);
    expect(Object.hasOwn(form, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(form, '__proto__')?.value).toBe('x');
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
  });
});

describe('consultation form: several 事務, transfer abroad, a vendor still being chosen (issue 15)', () => {
  const check = (form: Form) => checkForm(ordinanceForm, form, formToObject, postedPath);
  const department = DEMO_IDENTITIES.find((u) => u.role === 'department')!;
  const pageFor = (state: { values: Form; errors: Record<string, string> }, addBusinessRow = false) =>
    consultationFormPage({
      viewer: department,
      council: { councilId: 'sakura', name: '審議会' } as Council,
      department: undefined,
      state,
      action: '/',
      addBusinessRow,
    });
  const abroad = {
    triggers: ['abroad', 'sensitive'],
    'abroad.country': 'アメリカ合衆国',
    'abroad.basis': 'equivalent_measures',
    'abroad.measures': 'クラウド事業者A社',
  };
  const threeBusinesses = {
    'businesses.0.name': '住民基本台帳事務',
    'businesses.0.registration': '市-001',
    // A blank row left between them (an 「追加」 pressed once too often) counts for nothing.
    'businesses.1.name': '',
    'businesses.2.name': '印鑑登録事務',
    'businesses.3.name': '個人住民税の賦課事務',
  };

  it('takes several 事務 in the order typed, and names the case 「… 他N件」', () => {
    const value = accepted(check(completeForm(threeBusinesses)));
    expect(value.businesses).toStrictEqual([{ name: '住民基本台帳事務', registration: '市-001' }, { name: '印鑑登録事務' }, { name: '個人住民税の賦課事務' }]);
    expect(businessSummary(value)).toBe('住民基本台帳事務 他2件');
    expect(businessSummary(accepted(check(completeForm())))).toBe('生活保護に関する事務');
    // Each 事務 its own history key; the first is the case's own.
    expect(businessKeysOf(value)).toEqual(value.businesses.map(keyOfBusiness));
    expect(businessKeyOf(value)).toBe(keyOfBusiness({ name: '住民基本台帳事務', registration: '市-001' }));
  });

  it('wants at least one 事務, the error beside the first row; an error in a later row beside that row as posted', () => {
    for (const form of [without(completeForm(), 'businesses.0.name', 'businesses.0.registration'), completeForm({ 'businesses.0.name': ' \u3000' })]) {
      expect(refused(check(form)).errors).toStrictEqual({ 'businesses.0.name': '個人情報取扱事務の名称を入力してください。' });
    }
    const long = refused(check(completeForm({ ...threeBusinesses, 'businesses.3.name': 'あ'.repeat(101) })));
    expect(long.errors).toStrictEqual({ 'businesses.3.name': '個人情報取扱事務の名称は100文字以内で入力してください。' });
    const rows = Object.fromEntries(Array.from({ length: ROW_LIMITS.businesses + 1 }, (_, i) => [`businesses.${i}.name`, `事務${i}`]));
    expect(refused(check(completeForm(rows))).errors).toStrictEqual({ businesses: `個人情報取扱事務は${ROW_LIMITS.businesses}件までです。` });
  });

  it('reads a form drawn before several 事務 existed (businessName) as its first row, and a saved one back as rows', () => {
    const old = without(completeForm(), 'businesses.0.name', 'businesses.0.registration');
    const value = accepted(check({ ...old, businessName: '生活保護に関する事務', businessRegistration: '福-012' }));
    expect(value.businesses).toStrictEqual([{ name: '生活保護に関する事務', registration: '福-012' }]);
    expect(objectToForm({ title: '旧', businessName: '住民記録事務', businessRegistration: '市-9' })).toStrictEqual({
      title: '旧',
      'businesses.0.name': '住民記録事務',
      'businesses.0.registration': '市-9',
    });
    expect(businessesOf({ businessName: '住民記録事務' })).toStrictEqual([{ name: '住民記録事務' }]);
    // A draft's row typed without its name yet comes back as typed.
    expect(objectToForm({ title: '下書き', businesses: [{ name: '住民記録事務' }, { registration: '市-2' }] })).toStrictEqual({
      title: '下書き',
      'businesses.0.name': '住民記録事務',
      'businesses.1.registration': '市-2',
    });
  });

  it('requires the country, the case of the law and the safeguards when the transfer abroad is chosen, each beside its field', () => {
    const value = accepted(check(completeForm(abroad)));
    expect(value.abroad).toStrictEqual({ country: 'アメリカ合衆国', basis: 'equivalent_measures', measures: 'クラウド事業者A社' });
    expect(consultedLines(value)).toContain(`外国にある第三者への提供:提供先の国 アメリカ合衆国(${ABROAD_BASES.equivalent_measures})`);
    const missing = refused(check(without(completeForm(abroad), 'abroad.country', 'abroad.basis', 'abroad.measures')));
    expect(missing.errors).toStrictEqual({
      'abroad.country': '外国にある第三者への提供の場合は提供先の国名を入力してください。',
      'abroad.basis': '提供の根拠(相当措置・基準に適合する体制など)を選んでください。',
      'abroad.measures': '提供先と講じられている措置を入力してください。',
    });
    const partial = refused(check(completeForm({ ...abroad, 'abroad.country': ' ', 'abroad.basis': 'treaty' })));
    expect(partial.errors).toStrictEqual({
      'abroad.country': '提供先の国名を入力してください。',
      'abroad.basis': '提供の根拠(相当措置・基準に適合する体制など)を選んでください。',
    });
    // Not chosen: whatever was typed there is dropped, never sent to the council.
    expect(accepted(check(completeForm({ 'abroad.country': '中国' }))).abroad).toBeUndefined();
  });

  it('takes 「選定中」 instead of a vendor, dropping what was typed of one; without it a vendor needs its name and certification', () => {
    const selecting = accepted(check(completeForm({ 'vendor.selecting': 'on', 'vendor.name': '', 'vendor.certification': '' })));
    expect(selecting.vendor).toStrictEqual({ selecting: true });
    expect(accepted(check(completeForm({ 'vendor.selecting': 'on' }))).vendor).toStrictEqual({ selecting: true });
    expect(refused(check(completeForm({ 'vendor.name': '' }))).errors).toStrictEqual({ 'vendor.name': '委託先の名称を入力してください。' });
    expect(refused(check(without(completeForm(), 'vendor.certification', 'vendor.certificationExpiry'))).errors).toStrictEqual({
      'vendor.certification': '認証の有無を選んでください。',
    });
  });

  it('draws one more 事務 row on 「事務を追加」, keeping every value typed, and escapes every new field', () => {
    const payload = '<img src=x onerror=alert(1)>';
    const values = completeForm({
      ...threeBusinesses,
      ...abroad,
      'businesses.2.name': payload,
      'abroad.country': payload,
      'abroad.measures': payload,
      'vendor.selecting': 'on',
    });
    const page = pageFor({ values, errors: {} }, true);
    expect([...page.matchAll(/name="businesses\.(\d+)\.name"/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4]);
    expect(page).toMatch(/id="f-businesses-4-name" name="businesses\.4\.name" aria-label="事務5の名称" value="" autofocus>/);
    expect(page).toContain('value="住民基本台帳事務"');
    expect(page).toContain('value="市-001"');
    expect(page).not.toContain(payload);
    expect(page.split('&lt;img src=x onerror=alert(1)&gt;').length - 1).toBeGreaterThanOrEqual(3);
    expect(page).toMatch(/<option value="equivalent_measures" selected>/);
    expect(page).toMatch(/name="vendor\.selecting" checked>/);
    // Without 「追加」, the rows typed and no more; never past the limit.
    expect([...pageFor({ values, errors: {} }).matchAll(/name="businesses\.\d+\.name"/g)]).toHaveLength(4);
    const full = Object.fromEntries(Array.from({ length: ROW_LIMITS.businesses }, (_, i) => [`businesses.${i}.name`, `事務${i}`]));
    const fullPage = pageFor({ values: full, errors: {} }, true);
    expect([...fullPage.matchAll(/name="businesses\.\d+\.name"/g)]).toHaveLength(ROW_LIMITS.businesses);
    expect(fullPage).not.toContain('value="addBusiness"');
  });
});
