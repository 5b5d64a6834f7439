import { describe, expect, it } from 'vitest';
import { consultation } from '#shared/adapters/store/entities.ts';
import { conclusionOf } from '#shared/domain/answer.ts';
import { consultationDraft, consultationSubmission, consultedLines, formToObject, postedPath } from '#shared/domain/consultation-form.ts';
import { kindSummary } from '#shared/domain/consultation-kinds.ts';
import { caseKind } from '#shared/domain/legal-basis.ts';
import { checkForm } from '#shared/forms.ts';
import { sheet } from '#templates/pages/consultations.ts';
import { completeForm } from '../support/consultation-forms.ts';
import { blanketForm, individualForm, ordinanceChangeForm } from '../support/kind-forms.ts';

const submit = (form: Record<string, string | string[]>) => checkForm(consultationSubmission, form, formToObject, postedPath);
const errorsOf = (form: Record<string, string | string[]>) => {
  const r = submit(form);
  return r.ok ? {} : r.errors;
};

describe('one schema per kind of consultation (諮問の種類)', () => {
  it('takes each kind complete, keeping only that kind’s fields', () => {
    for (const form of [completeForm({ kind: 'ordinance_trigger' }), individualForm(), ordinanceChangeForm(), blanketForm()]) {
      const r = submit(form);
      expect(r.ok, JSON.stringify(!r.ok && r.errors)).toBe(true);
    }
    const change = submit({ ...ordinanceChangeForm(), purpose: '残っていた目的', 'items.0.name': '氏名' });
    expect(change.ok && change.value).toEqual({
      kind: 'ordinance_change',
      title: 'さくら市個人情報の保護に関する法律施行条例の一部改正',
      contactName: '山下 潤',
      contactPhone: '内線 2141',
      ordinance: {
        name: 'さくら市個人情報の保護に関する法律施行条例',
        action: 'amend',
        summary: '開示請求の手数料を無料とし、審議会への諮問事項を改める。',
        effectiveOn: '2027-04-01',
      },
    });
  });

  it('asks an individual case for its question and reason, not for the old triggers', () => {
    expect(errorsOf(individualForm({ question: ' ', reason: '' }))).toEqual({
      question: '諮問する事項を入力してください。',
      reason: '諮問の理由(専門的知見が特に必要な理由)を入力してください。',
    });
    // The ordinance's triggers are not this kind's: a crafted 委託 is dropped, the vendor with it.
    const r = submit(
      individualForm({
        triggers: ['outsourcing', 'abroad'],
        'abroad.country': 'アメリカ合衆国',
        'abroad.basis': 'equivalent_measures',
        'abroad.measures': '基準に適合する体制',
      }),
    );
    expect(r.ok && r.value).toMatchObject({ kind: 'individual', triggers: ['abroad'], abroad: { country: 'アメリカ合衆国' } });
    expect(r.ok && 'vendor' in r.value).toBe(false);
    // 外国にある第三者への提供 ticked without its details is refused beside them.
    expect(errorsOf(individualForm({ triggers: 'abroad' }))).toMatchObject({
      'abroad.country': '外国にある第三者への提供の場合は提供先の国名を入力してください。',
    });
    // The personal-information sections stay required.
    expect(errorsOf(individualForm({ 'items.0.name': '', 'items.1.name': '', 'items.2.name': '', 'items.3.name': '', 'items.3.sensitive': '' }))).toMatchObject(
      {
        items: '個人情報の項目を一つ以上入力してください。',
      },
    );
  });

  it('asks a change of rules for its name, action, summary and date, each beside its field', () => {
    expect(errorsOf({ kind: 'ordinance_change', title: '条例改正', contactName: '山下', contactPhone: '2141' })).toEqual({
      'ordinance.name': '条例・規則の名称を入力してください。',
      'ordinance.action': '制定・改正・廃止のいずれかを選んでください。',
      'ordinance.summary': '制定・改正の概要を入力してください。',
      'ordinance.effectiveOn': '施行予定日を入力してください。',
    });
    expect(errorsOf(ordinanceChangeForm({ 'ordinance.action': 'rewrite', 'ordinance.effectiveOn': '2027-02-30' }))).toMatchObject({
      'ordinance.action': '制定・改正・廃止のいずれかを選んでください。',
    });
  });

  it('asks a blanket approval for its class: name, scope, conditions and how cases are reported', () => {
    expect(errorsOf(blanketForm({ 'blanket.scope': '', 'blanket.reportMethod': ' ' }))).toEqual({
      'blanket.scope': '対象となる取扱いの範囲を入力してください。',
      'blanket.reportMethod': '報告の方法を入力してください。',
    });
  });

  it('keeps whatever was typed in a draft, of any kind, and refuses a kind that is not a form', () => {
    const d = consultationDraft.safeParse(formToObject({ kind: 'blanket', title: '下書き', 'blanket.name': '<b>類型</b>', question: '別の種類の欄' }));
    expect(d.success && d.data).toMatchObject({ kind: 'blanket', blanket: { name: '<b>類型</b>' }, question: '別の種類の欄' });
    expect(consultationDraft.safeParse({ title: 'x', kind: 'pia_review' }).success).toBe(false);
    expect(errorsOf({ ...blanketForm(), kind: 'pia_review' })).toEqual({ kind: '諮問の種類を選んでください。' });
  });

  it('reads a form posted without a kind as the ordinance’s form, as before', () => {
    expect(submit(completeForm()).ok).toBe(true);
    expect(errorsOf(completeForm({ triggers: [] }))).toMatchObject({ triggers: '諮問の区分を一つ以上選んでください。' });
  });
});

