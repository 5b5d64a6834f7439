import { describe, expect, it } from 'vitest';
import { agendaLines, agendaOutline, insertionPoint, nextSeq, outlineLabels, outlineText } from '#shared/domain/agenda.ts';
import type { AgendaItem, AgendaItemKind } from '#shared/domain/meeting.ts';

let order = 0;
const item = (kind: AgendaItemKind, title: string, cases = kind === 'deliberation' ? 1 : 0, extra: Partial<AgendaItem> = {}): AgendaItem => {
  order++;
  return {
    itemId: `i${String(order).padStart(2, '0')}`,
    kind,
    order,
    title,
    consultationIds: Array.from({ length: cases }, (_, k) => `c${order}-${k}`),
    ...extra,
  };
};

/** The Chofu meeting (令和4年度第2回): 挨拶, 諮問書授受, nine cases with (6)〜(8) bundled, a report, the next meeting. */
function chofu(): AgendaItem[] {
  order = 0;
  return [
    item('opening', '開会'),
    item('greeting', '挨拶'),
    item('handover', '諮問書授受'),
    item('deliberation', 'グループウェアシステムに関する事務'),
    item('deliberation', '住民基本台帳事務 他3件'),
    item('deliberation', '介護保険関係事務 他4件'),
    item('deliberation', '公金等支払事務及び源泉徴収票等調書提出事務'),
    item('deliberation', '図書館資料貸出し等事務 他12件'),
    item('deliberation', '証明書のオンライン申請サービス(一括諮問)', 3),
    item('deliberation', '子育て世帯生活支援特別給付金支給事務'),
    item('report', '個人情報を含むデータの取扱いに関する注意喚起について'),
    item('next_meeting', '令和4年度第4回審査会の日程について'),
    item('closing', '閉会'),
  ];
}

describe('the numbered 会議次第', () => {
  it('numbers the Chofu agenda as councils do: sections 1–7, deliberations (1)–(9) with the bundle keeping (6)〜(8)', () => {
    const outline = agendaOutline({ kind: 'meeting', agendaFramed: true }, chofu());
    expect(outline.map((s) => `${s.number} ${s.heading}`)).toEqual([
      '1 開会',
      '2 挨拶',
      '3 諮問書授受',
      '4 議事 個人情報を取り扱う事務について(諮問)',
      '5 報告',
      '6 令和4年度第4回審査会の日程について',
      '7 閉会',
    ]);
    const deliberations = outline[3]!.entries;
    expect(deliberations.map((e) => e.label)).toEqual(['(1)', '(2)', '(3)', '(4)', '(5)', '(6)〜(8)', '(9)']);
    expect(deliberations[5]!.numbers).toEqual([6, 7, 8]);
    expect(outline[4]!.entries.map((e) => e.label)).toEqual(['(1)']);
    // No number skipped, every number once.
    const tops = outline.map((s) => s.number);
    expect(tops).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(deliberations.flatMap((e) => e.numbers)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('follows the order the items are in: a report before the deliberations takes the earlier number', () => {
    order = 0;
    const items = [
      item('opening', '開会'),
      item('report', '業務届出の件数'),
      item('deliberation', 'A事務'),
      item('deliberation', 'B事務'),
      item('closing', '閉会'),
    ];
    const outline = agendaOutline({ kind: 'meeting', agendaFramed: true }, items);
    expect(outlineText(outline)).toEqual([
      '1 開会',
      '2 報告',
      '  (1) 業務届出の件数',
      '3 議事 個人情報を取り扱う事務について(諮問)',
      '  (1) A事務',
      '  (2) B事務',
      '4 閉会',
    ]);
  });

  it('leaves a 次第外 item unnumbered on the page and out of the announced agenda, with the same numbers either way', () => {
    order = 0;
    const items = [
      item('opening', '開会'),
      item('deliberation', 'A事務'),
      item('explanation', 'マイナンバーカードの普及について', 0, { outsideAgenda: true }),
      item('deliberation', 'B事務', 2),
      item('closing', '閉会'),
    ];
    const page = agendaOutline({ kind: 'meeting', agendaFramed: true }, items);
    const announced = agendaOutline({ kind: 'meeting', agendaFramed: true }, items, { announced: true });
    expect(outlineText(page)).toEqual([
      '1 開会',
      '2 議事 個人情報を取り扱う事務について(諮問)',
      '  (1) A事務',
      '(次第外) マイナンバーカードの普及について',
      '  (2)〜(3) B事務',
      '3 閉会',
    ]);
    expect(outlineText(announced)).toEqual(['1 開会', '2 議事 個人情報を取り扱う事務について(諮問)', '  (1) A事務', '  (2)〜(3) B事務', '3 閉会']);
    expect(outlineLabels(page).get(items[2]!.itemId)).toBe('次第外');
    expect(outlineLabels(page).get(items[3]!.itemId)).toBe('(2)〜(3)');
  });

  it('shows an agenda from before free agendas in the fixed skeleton, whatever order its items were added in', () => {
    order = 0;
    const items = [item('other', '次回の進め方'), item('report', '業務届出の件数'), item('deliberation', 'A事務'), item('deliberation', 'B事務')];
    const outline = agendaOutline({ kind: 'meeting' }, items);
    expect(outlineText(outline)).toEqual([
      '1 開会',
      '2 諮問書授受',
      '3 議事 個人情報を取り扱う事務について(諮問)',
      '  (1) A事務',
      '  (2) B事務',
      '4 報告',
      '  (1) 業務届出の件数',
      '5 その他',
      '  (1) 次回の進め方',
      '6 次回開催日程',
      '7 閉会',
    ]);
    // A written decision has no opening or closing.
    expect(outlineText(agendaOutline({ kind: 'written' }, items.slice(2)))).toEqual([
      '1 議事 個人情報を取り扱う事務について(諮問)',
      '  (1) A事務',
      '  (2) B事務',
    ]);
    expect(agendaLines({ kind: 'meeting' }, []).map((l) => l.kind)).toEqual(['opening', 'handover', 'next_meeting', 'closing']);
  });

  it('puts a new item where it belongs in a framed agenda', () => {
    const items = chofu();
    // A deliberation after the last one, moving the report and the frame down.
    const d = insertionPoint(items, 'deliberation');
    expect(d.order).toBe(11);
    expect(d.shifts.map((s) => s.itemId)).toEqual(['i11', 'i12', 'i13']);
    // Other business before 次回開催日程 and 閉会.
    expect(insertionPoint(items, 'other')).toEqual({
      order: 12,
      shifts: [
        { itemId: 'i12', order: 13 },
        { itemId: 'i13', order: 14 },
      ],
    });
    expect(insertionPoint(items, 'closing')).toEqual({ order: 14, shifts: [] });
    // A second greeting after the first, before 諮問書授受.
    expect(insertionPoint(items, 'greeting').order).toBe(3);
  });

  it('numbers the next meeting after this one in its fiscal year, from 1 in a new one', () => {
    expect(nextSeq({ fiscalYear: 2022, seq: 2 }, 2022)).toBe(3);
    expect(nextSeq({ fiscalYear: 2022, seq: 6 }, 2023)).toBe(1);
  });
});
