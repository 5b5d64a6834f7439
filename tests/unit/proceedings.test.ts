import { describe, expect, it } from 'vitest';
import type { Council, Department, Member } from '#shared/domain/council.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import { draftMinutes, materialsClosingNote, minutesDocument } from '#shared/domain/minutes.ts';
import {
  entryCommand,
  entryFields,
  hasChairRights,
  type MeetingEntry,
  type Proceedings,
  quorumOnRoll,
  rollCommand,
  rollShape,
  speakerName,
  uniqueNames,
} from '#shared/domain/proceedings.ts';
import { checkForm } from '#shared/forms.ts';

/** The Chofu meeting of 11 July 2022 (../shared/seeds), cut down: the chair absent, the vice-chair presiding. */
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
const member = (memberId: string, name: string): Member => ({
  memberId,
  name,
  kana: 'かな',
  category: 'scholar',
  affiliation: undefined,
  email: `${memberId}@example.jp`,
  version: 1,
  createdAt: '',
  updatedAt: '',
});
const members = [
  member('m1', '佐瀨 一郎'),
  member('m2', '田辺 一男'),
  member('m3', '小山 宇一'),
  member('m4', '前村 久美子'),
  member('m5', '増田 径子'),
  member('m6', '三浦 詩子'),
];
const departments: Department[] = [
  { departmentId: 'kaikei', name: '会計管理者 会計課', email: 'a@example.jp', managerEmail: 'b@example.jp' },
  { departmentId: 'digital', name: '行政経営部 デジタル行政推進課', email: 'c@example.jp', managerEmail: 'd@example.jp' },
  { departmentId: 'somu', name: '総務部 総務課', email: 'e@example.jp', managerEmail: 'f@example.jp' },
];
const meeting: Meeting = {
  meetingId: 'mt',
  kind: 'meeting',
  date: '2022-07-11',
  startTime: '10:00',
  endTime: '12:00',
  venue: '市役所5階市長公室',
  publicObservation: true,
  fiscalYear: 2022,
  seq: 2,
  status: 'closed',
  createdAt: '',
  version: 1,
};
const item: AgendaItem = {
  itemId: 'i4',
  kind: 'deliberation',
  order: 1,
  title: '公金等支払事務及び源泉徴収票等調書提出事務',
  consultationIds: [],
  explainers: '会計課長 堀、会計課 小林',
};
const report: AgendaItem = { itemId: 'r1', kind: 'report', order: 2, title: '個人情報を含むデータの取扱いに関する注意喚起について', consultationIds: [] };
const proceedings: Proceedings = {
  meetingId: 'mt',
  roll: [
    { memberId: 'm1', status: 'absent' },
    { memberId: 'm2', status: 'present' },
    { memberId: 'm3', status: 'late', time: '10:20' },
    { memberId: 'm4', status: 'present' },
    { memberId: 'm5', status: 'left_early', time: '11:05' },
    { memberId: 'm6', status: 'present' },
  ],
  presidingMemberId: 'm2',
  attendees: [
    { attendeeId: 'a1', role: 'explainer', name: '星野 惇', title: '副主幹', departmentId: 'digital' },
    { attendeeId: 'a2', role: 'explainer', name: '堀 義幸', title: '課長', departmentId: 'kaikei' },
    { attendeeId: 'a3', role: 'secretariat', name: '小泉 希代子', title: '課長', departmentId: 'somu' },
  ],
  openedAt: '10:00',
  closedAt: '11:20',
  version: 3,
  updatedAt: '',
  updatedBy: 'u',
};
let at = 0;
const entry = (itemId: string, e: Partial<MeetingEntry>): MeetingEntry => ({
  entryId: `e${++at}`,
  itemId,
  kind: 'qa',
  asker: '',
  question: '',
  answerer: '',
  answer: '',
  note: '',
  createdAt: `2022-07-11T01:0${at}:00.000Z`,
  updatedAt: '',
  by: 'u',
  ...e,
});
const entries: MeetingEntry[] = [
  entry('i4', { asker: 'm6', question: '選ばれた理由を教えてください。', answerer: '説明員', answer: 'パッケージを使用しているためです。' }),
  entry('i4', { asker: 'm3', question: '規模はどのくらいですか。', answerer: '説明員(会計課)', answer: '都内に多くの導入実績があります。' }),
  entry('i4', { asker: 'm3', question: '整理して説明してもらってもよいと考えます。' }),
  entry('i4', {
    asker: '事務局',
    question: 'コンビニ交付のお知らせは出ますか。',
    answerer: '説明員(デジタル行政推進課)',
    answer: '業者と調整が必要になります。',
  }),
  entry('i4', { asker: 'm2', question: 'ほかに、よろしいでしょうか。', deleted: true }),
  entry('r1', { asker: 'm2', question: 'USBの持ち出しはどれくらいの頻度ですか。', answerer: '事務局', answer: '業者とのやり取りで使います。' }),
];

