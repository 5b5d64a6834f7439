import { describe, expect, it } from 'vitest';
import type { Council, Department } from '#shared/domain/council.ts';
import { decodeCsv, parseCsv } from '#shared/domain/history-import.ts';
import {
  deadlineText,
  describeChanges,
  type Incident,
  incidentDeadlines,
  incidentInput,
  incidentNoticesDue,
  isOverdue,
  measureInput,
  personNoticeInput,
  reportItemOf,
  submissionInput,
} from '#shared/domain/incidents.ts';
import { checkForm } from '#shared/forms.ts';
import { incidentsCsv } from '#templates/pages/incidents.ts';

const FORM = {
  title: 'USBメモリの紛失',
  overview: '住民税の課税資料を保存したUSBメモリを庁外で紛失した。',
  occurredOn: '2026-12-01',
  foundOn: '2026-12-02',
  departmentId: 'shimin',
  affectedCount: '1234',
  dataItems: '氏名、住所、課税額',
  sensitive: 'no',
  vendor: '',
  kind: 'loss',
  unlawfulPurpose: 'no',
  cause: '持ち出しの手続きが守られていなかった。',
  secondaryDamage: 'none',
};

const incident = (over: Partial<Incident> = {}): Incident => {
  const parsed = incidentInput.parse(FORM);
  return {
    ...parsed,
    vendor: undefined,
    councilId: 'sakura',
    incidentId: 'inc1',
    status: 'open',
    reports: {},
    measures: 0,
    notified: [],
    history: [],
    createdAt: '2026-12-02T01:00:00.000Z',
    createdBy: 'u-shimin',
    updatedAt: '2026-12-02T01:00:00.000Z',
    version: 1,
    ...over,
  };
};
/** 09:00 in Tokyo on a day. */
const at = (day: string) => new Date(`${day}T09:00:00+09:00`);

describe('速報・確報の期限', () => {
  it('puts the 速報 on the fifth day after the city knew, and the 確報 on the thirtieth', () => {
    const d = incidentDeadlines({ foundOn: '2026-12-02', unlawfulPurpose: false });
    expect(d.preliminary.due).toBe('2026-12-07');
    expect(d.final.due).toBe('2027-01-01');
    expect(d.preliminary.rule).toBe('覚知から概ね3〜5日以内');
    expect(d.final.rule).toBe('覚知から30日以内');
  });

  it('gives the 確報 sixty days where an unlawful purpose is suspected, the 速報 unchanged', () => {
    const d = incidentDeadlines({ foundOn: '2026-12-02', unlawfulPurpose: true });
    expect(d.preliminary.due).toBe('2026-12-07');
    expect(d.final.due).toBe('2027-01-31');
    expect(d.final.rule).toContain('60日以内');
  });

  it('counts across month, year and leap days', () => {
    expect(incidentDeadlines({ foundOn: '2028-02-26', unlawfulPurpose: false }).preliminary.due).toBe('2028-03-02');
    expect(incidentDeadlines({ foundOn: '2027-03-31', unlawfulPurpose: false }).final.due).toBe('2027-04-30');
  });

  it('shows each deadline in 和暦 with how the law words it', () => {
    const d = incidentDeadlines({ foundOn: '2026-12-02', unlawfulPurpose: false });
    expect(deadlineText(d.preliminary)).toBe('令和8年12月7日(月)まで(覚知から概ね3〜5日以内)');
    expect(deadlineText(d.final)).toBe('令和9年1月1日(金)まで(覚知から30日以内)');
  });
});

