import { describe, expect, it } from 'vitest';
import {
  type AgendaItem,
  conditionsInput,
  meetingInput,
  meetingName,
  meetingWhen,
  moveItem,
  newMeeting,
  orderedAgenda,
  pendingHandOvers,
  readHands,
} from '#shared/domain/meeting.ts';
import { checkForm } from '#shared/forms.ts';

const council = { name: 'さくら市個人情報保護審議会' };

describe('meeting names', () => {
  it('numbers meetings in the fiscal year, which turns over on 1 April', () => {
    const march = newMeeting({ kind: 'written', requestId: 'a', date: '2027-03-31' }, '');
    const april = newMeeting({ kind: 'written', requestId: 'b', date: '2027-04-01' }, '');
    expect(march.fiscalYear).toBe(2026);
    expect(april.fiscalYear).toBe(2027);
    expect(meetingName(council, { ...march, kind: 'meeting', seq: 12 })).toBe('令和8年度第12回さくら市個人情報保護審議会');
    expect(meetingName(council, { ...april, kind: 'meeting', seq: 1 })).toBe('令和9年度第1回さくら市個人情報保護審議会');
  });

  it('names a fiscal year across the era change by the era of the meeting day', () => {
    expect(meetingName(council, { fiscalYear: 2019, seq: 1, date: '2019-04-10', kind: 'meeting' })).toBe('平成31年度第1回さくら市個人情報保護審議会');
    expect(meetingName(council, { fiscalYear: 2019, seq: 2, date: '2019-06-10', kind: 'meeting' })).toBe('令和元年度第2回さくら市個人情報保護審議会');
    expect(meetingName(council, { fiscalYear: 2019, seq: 3, date: '2020-03-30', kind: 'written' })).toBe('令和元年度第3回さくら市個人情報保護審議会(書面審議)');
  });

  it('writes the time as minutes do, in era and Western form', () => {
    expect(meetingWhen({ kind: 'meeting', date: '2022-07-11', startTime: '10:00', endTime: '11:20' })).toBe('令和4年7月11日(月) 10:00〜11:20(2022年7月11日)');
    expect(meetingWhen({ kind: 'written', date: '2027-01-20' })).toBe('令和9年1月20日(水)(2027年1月20日)');
  });
});

describe('meeting form', () => {
  const valid = { requestId: 'r1', kind: 'meeting', date: '2026-12-14', startTime: '10:00', endTime: '', venue: '特別会議室', publicObservation: 'yes' };
  it('accepts a meeting and a written decision', () => {
    expect(checkForm(meetingInput, valid).ok).toBe(true);
    expect(checkForm(meetingInput, { requestId: 'r2', kind: 'written', date: '2027-01-20' }).ok).toBe(true);
  });
  it('needs a reason when the public may not observe, and a real time', () => {
    const r = checkForm(meetingInput, { ...valid, publicObservation: 'no', startTime: '25:00' });
    expect(r.ok ? {} : r.errors).toEqual({
      startTime: '開始時刻は 10:00 の形で入力してください。',
      closedReason: '傍聴できない場合は、その理由を入力してください。',
    });
  });
  it('refuses an impossible date', () => {
    const r = checkForm(meetingInput, { requestId: 'r3', kind: 'written', date: '2027-02-29' });
    expect(r.ok ? {} : r.errors).toEqual({ date: '表決期限が正しい日付ではありません。' });
  });
});

describe('show of hands', () => {
  const members = ['a', 'b', 'c', 'd'];
  it('gives 全員挙手 an approving ballot to every member present, and none to the absent', () => {
    const r = readHands({ mode: 'all', present: ['a', 'b', 'c'], conditions: ' 書類は市に返還すること。\r\n\n 廃棄証明書を提出すること。 ' }, members, 'now');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.keys(r.ballots).sort()).toEqual(['a', 'b', 'c']);
    expect(Object.values(r.ballots).every((b) => b.choice === 'approve' && b.source === 'meeting')).toBe(true);
    expect(r.conditions).toEqual(['書類は市に返還すること。', '廃棄証明書を提出すること。']);
  });
  it('needs each present member’s hand when recorded one by one, and ignores unknown members', () => {
    const r = readHands({ mode: 'each', present: ['a', 'b', 'zz'], 'vote.a': 'reject' }, members, 'now');
    expect(r.ok ? {} : r.errors).toEqual({ 'vote.b': '挙手の結果を選んでください。' });
  });
  it('needs someone present unless the item is carried over', () => {
    expect(readHands({ mode: 'all' }, members, 'now').ok).toBe(false);
    expect(readHands({ mode: 'continue' }, members, 'now').ok).toBe(true);
    expect(readHands({ mode: 'maybe', present: 'a' }, members, 'now').ok).toBe(false);
  });
  it('reads the chair’s final conditions one per line', () => {
    const r = checkForm(conditionsInput, { conditions: '一\n\n二 ' });
    expect(r.ok && r.value.conditions).toEqual(['一', '二']);
  });
});