function rendered() {
  const minutes = {
    ...draftMinutes({ meeting, agenda: [item, report], members, council, departments, proceedings, entries, now: '2022-07-12T00:00:00Z', by: 'u' }),
    materialsNote: '個人情報及びセキュリティ上の情報を含むため。',
  };
  return {
    minutes,
    doc: minutesDocument({ minutes, council, meeting, agenda: [item, report], members, cases: new Map(), departments, edition: 'internal', proceedings }),
  };
}
const header = (doc: ReturnType<typeof rendered>['doc'], label: string) => doc.header.find(([l]) => l === label)![1];
const texts = (doc: ReturnType<typeof rendered>['doc'], heading: string) => doc.sections.find((s) => s.heading.includes(heading))!.blocks.map((b) => b.text);

describe('minutes written from the roll and the record kept during the meeting', () => {
  it('names speakers as minutes do: family name and office, the presiding vice-chair, 事務局, 説明員 (with the department when known)', () => {
    const { doc } = rendered();
    expect(texts(doc, '議事(1)')).toEqual([
      '',
      '説明員から資料により説明した。',
      '〇三浦委員 選ばれた理由を教えてください。',
      '〇説明員 パッケージを使用しているためです。',
      '〇小山委員 規模はどのくらいですか。',
      '〇説明員(会計課) 都内に多くの導入実績があります。',
      // An opinion: no answer, so no empty 「〇説明員」 line.
      '〇小山委員 整理して説明してもらってもよいと考えます。',
      '〇事務局 コンビニ交付のお知らせは出ますか。',
      '〇説明員(デジタル行政推進課) 業者と調整が必要になります。',
      '',
    ]);
    expect(speakerName(council, members, 'm2', 'm2')).toBe('田辺副会長');
    expect(speakerName(council, members, 'm3', 'm3')).toBe('小山会長職務代理者');
    expect(speakerName(council, members, 'm2', '事務局')).toBe('事務局');
  });

  it('writes the attendance from the roll with 遅参 and 早退 times, who presided, each explainer once, the actual times', () => {
    const { doc, minutes } = rendered();
    expect(header(doc, '出席者')).toBe(
      [
        '委員:田辺 一男副会長、小山 宇一委員(遅参 10:20)、前村 久美子委員、増田 径子委員(早退 11:05)、三浦 詩子委員',
        '説明員:星野 惇(行政経営部デジタル行政推進課副主幹)、堀 義幸(会計管理者会計課課長)',
        '事務局:小泉 希代子(総務部総務課課長)',
      ].join('\n'),
    );
    expect(header(doc, '欠席者')).toBe('佐瀨 一郎会長');
    expect(header(doc, '開催日時')).toBe('令和4年7月11日(月) 10:00〜11:20(2022年7月11日)');
    expect(minutes.opening).toBe('会長欠席のため、田辺副会長が議長を務めた。\n令和4年度第2回調布市個人情報保護審査会を開会した。');
  });

  it('puts a report item’s Q&A under the report, and closes with the note that the materials are not published', () => {
    const { doc } = rendered();
    expect(texts(doc, '報告')).toEqual([
      '個人情報を含むデータの取扱いに関する注意喚起について\n〇田辺副会長 USBの持ち出しはどれくらいの頻度ですか。\n〇事務局 業者とのやり取りで使います。',
    ]);
    expect(texts(doc, '閉会')).toEqual(['閉会した。', '会議資料は、個人情報及びセキュリティ上の情報を含むため非公開とする。']);
    expect(materialsClosingNote('')).toBe('');
    expect(materialsClosingNote('公表前の契約に関する情報を含む')).toBe('会議資料は、公表前の契約に関する情報を含むため非公開とする。');
  });

  it('without a roll or attendees, keeps the older draft: explainers typed per item listed once each', () => {
    const bare = draftMinutes({
      meeting,
      agenda: [item, { ...item, itemId: 'i5', explainers: '会計課長 堀、 会計課 小林' }],
      members,
      council,
      now: '',
      by: 'u',
    });
    expect(bare.explainers).toBe('会計課長 堀、会計課 小林');
    expect(bare.present).toEqual(members.map((m) => m.memberId));
    expect(uniqueNames(['堀 義幸、星野 惇', '堀　義幸'])).toEqual(['堀 義幸', '星野 惇']);
  });
});

