import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import type { Consultation } from '#shared/domain/consultation.ts';
import type { Council, Department, Member } from '#shared/domain/council.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import { decisionSentence, draftMinutes, type Minutes, minutesDocument } from '#shared/domain/minutes.ts';
import { minutesCsv } from '#templates/minutes/csv.ts';
import { minutesDocx } from '#templates/minutes/docx.ts';
import { minutesHtml } from '#templates/minutes/html.ts';

const council: Council = {
  councilId: 'c',
  name: '調布市個人情報保護審査会',
  municipality: '調布市',
  contact: '総務課 公文書管理係',
  secretariatEmail: 's@example.jp',
  rules: { quorum: 'majority', chairBreaksTie: true },
  chairMemberId: 'm1',
  viceChairMemberId: 'm2',
  version: 1,
};
const member = (id: string, name: string, kana: string): Member => ({
  memberId: id,
  name,
  kana,
  category: 'scholar',
  affiliation: undefined,
  email: `${id}@example.jp`,
  version: 1,
  createdAt: '',
  updatedAt: '',
});
const members = [
  member('m1', '佐瀬 一郎', 'させ'),
  member('m2', '田辺 一男', 'たなべ'),
  member('m3', '小山 宇一', 'こやま'),
  member('m4', '前村 久美子', 'まえむら'),
  member('m5', '増田 径子', 'ますだ'),
  member('m6', '三浦 詩子', 'みうら'),
];
const departments: Department[] = [{ departmentId: 'd', name: '市民部 市民課', email: 'd@example.jp', managerEmail: 'k@example.jp' }];
const meeting: Meeting = {
  meetingId: 'mt',
  kind: 'meeting',
  date: '2022-07-11',
  startTime: '10:00',
  endTime: '11:20',
  venue: '市役所5階市長公室',
  publicObservation: true,
  fiscalYear: 2022,
  seq: 2,
  status: 'closed',
  createdAt: '',
  version: 1,
};
const titles = [
  'グループウェアシステムに関する事務',
  '住民基本台帳事務 他3件',
  '介護保険関係事務 他4件',
  '公金等支払事務',
  '図書館システム',
  '市税事務',
  '軽自動車税事務',
  '固定資産税事務',
  '児童扶養手当事務',
];
const cases = new Map<string, Consultation>();
const agenda: AgendaItem[] = titles.map((title, i) => {
  const ids = i === 5 ? ['k5', 'k5b'] : [`k${i}`];
  for (const [j, id] of ids.entries())
    cases.set(id, {
      councilId: 'c',
      consultationId: id,
      departmentId: 'd',
      form: { title: j ? `${title}(関連)` : title },
      status: 'answered',
      number: { fiscalYear: 2022, n: i * 2 + j + 1 },
      returns: 0,
      createdBy: 'u',
      createdAt: '',
      updatedAt: '',
      version: 1,
    });
  return {
    itemId: `i${i}`,
    kind: 'deliberation',
    order: i + 1,
    title,
    consultationIds: ids,
    present: ['m2', 'm3', 'm4', 'm5', 'm6'],
    ballots: Object.fromEntries(
      ['m2', 'm3', 'm4', 'm5', 'm6'].map((m) => [m, { memberId: m, choice: 'approve' as const, conditions: [], castAt: '', source: 'meeting' as const }]),
    ),
    decision: {
      outcome: i === 3 ? 'approved_with_conditions' : 'approved',
      conditions: i === 3 ? ['データセンターの監査報告書を毎年提出させること。'] : [],
      decidedAt: '',
      decidedBy: 's',
    },
  };
});

function minutesWithSecrets(): Minutes {
  const m = draftMinutes({ meeting, agenda, members, council, now: '2022-07-11T03:00:00Z', by: 's' });
  m.explainers = '鈴木 宏昌(行政経営部副参事)';
  m.secretariat = '山下 潤(総務部総務課公文書管理係長)';
  m.items[3]!.qa.push({
    asker: 'm3',
    question: 'オンライン結合する相手先を選んだ理由を教えてください。',
    answerer: '説明員',
    answer: '財務会計パッケージの提供事業者のデータセンターだからです。',
  });
  m.items[3]!.qa.push({
    asker: 'm4',
    question: 'サーバー室の入退室管理はどうなっていますか。',
    answerer: '説明員',
    answer: '生体認証と監視カメラ3台、ラック鍵は2本を総務課で保管しています。',
    nonPublic: 'security',
  });
  m.items[8]!.explanation = '対象者のうち田中花子さん(市内在住)の事例を説明した。';
  m.items[8]!.explanationNonPublic = 'personal';
  return m;
}