describe('agenda order', () => {
  const item = (itemId: string, order: number): AgendaItem => ({ itemId, order, kind: 'deliberation', title: itemId, consultationIds: [itemId] });
  const items = [item('a', 1), item('b', 2), item('c', 3)];
  it('moves an item and renumbers only what changed', () => {
    expect(moveItem(items, 'c', 'up')).toEqual([
      { itemId: 'c', order: 2 },
      { itemId: 'b', order: 3 },
    ]);
    expect(moveItem(items, 'a', 'up')).toEqual([]);
    expect(moveItem(items, 'c', 'down')).toEqual([]);
  });
  it('orders by the secretariat’s order', () => {
    expect(orderedAgenda([item('x', 3), item('y', 1), item('z', 2)]).map((i) => i.itemId)).toEqual(['y', 'z', 'x']);
  });
});

describe('hand-overs an interrupted request left undone', () => {
  const t0 = Date.parse('2027-02-10T10:00:00+09:00');
  const at = (s: number) => new Date(t0 + s * 1000).toISOString();
  const item = (over: Partial<AgendaItem> = {}): AgendaItem => ({
    itemId: 'i1',
    kind: 'deliberation',
    order: 1,
    title: 't',
    consultationIds: ['c1'],
    addedAt: at(0),
    ...over,
  });
  const waiting = (status: 'accepted' | 'scheduled' | 'in_deliberation') => new Map([['c1', { status, taskToken: 'tok' }]]);
  const planned = { status: 'planned' as const, kind: 'meeting' as const, createdAt: at(0) };

  it('names nothing while the workflow may still be moving, then the step that was cut off', () => {
    expect(pendingHandOvers(planned, [item()], waiting('accepted'), new Date(t0 + 5_000))).toEqual([]);
    expect(pendingHandOvers(planned, [item()], waiting('accepted'), new Date(t0 + 20_000))).toEqual([{ itemId: 'i1', consultationId: 'c1', step: 'schedule' }]);
    const open = { ...planned, status: 'in_session' as const, statusChangedAt: at(100) };
    expect(pendingHandOvers(open, [item()], waiting('scheduled'), new Date(t0 + 110_000))).toEqual([]);
    expect(pendingHandOvers(open, [item()], waiting('scheduled'), new Date(t0 + 130_000))).toEqual([
      { itemId: 'i1', consultationId: 'c1', step: 'deliberate' },
    ]);
    const decided = item({ decision: { outcome: 'approved', conditions: [], decidedAt: at(200), decidedBy: 'u' } });
    expect(pendingHandOvers(open, [decided], waiting('in_deliberation'), new Date(t0 + 230_000))).toEqual([
      { itemId: 'i1', consultationId: 'c1', step: 'decide' },
    ]);
  });

  it('leaves alone a case without a token (it is moving on its own) and a case that followed', () => {
    const open = { ...planned, status: 'in_session' as const, statusChangedAt: at(0) };
    expect(pendingHandOvers(open, [item()], new Map([['c1', { status: 'scheduled' as const }]]), new Date(t0 + 60_000))).toEqual([]);
    expect(pendingHandOvers(open, [item()], waiting('in_deliberation'), new Date(t0 + 60_000))).toEqual([]);
  });

  it('names a written decision’s item whose vote never opened', () => {
    const written = { status: 'in_session' as const, kind: 'written' as const, createdAt: at(0), statusChangedAt: at(0) };
    expect(pendingHandOvers(written, [item()], new Map(), new Date(t0 + 60_000))).toEqual([{ itemId: 'i1', consultationId: 'c1', step: 'open_vote' }]);
  });
});