describe('reminders and escalation of the reports', () => {
  it('reminds two days before and on the day, escalates once overdue, per report not submitted', () => {
    const i = incident();
    expect(incidentNoticesDue(i, at('2026-12-04'))).toEqual([]);
    expect(incidentNoticesDue(i, at('2026-12-05'))).toEqual([
      { report: 'preliminary', due: '2026-12-07', kind: 'before', key: 'preliminary:2026-12-07:before' },
    ]);
    expect(incidentNoticesDue(i, at('2026-12-07')).map((n) => n.kind)).toEqual(['dayof']);
    expect(incidentNoticesDue(i, at('2026-12-08')).map((n) => `${n.report}:${n.kind}`)).toEqual(['preliminary:overdue']);
    expect(incidentNoticesDue(i, at('2026-12-30')).map((n) => `${n.report}:${n.kind}`)).toEqual(['preliminary:overdue', 'final:before']);
  });

  it('sends nothing already sent, nothing for a submitted report, nothing for a closed incident', () => {
    expect(incidentNoticesDue(incident({ notified: ['preliminary:2026-12-07:before'] }), at('2026-12-06'))).toEqual([]);
    const submitted = incident({ reports: { preliminary: { submittedOn: '2026-12-04', at: '', by: 'u' } } });
    expect(incidentNoticesDue(submitted, at('2026-12-08'))).toEqual([]);
    expect(isOverdue(submitted, 'preliminary', '2026-12-08')).toBe(false);
    expect(isOverdue(incident(), 'preliminary', '2026-12-08')).toBe(true);
    expect(incidentNoticesDue(incident({ status: 'closed' }), at('2027-02-01'))).toEqual([]);
  });

  it('notices again when the due day moves (an unlawful purpose found later)', () => {
    const later = incident({ unlawfulPurpose: true, notified: ['final:2027-01-01:overdue'] });
    expect(incidentNoticesDue({ ...later, reports: { preliminary: { submittedOn: '2026-12-04', at: '', by: 'u' } } }, at('2027-01-29'))).toEqual([
      { report: 'final', due: '2027-01-31', kind: 'before', key: 'final:2027-01-31:before' },
    ]);
  });
});

describe('the forms', () => {
  it('takes a complete incident: numbers, yes/no, an empty vendor left out', () => {
    const v = incidentInput.parse({ ...FORM, sensitive: 'yes', unlawfulPurpose: 'yes' });
    expect(v).toMatchObject({ affectedCount: 1234, sensitive: true, unlawfulPurpose: true, kind: 'loss', secondaryDamage: 'none' });
    expect(v.vendor).toBeUndefined();
  });

  it('puts each error beside its field, in Japanese', () => {
    const out = checkForm(incidentInput, { ...FORM, title: ' ', affectedCount: '-3', kind: 'fire', sensitive: '', foundOn: '2026-02-30' });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.errors).toMatchObject({
      title: '件名を入力してください。',
      affectedCount: '対象となった本人の数は0以上の整数で入力してください。',
      kind: '事案の種類を選んでください。',
      sensitive: '要配慮個人情報が含まれるかを選んでください。',
      foundOn: '覚知日が正しい日付ではありません。',
    });
  });

  it('refuses a 覚知日 before the 発生日', () => {
    const out = checkForm(incidentInput, { ...FORM, occurredOn: '2026-12-03', foundOn: '2026-12-02' });
    expect(out).toMatchObject({ ok: false, errors: { foundOn: '覚知日は発生日と同じ日か、それより後にしてください。' } });
  });

  it('reads the report, the notice (or why not) and a measure', () => {
    expect(submissionInput.parse({ report: 'final', submittedOn: '2026-12-20' })).toEqual({ report: 'final', submittedOn: '2026-12-20' });
    expect(checkForm(submissionInput, { report: 'other', submittedOn: '' })).toMatchObject({
      ok: false,
      errors: { report: '速報か確報かを選んでください。', submittedOn: '提出日を入力してください。' },
    });
    expect(personNoticeInput.parse({ notified: 'yes', notifiedOn: '2026-12-10', method: '郵送', count: '1234' })).toEqual({
      notified: 'yes',
      notifiedOn: '2026-12-10',
      method: '郵送',
      count: 1234,
    });
    expect(checkForm(personNoticeInput, { notified: 'no', reason: '' })).toMatchObject({ ok: false, errors: { reason: '通知しない理由を入力してください。' } });
    expect(checkForm(personNoticeInput, {})).toMatchObject({ ok: false, errors: { notified: '本人へ通知したかどうかを選んでください。' } });
    expect(checkForm(measureInput, { text: '', due: '2027-01-15' })).toMatchObject({ ok: false, errors: { text: '再発防止策の内容を入力してください。' } });
  });
});

