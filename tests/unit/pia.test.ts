import { describe, expect, it } from 'vitest';
import {
  commentsOf,
  findingsOf,
  piaCommentInput,
  piaOpinionDocument,
  piaOpinionInput,
  piaReviewInput,
  piaStepInput,
  prefillFindings,
  reevaluationDue,
  remindersDue,
  requiredEvaluation,
  satisfies,
} from '#shared/domain/pia.ts';
import { checkForm } from '#shared/forms.ts';

describe('しきい値判断(特定個人情報保護評価指針)', () => {
  const judge = (subjects: number, handlers = 0, seriousIncident = false) => requiredEvaluation({ subjects, handlers, seriousIncident });

  it('対象人数1,000人未満は評価の義務がなく、1万人未満は基礎項目評価', () => {
    expect(judge(999, 10_000, true)).toBe('none');
    expect(judge(1_000)).toBe('basic');
    expect(judge(9_999, 10_000, true)).toBe('basic');
  });

  it('1万人以上10万人未満は、取扱者500人以上か重大事故があれば重点項目評価', () => {
    expect(judge(10_000, 499)).toBe('basic');
    expect(judge(10_000, 500)).toBe('priority');
    expect(judge(99_999, 0, true)).toBe('priority');
  });

  it('10万人以上30万人未満は、取扱者500人以上か重大事故があれば全項目評価、なければ重点項目評価', () => {
    expect(judge(100_000, 499)).toBe('priority');
    expect(judge(100_000, 500)).toBe('full');
    expect(judge(299_999, 1, true)).toBe('full');
  });

  it('30万人以上は全項目評価', () => {
    expect(judge(300_000)).toBe('full');
  });

  it('求められる評価より簡易な評価書は選べず、より詳しい評価はいつでも選べる', () => {
    expect(satisfies('basic', 'priority')).toBe(false);
    expect(satisfies('priority', 'full')).toBe(false);
    expect(satisfies('full', 'basic')).toBe(true);
    expect(satisfies('basic', 'none')).toBe(true);
    expect(satisfies('priority', 'priority')).toBe(true);
  });
});

describe('再評価の期限とお知らせ', () => {
  it('提出から5年後、重要な変更があればその日が早ければその日', () => {
    expect(reevaluationDue({ submittedOn: '2026-12-01' })).toBe('2031-12-01');
    expect(reevaluationDue({ submittedOn: '2028-02-29' })).toBe('2033-02-28');
    expect(reevaluationDue({ submittedOn: '2026-12-01', majorChange: { on: '2028-04-01', note: '', reportedAt: '' } })).toBe('2028-04-01');
    expect(reevaluationDue({ submittedOn: '2026-12-01', majorChange: { on: '2032-04-01', note: '', reportedAt: '' } })).toBe('2031-12-01');
    expect(reevaluationDue({})).toBeUndefined();
  });

  it('6か月前と1か月前に一度ずつ、期限が変われば新しい期限について改めて', () => {
    const due = '2031-12-01';
    expect(remindersDue({ reevaluationDue: due, reminders: [] }, '2031-05-31')).toEqual([]);
    expect(remindersDue({ reevaluationDue: due, reminders: [] }, '2031-06-01')).toEqual(['6m']);
    expect(remindersDue({ reevaluationDue: due, reminders: ['6m:2031-12-01'] }, '2031-08-01')).toEqual([]);
    expect(remindersDue({ reevaluationDue: due, reminders: ['6m:2031-12-01'] }, '2031-11-01')).toEqual(['1m']);
    expect(remindersDue({ reevaluationDue: due, reminders: ['6m:2031-12-01', '1m:2031-12-01'] }, '2031-11-30')).toEqual([]);
    // Past the due date: nothing more (the record shows it overdue).
    expect(remindersDue({ reevaluationDue: due, reminders: [] }, '2031-12-02')).toEqual([]);
    // Brought forward to within a month: only the nearer reminder, once.
    expect(remindersDue({ reevaluationDue: '2027-01-10', reminders: ['6m:2031-12-01'] }, '2026-12-20')).toEqual(['1m']);
    expect(remindersDue({ reevaluationDue: undefined, reminders: [] }, '2026-12-20')).toEqual([]);
  });
});