async function documentXml(buffer: Buffer) {
  const zip = await JSZip.loadAsync(buffer);
  expect(Object.keys(zip.files)).toEqual(expect.arrayContaining(['[Content_Types].xml', 'word/document.xml', 'word/styles.xml']));
  const xml = await zip.file('word/document.xml')!.async('string');
  const styles = await zip.file('word/styles.xml')!.async('string');
  // The text a reader sees: every run's text joined, markup aside.
  return { xml, styles, text: [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('') };
}

describe('minutes exports', () => {
  it('writes a Word file with every item, decision and attendee of a nine-item meeting, one bundled', async () => {
    const doc = minutesDocument({ minutes: minutesWithSecrets(), council, meeting, agenda, members, cases, departments, edition: 'internal' });
    const progress: number[] = [];
    const { xml, styles, text } = await documentXml(await minutesDocx(doc, (done) => void progress.push(done)));
    expect(xml.startsWith('<?xml')).toBe(true);
    expect(text).toContain('令和4年度第2回調布市個人情報保護審査会 会議録(内部用)');
    expect(text).toContain('令和4年7月11日(月) 10:00〜11:20(2022年7月11日)');
    for (const t of titles) expect(text).toContain(t);
    expect(text).toContain('一括諮問');
    expect(text).toContain('市税事務(関連)');
    for (const m of members.slice(1)) expect(text).toContain(m.name);
    expect(text).toContain('欠席者');
    expect(text).toContain('佐瀬 一郎会長');
    expect(text.split('全員挙手)審議の結果、「可」とされた。').length - 1).toBe(8);
    expect(text).toContain('「条件付き可」とされた。');
    expect(text).toContain('データセンターの監査報告書を毎年提出させること。');
    expect(text).toContain('ラック鍵は2本');
    expect(styles).toContain('w:eastAsia="Yu Mincho"');
    expect(progress.at(-1)).toBe(doc.sections.length);
  });

  it('writes the hands as they were recorded: 全員挙手 only when recorded so, counted when recorded member by member', () => {
    const item = agenda[0]!;
    expect(decisionSentence(item, council, members)).toBe('(全員挙手)審議の結果、「可」とされた。');
    expect(decisionSentence({ ...item, handsMode: 'each' }, council, members)).toBe('(可 5、否 0、棄権 0)審議の結果、「可」とされた。');
    const withOpinion = {
      ...item,
      decision: { ...item.decision!, outcome: 'approved_with_opinions' as const, opinions: ['運用状況を年に一度報告すること。'] },
    };
    expect(decisionSentence(withOpinion, council, members)).toBe(
      '(全員挙手)審議の結果、「可(意見付き)」とされた。\n付された意見:\n(1)運用状況を年に一度報告すること。',
    );
  });

  it('leaves non-public passages out of the published edition, says why, and can name members by letter', async () => {
    const minutes = { ...minutesWithSecrets(), memberNaming: 'letters' as const };
    const doc = minutesDocument({ minutes, council, meeting, agenda, members, cases, departments, edition: 'published' });
    const { text } = await documentXml(await minutesDocx(doc));
    const page = minutesHtml(doc);
    for (const out of [text, page]) {
      expect(out).not.toContain('ラック鍵');
      expect(out).not.toContain('入退室管理');
      expect(out).not.toContain('田中花子');
      expect(out).toContain('セキュリティ上の情報を含むため、この部分は公開しません。');
      expect(out).toContain('個人情報を含むため、この部分は公開しません。');
      expect(out).toContain('〇Ａ委員 オンライン結合する相手先を選んだ理由を教えてください。');
      expect(out).not.toContain('小山 宇一');
    }
    expect(page).toContain('<p class="withheld">');
  });

  it('writes a CSV of decisions and conditions that Excel opens with Japanese intact', () => {
    const doc = minutesDocument({ minutes: minutesWithSecrets(), council, meeting, agenda, members, cases, departments, edition: 'published' });
    const csv = minutesCsv(doc);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csv
      .subarray(3)
      .toString('utf8')
      .trimEnd()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(rows[0]).toEqual(['議題', '諮問番号', '件名', '所管課', '審議の結果', '条件番号', '条件']);
    expect(rows).toHaveLength(1 + 10);
    expect(rows.find((r) => r[2] === '公金等支払事務')).toEqual([
      '(4) 公金等支払事務',
      '令和4年度諮問第7号',
      '公金等支払事務',
      '市民部 市民課',
      '条件付き可',
      '1',
      'データセンターの監査報告書を毎年提出させること。',
    ]);
    // The bundle's two cases keep their own numbers under one vote, and the numbers run on after it.
    expect(rows.filter((r) => r[0] === '(6) 市税事務' || r[0] === '(7) 市税事務').map((r) => r[2])).toEqual(['市税事務', '市税事務(関連)']);
    expect(rows.at(-1)![0]).toBe('(10) 児童扶養手当事務');
  });

  it('carries the full, numbered 会議次第: 開会, 諮問書授受, every case under its own number, the report titles, 閉会', () => {
    const withReport: AgendaItem[] = [
      ...agenda,
      { itemId: 'r1', kind: 'report', order: 20, title: '個人情報を含むデータの取扱いに関する注意喚起について', consultationIds: [] },
    ];
    const doc = minutesDocument({ minutes: minutesWithSecrets(), council, meeting, agenda: withReport, members, cases, departments, edition: 'internal' });
    const outline = doc.header.find(([label]) => label === '会議次第')![1].split('\n');
    expect(outline[0]).toBe('1 開会');
    expect(outline[1]).toBe('2 諮問書授受');
    expect(outline[2]).toBe('3 議事 個人情報を取り扱う事務について(諮問)');
    expect(outline).toContain('  (6)〜(7) 市税事務(一括諮問)');
    expect(outline).toContain('    (7) 市税事務(関連)');
    expect(outline).toContain('  (10) 児童扶養手当事務');
    expect(outline.slice(-4)).toEqual(['4 報告', '  (1) 個人情報を含むデータの取扱いに関する注意喚起について', '5 次回開催日程', '6 閉会']);
    expect(doc.sections.map((s) => s.heading)).toContain('議事(6)〜(7) 市税事務');
    // The draft's 報告 carries each report with what was said and the reports asked of departments.
    const said: AgendaItem = {
      ...withReport.at(-1)!,
      text: '6月24日付で注意喚起の通知を発出した。',
      requests: [{ text: 'USBメモリーの管理状況を次回報告してください。', departmentId: 'd', due: '2022-10-13', followUpId: 'r1-1', at: '' }],
    };
    expect(draftMinutes({ meeting, agenda: [...agenda, said], members, council, now: '', by: 's' }).reports).toBe(
      '個人情報を含むデータの取扱いに関する注意喚起について\n6月24日付で注意喚起の通知を発出した。\n次回の報告を求めた:USBメモリーの管理状況を次回報告してください。',
    );
  });

  it('quotes commas, quotes and line breaks in CSV cells', () => {
    const doc = minutesDocument({ minutes: minutesWithSecrets(), council, meeting, agenda, members, cases, departments, edition: 'internal' });
    doc.decisions = [{ item: '(1) "引用"', number: '', title: 'A,B', department: '課\n係', outcome: '可', conditions: [] }];
    expect(minutesCsv(doc).subarray(3).toString('utf8').split('\r\n')[1]).toBe('"(1) ""引用""","","A,B","課\n係",可,,'.replace(',"",', ',,'));
  });

  it('keeps a cell that a spreadsheet would run as a formula as text, in either edition', () => {
    for (const edition of ['internal', 'published'] as const) {
      const doc = minutesDocument({ minutes: minutesWithSecrets(), council, meeting, agenda, members, cases, departments, edition });
      doc.decisions = [
        { item: '(1) 件名', number: '', title: '=HYPERLINK("http://evil.example")', department: '-課', outcome: '可', conditions: ['@SUM(A1)', '＋1'] },
      ];
      const lines = minutesCsv(doc).subarray(3).toString('utf8').split('\r\n');
      expect(lines[1]).toBe(`(1) 件名,,"'=HYPERLINK(""http://evil.example"")",'-課,可,1,'@SUM(A1)`);
      expect(lines[2]).toBe(`(1) 件名,,"'=HYPERLINK(""http://evil.example"")",'-課,可,2,'＋1`);
    }
  });
});