describe('the presiding officer and the roll form', () => {
  it('gives the chair’s rights at a meeting to the chair and to the member recorded as presiding, to no other member', () => {
    const p = { presidingMemberId: 'm2' };
    expect(hasChairRights({ role: 'chair', userId: 'm1' }, council, p)).toBe(true);
    expect(hasChairRights({ role: 'member', userId: 'm2' }, council, p)).toBe(true);
    expect(hasChairRights({ role: 'member', userId: 'm3' }, council, p)).toBe(false);
    expect(hasChairRights({ role: 'member', userId: 'm2' }, council, undefined)).toBe(false);
    expect(hasChairRights({ role: 'secretariat', userId: 'm2' }, council, p)).toBe(false);
  });

  it('counts the quorum on the roll as the tally does: 遅参 and 早退 attend, 過半数 or two thirds', () => {
    expect(quorumOnRoll(council, proceedings, 6)).toEqual({ present: 5, total: 6, met: true });
    const three = { roll: proceedings.roll.map((r, i) => (i < 3 ? r : { ...r, status: 'absent' as const })) };
    expect(quorumOnRoll(council, three, 6)).toEqual({ present: 2, total: 6, met: false });
    expect(quorumOnRoll({ rules: { quorum: 'two_thirds', chairBreaksTie: true } }, { roll: proceedings.roll.slice(1, 5) }, 6)?.met).toBe(true);
    expect(quorumOnRoll(council, undefined, 6)).toBeUndefined();
  });

  it('reads the flat roll form and wants a time for 遅参 and 早退, beside that member’s field', () => {
    const ok = checkForm(
      rollCommand,
      { version: '0', 'roll.m1.status': 'absent', 'roll.m3.status': 'late', 'roll.m3.time': '10:20', openedAt: '10:00' },
      rollShape,
    );
    expect(ok.ok && ok.value.roll).toEqual({ m1: { status: 'absent' }, m3: { status: 'late', time: '10:20' } });
    const bad = checkForm(rollCommand, { version: '0', 'roll.m5.status': 'left_early', 'roll.m6.status': 'gone' }, rollShape);
    expect(!bad.ok && bad.errors).toEqual({ 'roll.m5.time': '遅参・早退のときは時刻を入力してください。', 'roll.m6.status': '出欠を選んでください。' });
  });

  it('stores a row with the name typed for 「その他」, an opinion without an answerer, and refuses an answer without a question', () => {
    const typed = checkForm(entryCommand, { itemId: 'i4', asker: 'other', askerOther: '傍聴者代表', question: '意見です。', answerer: '説明員' });
    expect(typed.ok && entryFields(typed.value)).toMatchObject({ asker: '傍聴者代表', question: '意見です。', answerer: '', answer: '' });
    const answerOnly = checkForm(entryCommand, { itemId: 'i4', answerer: '説明員', answer: '回答だけ' });
    expect(!answerOnly.ok && answerOnly.errors['question']).toBe('質問・意見を入力してください(回答だけの行は記録できません)。');
  });
});