describe('the record', () => {
  it('says what changed, with before and after for short fields', () => {
    const before = incident();
    expect(describeChanges(before, { ...before, foundOn: '2026-12-03', unlawfulPurpose: true, overview: `${before.overview}追記` })).toBe(
      '事案の概要、覚知日(2026-12-02 → 2026-12-03)、不正の目的によるおそれ(なし → あり)',
    );
    expect(describeChanges(before, { ...before })).toBe('');
  });

  it('becomes a report item for the council: 「漏えい等事案について(所管課)」 with its summary in 和暦', () => {
    const item = reportItemOf(incident({ reports: { preliminary: { submittedOn: '2026-12-04', at: '', by: 'u' } } }), '市民部 市民課');
    expect(item.title).toBe('漏えい等事案について(市民部 市民課)');
    expect(item.text).toContain('件名:USBメモリの紛失');
    expect(item.text).toContain('覚知日:令和8年12月2日');
    expect(item.text).toContain('対象となった本人の数:1234人(要配慮個人情報を含まない)');
    expect(item.text).toContain('速報 令和8年12月4日提出、確報 未提出(期限 令和9年1月1日)');
  });
});

describe('the incidents list as a CSV file', () => {
  const view = (incidents: Incident[]) => ({
    viewer: { userId: 'u-secretariat', name: '山下', role: 'secretariat' as const, councilId: 'sakura' },
    council: { councilId: 'sakura', name: 'さくら市個人情報保護審議会' } as Council,
    departments: [{ departmentId: 'shimin', name: '市民課' }] as Department[],
    incidents,
    show: 'all' as const,
    today: '2027-02-01',
  });
  const cells = (csv: Buffer) => {
    const parsed = parseCsv(decodeCsv(new Uint8Array(csv))!);
    if (!('records' in parsed)) throw new Error('unreadable');
    const [header, ...rows] = parsed.records.map((r) => r.fields);
    return rows.map((row) => Object.fromEntries(header!.map((h, k) => [h, row[k]])));
  };

  it('keeps a typed formula as text, dates the council’s hearing and the closing in Tokyo, and says which report is late', () => {
    const { csv, fileName } = incidentsCsv(
      view([
        incident({
          title: '=HYPERLINK("http://example.com")',
          reports: { preliminary: { submittedOn: '2026-12-05', at: '2026-12-05T01:00:00Z', by: 'u-shimin' } },
          council: { meetingId: 'mt1', itemId: 'it1', at: '2026-12-09T15:30:00Z' },
          status: 'closed',
          closedAt: '2027-01-31T16:00:00Z',
        }),
      ]),
    );
    expect(fileName).toBe('さくら市個人情報保護審議会_漏えい等事案一覧(すべて)_2027-02-01.csv');
    expect(cells(csv)).toEqual([
      expect.objectContaining({
        件名: `'=HYPERLINK("http://example.com")`,
        所管課: '市民課',
        速報の期限: '2026-12-07',
        速報の提出日: '2026-12-05',
        確報の期限: '2027-01-01',
        確報の提出日: '',
        審議会への報告: '議題に入れた(2026-12-10)',
        状態: '完了',
        完了日: '2027-02-01',
      }),
    ]);
    // Open, with the 確報 past its day and not in: the cell says so.
    expect(cells(incidentsCsv(view([incident({ reports: { preliminary: { submittedOn: '2026-12-05', at: '', by: '' } } })])).csv)[0]).toMatchObject({
      確報の提出日: '期限超過・未提出',
      状態: '対応中',
    });
  });
});