describe('how each kind is restated', () => {
  it('prints the kind’s own rows on the sheet, escaped, and no data-flow rows for a change of rules', () => {
    const change = sheet(formToObject(ordinanceChangeForm({ 'ordinance.summary': '<script>x</script>' })) as never, undefined).toString();
    expect(change).toContain('<dt>諮問の種類</dt><dd class="pre">条例・規則の制定改廃</dd>');
    expect(change).toContain('<dt>制定・改正・廃止</dt><dd class="pre">改正</dd>');
    expect(change).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(change).toContain('令和9年4月1日');
    expect(change).not.toContain('個人情報の流れ');
    const individual = sheet(formToObject(individualForm()) as never, undefined).toString();
    expect(individual).toContain('<dt>諮問する事項</dt>');
    expect(individual).toContain('<dt>個人情報の流れ</dt>');
    expect(individual).not.toContain('<dt>諮問の区分</dt>');
  });

  it('words the answer and its lines by kind', () => {
    const blanket = formToObject(blanketForm()) as never;
    expect(consultedLines(blanket)[0]).toBe('包括諮問の類型:災害時の避難行動要支援者名簿の提供');
    expect(kindSummary(formToObject(ordinanceChangeForm()) as never)).toContainEqual(['制定・改正・廃止', '改正']);
    expect(conclusionOf({ outcome: 'approved', kind: 'blanket' })).toContain('包括的に認める');
    expect(conclusionOf({ outcome: 'rejected', kind: 'ordinance_change' })).toBe('諮問のとおり条例・規則を制定・改正・廃止することは、適当でない。');
    expect(conclusionOf({ outcome: 'approved' })).toBe('諮問のとおり実施することを認める。');
  });

  it('reads a stored version-2 case’s kind: the ordinance’s form if it ticked triggers, else its council’s usual kind', () => {
    const base = {
      councilId: 'sakura',
      consultationId: 'k1',
      departmentId: 'd1',
      status: 'draft',
      returns: 0,
      createdBy: 'u',
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    };
    const keys = { pk: 'C#sakura#CASE#k1', sk: 'CASE', _type: 'consultation', _v: 2 };
    const withTriggers = consultation.decode({ ...keys, ...base, form: { title: 't', triggers: ['outsourcing'] } });
    expect(withTriggers.form.kind).toBe('ordinance_trigger');
    const bare = consultation.decode({ ...keys, ...base, form: { title: 't' } });
    expect(bare.form.kind).toBeUndefined();
    expect(caseKind(bare.form, { legalBasis: 'act2023' })).toBe('individual');
    expect(caseKind(bare.form, {})).toBe('ordinance_trigger');
  });
});