describe('フォームのスキーマ', () => {
  it('点検の記録:人数は半角の整数、重大事故の有無と種類は選択、誤りは項目ごと', () => {
    const bad = checkForm(piaReviewInput, { businessName: ' ', evaluationType: 'x', subjects: '1.5', handlers: '-1', seriousIncident: '' });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors).toEqual({
      businessName: '評価対象の事務の名称を入力してください。',
      evaluationType: '評価書の種類を選んでください。',
      subjects: '対象人数は0以上の整数(半角数字)で入力してください。',
      handlers: '取扱者数は0以上の整数(半角数字)で入力してください。',
      seriousIncident: '重大事故の有無を選んでください。',
    });
    const good = checkForm(piaReviewInput, {
      businessName: ' 住民基本台帳に関する事務 ',
      evaluationType: 'full',
      subjects: '120000',
      handlers: '30',
      seriousIncident: 'no',
    });
    expect(good).toEqual({
      ok: true,
      value: { businessName: '住民基本台帳に関する事務', evaluationType: 'full', subjects: 120000, handlers: 30, seriousIncident: 'no' },
    });
  });

  it('委員の意見:項目ごとの欄を配列として読み、長すぎる欄はその欄の誤り', () => {
    const form = { c0: 'よい', c1: 'あ'.repeat(2001), c9: '余計な欄' };
    const checked = checkForm(
      piaCommentInput(3),
      form,
      (f) => commentsOf(f, 3),
      (_f, p) => p.replace(/^comments\.(\d+)$/, 'c$1'),
    );
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(Object.keys(checked.errors)).toEqual(['c1']);
    expect(checkForm(piaCommentInput(3), { c0: ' よい ' }, (f) => commentsOf(f, 3))).toEqual({ ok: true, value: { comments: ['よい', '', ''] } });
  });

  it('意見案:結論は3つから選ぶ', () => {
    const checked = checkForm(piaOpinionInput(2), { verdict: 'ok', f0: '', f1: '' }, (f) => findingsOf(f, 2));
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.errors['verdict']).toBe('意見(結論)を選んでください。');
  });

  it('意見の後の手続:手続ごとに必要な日付を求める', () => {
    expect(checkForm(piaStepInput, { step: 'published', on: '2026-02-30' }).ok).toBe(false);
    const change = checkForm(piaStepInput, { step: 'major_change', on: '2027-04-01', note: '' });
    expect(change.ok || change.errors).toEqual({ note: '変更の内容を入力してください。' });
    expect(checkForm(piaStepInput, { step: 'public_comment', from: '2026-12-01', to: '2026-12-31' })).toEqual({
      ok: true,
      value: { step: 'public_comment', from: '2026-12-01', to: '2026-12-31' },
    });
  });
});

describe('意見案の下書きと意見書', () => {
  it('委員の意見を項目ごとに、委員の名前を添えて並べる', () => {
    const comments = [
      { reviewId: 'r', memberId: 'a', memberName: '前田 久美子', comments: ['', '監督の頻度を明記', ''], savedAt: '' },
      { reviewId: 'r', memberId: 'b', memberName: '三浦 詩子', comments: ['', ' ログの保存期間 ', ''], savedAt: '' },
    ];
    expect(prefillFindings(['I', 'II', 'III'], comments)).toEqual(['', '・監督の頻度を明記(前田 久美子委員)\n・ログの保存期間(三浦 詩子委員)', '']);
  });

  it('意見書は文書番号・日付・宛先・意見・項目ごとの指摘を載せる', () => {
    const doc = piaOpinionDocument({
      council: { name: 'さくら市個人情報保護審議会', municipality: 'さくら市' },
      chairName: '小林 千尋',
      departmentName: '福祉部 生活福祉課',
      review: {
        businessName: '生活保護に関する事務',
        evaluationType: 'full',
        sections: ['I 基本情報', 'III リスク対策'],
        versions: [{ n: 2, date: '2026-11-01', note: '', fileName: '', contentType: '', size: 1, objectKey: '', uploadedAt: '', uploadedBy: '' }],
        opinion: {
          verdict: 'conditional',
          summary: '総評',
          findings: ['', '監督の頻度を明記すること'],
          documentNumber: 'さくら市個審第3号',
          issuedOn: '2026-12-01',
        },
      } as never,
    });
    const all = [doc.title, ...(doc.lead ?? []), ...doc.sections.flatMap((s) => [{ text: s.heading }, ...s.blocks])]
      .map((b) => (typeof b === 'string' ? b : b.text))
      .join('\n');
    expect(all).toContain('さくら市個審第3号');
    expect(all).toContain('令和8年12月1日');
    expect(all).toContain('さくら市長 様');
    expect(all).toContain('全項目評価・第2版');
    expect(all).toContain('条件付きで適合');
    expect(all).toContain('(1) I 基本情報\n指摘事項なし');
    expect(all).toContain('(2) III リスク対策\n監督の頻度を明記すること');
  });
});
