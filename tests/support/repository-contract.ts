import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Repositories } from '#shared/adapters/repositories.ts';
import { InvalidItemError } from '#shared/adapters/store/entity.ts';
import type { Item, ItemKey } from '#shared/adapters/store/items.ts';
import { ConditionFailedError } from '#shared/adapters/store/store.ts';
import type { AuditEvent, Consultation, ScreeningRound } from '#shared/domain/consultation.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import type { Minutes } from '#shared/domain/minutes.ts';
import { newSession } from '#shared/domain/session.ts';
import type { StaffMember } from '#shared/domain/staff.ts';
import type { Ballot, Tally, VotingRound } from '#shared/domain/voting.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { keys } from '#shared/keys.ts';

/**
 * One behaviour suite per repository, run against every implementation: the in-memory store
 * (tests/unit/repositories-memory.test.ts, milliseconds) and dynalite
 * (tests/integration/repositories-dynalite.test.ts). What it checks is what the product relies
 * on: idempotent creates, conditional moves, optimistic locks, gap-free numbering and ballot
 * versions under concurrency, and what is stored (type and version, old items, bad items).
 */
export interface ContractSubject {
  repos: Repositories;
  /** Raw items under the repositories: to plant items written before `_type`, or broken ones. */
  raw: { put(item: Item): Promise<void>; get(key: ItemKey): Promise<Item | undefined> };
}

const NOW = '2026-05-01T09:00:00.000Z';
const later = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();
/** A council of its own per test: suites share one table. */
const freshCouncil = () => `c${randomUUID().slice(0, 8)}`;

const councilOf = (councilId: string, name = 'さくら市個人情報保護審議会'): Council => ({
  councilId,
  name,
  municipality: 'さくら市',
  contact: '総務課',
  secretariatEmail: 's@example.jp',
  rules: { quorum: 'majority', chairBreaksTie: true },
  version: 1,
});
const memberOf = (memberId: string): Member => ({
  memberId,
  name: '佐藤 花子',
  kana: 'さとう はなこ',
  category: 'scholar',
  affiliation: '大学',
  email: `${memberId}@example.jp`,
  version: 1,
  createdAt: NOW,
  updatedAt: NOW,
});
const caseOf = (councilId: string, consultationId: string, over: Partial<Consultation> = {}): Consultation => ({
  councilId,
  consultationId,
  departmentId: 'd1',
  form: { title: `諮問 ${consultationId}`, businessName: '住民記録事務' },
  status: 'draft',
  returns: 0,
  createdBy: 'u1',
  createdAt: NOW,
  updatedAt: NOW,
  version: 1,
  ...over,
});
const meetingOf = (meetingId: string, over: Partial<Meeting> = {}): Meeting => ({
  meetingId,
  kind: 'written',
  date: '2026-06-01',
  fiscalYear: 2026,
  status: 'planned',
  createdAt: NOW,
  version: 1,
  ...over,
});
const itemOf = (itemId: string, order = 1): AgendaItem => ({
  itemId,
  kind: 'deliberation',
  order,
  title: `議題 ${itemId}`,
  consultationIds: ['k1'],
  addedAt: NOW,
});
const roundOf = (eligible: string[], round = 1): VotingRound => ({ round, status: 'open', deadline: '2026-06-01', eligible, openedAt: NOW, reminded: [] });
const ballotOf = (memberId: string, choice: Ballot['choice'] = 'approve'): Ballot => ({ memberId, choice, conditions: [], castAt: NOW, source: 'link' });
const tallyOf = (outcome: Tally['outcome'] = 'approved'): Tally => ({
  outcome,
  quorumMet: true,
  participants: 1,
  base: 1,
  for: 1,
  against: 0,
  abstained: 0,
  recused: 0,
  chairDecided: false,
  proposedConditions: [],
});
const minutesOf = (meetingId: string): Minutes => ({
  meetingId,
  status: 'draft',
  version: 1,
  memberNaming: 'names',
  explainers: '',
  secretariat: '',
  present: ['m1'],
  opening: '開会した。',
  items: [{ itemId: 'i1', explanation: '説明した。', qa: [], decision: '可とされた。' }],
  reports: '',
  other: '',
  nextMeeting: '',
  closing: '閉会した。',
  updatedAt: NOW,
  updatedBy: 's',
});
const followUpOf = (councilId: string, consultationId: string, n: number, over: Partial<FollowUp> = {}): FollowUp => ({
  followUpId: `${consultationId}-${n}`,
  councilId,
  consultationId,
  title: '委託',
  businessKey: 'biz',
  conditionIndex: n - 1,
  condition: 'データ消去証明書を提出させること。',
  type: 'erasure_certificate',
  owner: 'department',
  ownerName: '市民課',
  departmentId: 'd1',
  ownerEmail: 'd@example.jp',
  evidence: 'データ消去証明書',
  due: '2026-07-01',
  status: 'open',
  answers: [],
  pendingEvidence: [],
  notified: [],
  createdAt: NOW,
  version: 1,
  ...over,
});
const settled = async (calls: Promise<unknown>[]) => {
  const results = await Promise.allSettled(calls);
  return { ok: results.filter((r) => r.status === 'fulfilled').length, refused: results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : [])) };
};

export function repositoryContract(implementation: string, start: () => Promise<ContractSubject>): void {
  let subject: ContractSubject;
  beforeAll(async () => {
    subject = await start();
  });
  const repos = () => subject.repos;

  describe(`${implementation}: CouncilRepository`, () => {
    it('creates a council once, lists it through the registry and reads it back', async () => {
      const id = freshCouncil();
      expect(await repos().councils.createCouncil(councilOf(id))).toBe(true);
      expect(await repos().councils.createCouncil(councilOf(id, 'ほかの名前'))).toBe(false);
      expect(await repos().councils.getCouncil(id)).toEqual(councilOf(id));
      expect((await repos().councils.listCouncils()).filter((c) => c.councilId === id)).toEqual([councilOf(id)]);
      await expect(repos().councils.getCouncil(freshCouncil())).rejects.toThrow(new NotFoundError('審議会が見つかりません。'));
    });

    it('adds a member once per form, and keeps members and departments apart', async () => {
      const id = freshCouncil();
      expect(await repos().councils.addMember(id, memberOf('m1'))).toBe(true);
      expect(await repos().councils.addMember(id, { ...memberOf('m1'), name: '二重送信' })).toBe(false);
      expect(await repos().councils.createDepartment(id, { departmentId: 'd1', name: '市民課', email: 'd@example.jp', managerEmail: 'k@example.jp' })).toBe(
        true,
      );
      expect(await repos().councils.createDepartment(id, { departmentId: 'd1', name: '市民課', email: 'd@example.jp', managerEmail: 'k@example.jp' })).toBe(
        false,
      );
      expect(await repos().councils.listMembers(id)).toEqual([memberOf('m1')]);
      expect((await repos().councils.listDepartments(id)).map((d) => d.departmentId)).toEqual(['d1']);
      await expect(repos().councils.getMember(id, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('saves a member edit only over the version it started from', async () => {
      const id = freshCouncil();
      await repos().councils.addMember(id, memberOf('m1'));
      const input = { name: '佐藤 花', kana: 'さとう はな', category: 'lawyer' as const, affiliation: undefined, email: 'new@example.jp' };
      const saved = await repos().councils.updateMember(id, 'm1', input, 1, later(1));
      expect(saved).toMatchObject({ name: '佐藤 花', version: 2, updatedAt: later(1) });
      expect(saved.affiliation).toBeUndefined();
      await expect(repos().councils.updateMember(id, 'm1', input, 1, later(2))).rejects.toThrow(
        new ConflictError('他の方が先にこの委員の情報を更新しました。最新の内容を確認してから、もう一度保存してください。'),
      );
      await expect(repos().councils.updateMember(id, 'ghost', input, 1, later(2))).rejects.toBeInstanceOf(ConflictError);
    });

    it('sets the offices only over the council version read', async () => {
      const id = freshCouncil();
      await repos().councils.createCouncil(councilOf(id));
      await repos().councils.setOffices(id, { chairMemberId: 'm1', viceChairMemberId: 'm2' }, 1);
      expect(await repos().councils.getCouncil(id)).toMatchObject({ chairMemberId: 'm1', viceChairMemberId: 'm2', version: 2 });
      await expect(repos().councils.setOffices(id, { chairMemberId: 'm2' }, 1)).rejects.toBeInstanceOf(ConflictError);
      await repos().councils.setOffices(id, { chairMemberId: 'm2' }, 2);
      const council = await repos().councils.getCouncil(id);
      expect(council.chairMemberId).toBe('m2');
      expect(council.viceChairMemberId).toBeUndefined();
    });
  });

  describe(`${implementation}: CouncilRepository settings and numbering`, () => {
    it('saves settings from the version read, and refuses a stale save', async () => {
      const id = freshCouncil();
      await repos().councils.createCouncil(councilOf(id));
      const settings = {
        name: '新しい名称',
        contact: '総務課 内線1',
        secretariatEmail: 'new@example.jp',
        rules: { quorum: 'two_thirds' as const, chairBreaksTie: false },
        conditionLibrary: ['条件A'],
        mailSignature: '署名',
        senderName: '審議会事務局',
        senderAddress: 'noreply@city.example.jp',
        replyTo: 'reply@city.example.jp',
      };
      expect(await repos().councils.updateSettings(id, settings, 1)).toEqual({ ...councilOf(id), ...settings, version: 2 });
      await expect(repos().councils.updateSettings(id, { ...settings, name: '古い版から' }, 1)).rejects.toBeInstanceOf(ConflictError);
      expect((await repos().councils.getCouncil(id)).name).toBe('新しい名称');
    });

    it('continues a series forward only, and the next number given is the one after', async () => {
      const id = freshCouncil();
      expect(await repos().councils.continueSeries('consultation', id, 2026, 4)).toBe(true);
      expect(await repos().councils.lastNumbers(id, 2026)).toEqual({ consultation: 3, meeting: 0 });
      expect(await repos().councils.continueSeries('consultation', id, 2026, 3)).toBe(false);
      expect(await repos().councils.continueSeries('consultation', id, 2026, 4)).toBe(false);
      await repos().consultations.create(caseOf(id, 'after-import', { status: 'screening' }));
      expect(await repos().consultations.assignNumber({ councilId: id, consultationId: 'after-import' }, 2026)).toEqual({ fiscalYear: 2026, n: 4 });
      expect(await repos().councils.continueSeries('consultation', id, 2026, 4)).toBe(false);
      expect(await repos().councils.continueSeries('consultation', id, 2026, 10)).toBe(true);
      expect(await repos().councils.continueSeries('meeting', id, 2026, 7)).toBe(true);
      expect(await repos().councils.lastNumbers(id, 2026)).toEqual({ consultation: 9, meeting: 6 });
    });
  });

  describe(`${implementation}: StaffRepository`, () => {
    const staffOf = (councilId: string, userId: string, over: Partial<StaffMember> = {}): StaffMember => ({
      councilId,
      userId,
      name: '山下 潤',
      kana: 'やました じゅん',
      email: `${userId}@example.jp`,
      role: 'secretariat',
      disabled: false,
      version: 1,
      createdAt: NOW,
      updatedAt: NOW,
      ...over,
    });

    it('registers a person once per council, reads them back and keeps councils apart', async () => {
      const [a, b] = [freshCouncil(), freshCouncil()];
      expect(await repos().staff.add(staffOf(a, 'u1'))).toBe(true);
      expect(await repos().staff.add(staffOf(a, 'u1', { name: '二重送信' }))).toBe(false);
      expect(await repos().staff.add(staffOf(b, 'u1', { role: 'department', departmentId: 'd1' }))).toBe(true);
      expect(await repos().staff.get(a, 'u1')).toEqual(staffOf(a, 'u1'));
      expect(await repos().staff.list(a)).toEqual([staffOf(a, 'u1')]);
      expect((await repos().staff.get(b, 'u1')).role).toBe('department');
      expect(await repos().staff.find(a, 'nobody')).toBeUndefined();
      await expect(repos().staff.get(a, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('changes a role from the version read, drops a department no longer used, and refuses a stale change', async () => {
      const id = freshCouncil();
      await repos().staff.add(staffOf(id, 'u2', { role: 'department', departmentId: 'd1' }));
      const moved = await repos().staff.change(id, 'u2', { role: 'member', memberId: 'm1', departmentId: 'd1', version: 1 }, later(1));
      expect(moved).toMatchObject({ role: 'member', memberId: 'm1', version: 2, updatedAt: later(1) });
      expect(moved.departmentId).toBeUndefined();
      await expect(
        repos().staff.change(id, 'u2', { role: 'secretariat', departmentId: undefined, memberId: undefined, version: 1 }, later(2)),
      ).rejects.toBeInstanceOf(ConflictError);
      await expect(repos().staff.setDisabled(id, 'u2', true, 1, later(2))).rejects.toBeInstanceOf(ConflictError);
      expect(await repos().staff.setDisabled(id, 'u2', true, 2, later(3))).toMatchObject({ disabled: true, version: 3 });
      await expect(repos().staff.setDisabled(id, 'nobody', true, 1, later(3))).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe(`${implementation}: ConsultationRepository`, () => {
    it('creates a case once, in its status queue, department list and business history', async () => {
      const id = freshCouncil();
      const c = caseOf(id, 'k1');
      expect(await repos().consultations.create(c)).toBe(true);
      expect(await repos().consultations.create({ ...c, status: 'screening' })).toBe(false);
      expect(await repos().consultations.get({ councilId: id, consultationId: 'k1' })).toEqual(c);
      expect(await repos().consultations.listByStatus(id, 'draft')).toEqual([c]);
      expect(await repos().consultations.listByDepartment(id, 'd1')).toEqual([c]);
      const { businessKeyOf } = await import('#shared/domain/followups.ts');
      expect(await repos().consultations.listByBusiness(id, businessKeyOf(c.form))).toEqual([c]);
      await expect(repos().consultations.get({ councilId: id, consultationId: 'none' })).rejects.toThrow(new NotFoundError('諮問が見つかりません。'));
    });

    it('reads several cases in one round trip, in the order asked, and refuses when one is missing', async () => {
      const id = freshCouncil();
      const cases = ['k1', 'k2', 'k3'].map((k) => caseOf(id, k));
      for (const c of cases) await repos().consultations.create(c);
      await repos().consultations.create(caseOf(freshCouncil(), 'k4'));
      expect(await repos().consultations.getMany(id, ['k3', 'k1', 'k2', 'k1'])).toEqual([cases[2], cases[0], cases[1], cases[0]]);
      expect(await repos().consultations.getMany(id, [])).toEqual([]);
      // Another council's case is not this council's, however it is named.
      await expect(repos().consultations.getMany(id, ['k1', 'k4'])).rejects.toThrow(new NotFoundError('諮問が見つかりません。'));
    });

    it('saves the form over the version read, while the department may edit, moving it to its new business', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      await repos().consultations.create(caseOf(id, 'k1'));
      const form = { title: '変更後', businessName: '別の事務' };
      const saved = await repos().consultations.saveForm(ref, form, 1, later(1), true);
      expect(saved).toMatchObject({ form, version: 2, submittedAt: later(1), updatedAt: later(1) });
      const { businessKeyOf } = await import('#shared/domain/followups.ts');
      expect((await repos().consultations.listByBusiness(id, businessKeyOf(form))).map((c) => c.consultationId)).toEqual(['k1']);
      expect(await repos().consultations.listByBusiness(id, businessKeyOf(caseOf(id, 'k1').form))).toEqual([]);
      await expect(repos().consultations.saveForm(ref, form, 1, later(2))).rejects.toBeInstanceOf(ConflictError);
      await repos().consultations.recordStep(ref, 'screening', later(3));
      await expect(repos().consultations.saveForm(ref, form, 2, later(4))).rejects.toBeInstanceOf(ConflictError);
    });

    it('puts a case naming several 事務 in the history of each, and takes it out of those it stops naming', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      const { keyOfBusiness } = await import('#shared/domain/followups.ts');
      const [resident, tax, welfare, other] = ['住民基本台帳事務', '個人住民税の賦課事務', '生活保護に関する事務', '関係のない事務'].map((name) => ({ name }));
      const history = async (b: { name: string }) => (await repos().consultations.listByBusiness(id, keyOfBusiness(b!))).map((c) => c.consultationId);
      await repos().consultations.create({ ...caseOf(id, 'k1'), form: { title: '三つの事務', businesses: [resident!, tax!, welfare!] } });
      await repos().consultations.create({ ...caseOf(id, 'k2', { createdAt: later(1) }), form: { title: '一つの事務', businesses: [tax!] } });
      expect(await history(resident!)).toEqual(['k1']);
      expect(await history(tax!)).toEqual(['k1', 'k2']);
      expect(await history(welfare!)).toEqual(['k1']);
      expect(await history(other!)).toEqual([]);
      // Newest first, a slice at a time: each item read is a position, whether a case or an entry.
      const slice = await repos().consultations.businessSlice(id, keyOfBusiness(tax!), { order: 'newest', limit: 1 });
      expect(slice.map((e) => e.consultation?.consultationId)).toEqual(['k2']);
      const rest = await repos().consultations.businessSlice(id, keyOfBusiness(tax!), { order: 'newest', after: slice[0]!.position, limit: 5 });
      expect(rest.map((e) => e.consultation?.consultationId)).toEqual(['k1']);

      // The department drops 生活保護 and puts 個人住民税 first: the case follows.
      await repos().consultations.saveForm(ref, { title: '二つの事務', businesses: [tax!, resident!] }, 1, later(2));
      expect(await history(resident!)).toEqual(['k1']);
      expect(await history(tax!)).toEqual(['k1', 'k2']);
      expect(await history(welfare!)).toEqual([]);

      // A save refused (a stale version) after its entries were written: no history shows the case under the 事務 it did not save.
      await expect(repos().consultations.saveForm(ref, { title: '古い版', businesses: [tax!, other!] }, 1, later(3))).rejects.toBeInstanceOf(ConflictError);
      expect(await history(other!)).toEqual([]);
      const [leftOver] = await repos().consultations.businessSlice(id, keyOfBusiness(other!), { order: 'oldest', limit: 5 });
      expect(leftOver).toEqual({ position: NOW });
    });

    it('records workflow steps in the status queues, with the waiting token, and refuses an unknown case', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      await repos().consultations.create(caseOf(id, 'k1'));
      await repos().consultations.recordStep(ref, 'screening', later(1), { taskToken: 't1', execution: { name: 'e1', startedAt: NOW } });
      expect(await repos().consultations.listByStatus(id, 'draft')).toEqual([]);
      expect(await repos().consultations.listByStatus(id, 'screening')).toMatchObject([{ consultationId: 'k1', taskToken: 't1', execution: { name: 'e1' } }]);
      await repos().consultations.recordStep(ref, 'accepted', later(2));
      expect((await repos().consultations.get(ref)).taskToken).toBeUndefined();
      await expect(repos().consultations.recordStep({ councilId: id, consultationId: 'ghost' }, 'screening', later(3))).rejects.toThrow(
        new NotFoundError('諮問が見つかりません。'),
      );
    });

    it('moves a status only from the one named: of two simultaneous moves, one wins', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      await repos().consultations.create(caseOf(id, 'k1'));
      const { ok, refused } = await settled([
        repos().consultations.moveStatus(ref, 'draft', 'withdrawn', later(1)),
        repos().consultations.moveStatus(ref, 'draft', 'withdrawn', later(2)),
      ]);
      expect(ok).toBe(1);
      expect(refused).toEqual([new ConflictError('この諮問は既に他の方が処理しました。最新の状態を確認してください。')]);
      expect(await repos().consultations.listByStatus(id, 'withdrawn')).toHaveLength(1);
    });

    it('stalls a case only for the execution that carries it, and is redriven once', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      await repos().consultations.create(caseOf(id, 'k1'));
      await repos().consultations.recordStep(ref, 'screening', later(1), { taskToken: 't1', execution: { name: 'e2', startedAt: NOW } });
      const stall = { executionArn: 'arn:e', error: 'States.TaskFailed', cause: 'boom', at: later(2) };
      expect(await repos().consultations.markStalled(ref, 'e1', stall)).toBe(false);
      expect(await repos().consultations.markStalled(ref, 'e2', stall)).toBe(true);
      expect(await repos().consultations.get(ref)).toMatchObject({ status: 'stalled', stalled: { previousStatus: 'screening' } });
      await repos().consultations.markRedriven(ref, later(3));
      await expect(repos().consultations.markRedriven(ref, later(4))).rejects.toBeInstanceOf(ConflictError);
      expect(await repos().consultations.beginRenewal(ref, 't1', { name: 'e3', at: later(5) })).toBe(false);
      await repos().consultations.recordStep(ref, 'screening', later(6), { taskToken: 't2' });
      expect(await repos().consultations.beginRenewal(ref, 't2', { name: 'e3', at: later(7) })).toBe(true);
      expect(await repos().consultations.get(ref)).toMatchObject({ status: 'screening', renewal: { name: 'e3' } });
    });

    it('opens each return round once, only from screening and not across an acceptance', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      await repos().consultations.create(caseOf(id, 'k1', { status: 'screening', taskToken: 't1' }));
      const round: ScreeningRound = { round: 1, comment: '添付資料が足りません。', returnedAt: later(1), returnedBy: 's' };
      const { ok } = await settled([repos().consultations.addReturn(ref, round), repos().consultations.addReturn(ref, { ...round, comment: '二人目' })]);
      expect(ok).toBe(1);
      await repos().consultations.answerRound(ref, 1, '追加しました。', 'u1', later(2));
      const bundle = await repos().consultations.bundle(ref);
      expect(bundle.rounds).toMatchObject([{ round: 1, response: '追加しました。', respondedBy: 'u1' }]);
      expect(bundle.consultation.returns).toBe(1);
      await expect(repos().consultations.answerRound(ref, 7, 'x', 'u1', later(3))).rejects.toBeInstanceOf(ConditionFailedError);
      // Until the workflow records the return, no acceptance may number the case (one a minute later: the return was cut off).
      await expect(repos().consultations.beginAcceptance(ref, 'r0', later(3))).rejects.toBeInstanceOf(ConflictError);
      expect((await repos().consultations.get(ref)).number).toBeUndefined();
      await repos().consultations.recordStep(ref, 'screening', later(3), { taskToken: 't2' });
      expect((await repos().consultations.get(ref)).returningAt).toBeUndefined();
      // An acceptance in progress blocks the next return; one older than its lease does not.
      await repos().consultations.beginAcceptance(ref, 'r1', later(4));
      await expect(repos().consultations.addReturn(ref, { ...round, round: 2, returnedAt: later(5) })).rejects.toBeInstanceOf(ConflictError);
      await repos().consultations.addReturn(ref, { ...round, round: 2, returnedAt: later(120) });
      expect((await repos().consultations.get(ref)).returns).toBe(2);
      // A return a crash cut off before the workflow heard of it blocks acceptance for a minute only.
      const cut = { councilId: id, consultationId: 'k2' };
      await repos().consultations.create(caseOf(id, 'k2', { status: 'screening', taskToken: 't3' }));
      await repos().consultations.addReturn(cut, { ...round, returnedAt: later(200) });
      await expect(repos().consultations.beginAcceptance(cut, 'r2', later(230))).rejects.toBeInstanceOf(ConflictError);
      expect(await repos().consultations.beginAcceptance(cut, 'r3', later(261))).toBeUndefined();
    });

    it('numbers simultaneous acceptances without gaps or duplicates, each case once however often accepted', async () => {
      const id = freshCouncil();
      const refs = Array.from({ length: 12 }, (_, i) => ({ councilId: id, consultationId: `k${i}` }));
      for (const ref of refs) await repos().consultations.create(caseOf(id, ref.consultationId, { status: 'screening', taskToken: `t-${ref.consultationId}` }));
      const accept = async (ref: (typeof refs)[number], request: string) =>
        (await repos().consultations.beginAcceptance(ref, request, NOW)) ?? (await repos().consultations.assignNumber(ref, 2026));
      const numbers = await Promise.all(refs.flatMap((ref, i) => [accept(ref, `a${i}`), accept(ref, `b${i}`)]));
      for (let i = 0; i < refs.length; i++) expect(numbers[2 * i]).toEqual(numbers[2 * i + 1]);
      const stored = await Promise.all(refs.map((ref) => repos().consultations.get(ref)));
      expect(stored.map((c) => c.number!.n).sort((a, b) => a - b)).toEqual(Array.from({ length: refs.length }, (_, i) => i + 1));
      expect(stored.every((c) => c.number!.fiscalYear === 2026)).toBe(true);
      // Another fiscal year starts again at 1.
      await repos().consultations.create(caseOf(id, 'next-year', { status: 'screening' }));
      expect(await repos().consultations.assignNumber({ councilId: id, consultationId: 'next-year' }, 2027)).toEqual({ fiscalYear: 2027, n: 1 });
    });

    it('completes a number a crash left unwritten before giving the next, from a counter written before _type', async () => {
      const id = freshCouncil();
      const [crashed, next] = [
        { councilId: id, consultationId: 'c0' },
        { councilId: id, consultationId: 'c1' },
      ];
      for (const ref of [crashed, next]) await repos().consultations.create(caseOf(id, ref.consultationId, { status: 'screening' }));
      await subject.raw.put({ ...keys.consultationCounter(id, 2026), last: 1, lastClaimant: 'c0' });
      expect(await repos().consultations.assignNumber(next, 2026)).toEqual({ fiscalYear: 2026, n: 2 });
      expect((await repos().consultations.get(crashed)).number).toEqual({ fiscalYear: 2026, n: 1 });
      expect(await repos().consultations.assignNumber(crashed, 2026)).toEqual({ fiscalYear: 2026, n: 1 });
      await expect(repos().consultations.beginAcceptance({ councilId: id, consultationId: 'c9' }, 'r', NOW)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('keeps the register: a case joins it when submitted and takes its number’s place, sliced either way from a position', async () => {
      const id = freshCouncil();
      const c = () => repos().consultations;
      const slice = async (options: Omit<Parameters<Repositories['consultations']['registerSlice']>[1], 'limit'>, limit = 50) =>
        (await c().registerSlice(id, { ...options, limit })).map((e) => e.consultation.consultationId);
      // A draft is not on it; a submission puts it there, in the fiscal year of the submission.
      await c().create(caseOf(id, 'draft'));
      await c().create(caseOf(id, 'march'));
      expect(await slice({ order: 'newest' })).toEqual([]);
      await c().saveForm({ councilId: id, consultationId: 'march' }, { title: '3月に提出' }, 1, '2026-03-30T01:00:00.000Z', true);
      expect(await slice({ order: 'newest', fiscalYear: 2025 })).toEqual(['march']);
      // Numbered in the next fiscal year: it moves to that year's place, in the write that numbers it.
      await c().create(caseOf(id, 'crashed', { status: 'screening', submittedAt: later(1) }));
      await c().create(caseOf(id, 'april', { status: 'screening', submittedAt: later(2) }));
      await subject.raw.put({ ...keys.consultationCounter(id, 2026), last: 1, lastClaimant: 'crashed' });
      expect(await c().assignNumber({ councilId: id, consultationId: 'march' }, 2026)).toEqual({ fiscalYear: 2026, n: 2 });
      expect(await slice({ order: 'newest', fiscalYear: 2025 })).toEqual([]);
      // The number a crash left unwritten was completed, and placed, by the next claim.
      expect(await slice({ order: 'newest', fiscalYear: 2026 })).toEqual(['april', 'march', 'crashed']);
      expect(await slice({ order: 'oldest' })).toEqual(['crashed', 'march', 'april']);
      for (let i = 0; i < 5; i++) await c().create(caseOf(id, `y24-${i}`, { status: 'closed', number: { fiscalYear: 2024, n: i + 1 }, submittedAt: NOW }));
      // Pages from a position, either way, within a year (BETWEEN) or across years (< and >), never repeating the position.
      const all = await c().registerSlice(id, { order: 'newest', limit: 50 });
      expect(all.map((e) => e.consultation.consultationId)).toEqual(['april', 'march', 'crashed', 'y24-4', 'y24-3', 'y24-2', 'y24-1', 'y24-0']);
      const at = (cid: string) => all.find((e) => e.consultation.consultationId === cid)!.position;
      expect(await slice({ order: 'newest', after: at('crashed') }, 3)).toEqual(['y24-4', 'y24-3', 'y24-2']);
      expect(await slice({ order: 'oldest', after: at('y24-3') })).toEqual(['y24-4', 'crashed', 'march', 'april']);
      expect(await slice({ order: 'newest', fiscalYear: 2024, after: at('y24-3') })).toEqual(['y24-2', 'y24-1', 'y24-0']);
      expect(await slice({ order: 'oldest', fiscalYear: 2024, after: at('y24-3') })).toEqual(['y24-4']);
      expect(await slice({ order: 'newest', fiscalYear: 2024, after: at('april') })).toEqual(['y24-4', 'y24-3', 'y24-2', 'y24-1', 'y24-0']);
      expect(await slice({ order: 'oldest', fiscalYear: 2024, after: at('april') })).toEqual([]);
    });

    it('schedules an accepted case once, and takes it off again', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      await repos().consultations.create(caseOf(id, 'k1', { status: 'accepted' }));
      const { ok } = await settled([repos().consultations.schedule(ref, 'm1', 'i1'), repos().consultations.schedule(ref, 'm2', 'i2')]);
      expect(ok).toBe(1);
      await repos().consultations.unschedule(ref);
      const c = await repos().consultations.get(ref);
      expect([c.meetingId, c.itemId]).toEqual([undefined, undefined]);
      await repos().consultations.schedule(ref, 'm3', 'i3');
      expect(await repos().consultations.get(ref)).toMatchObject({ meetingId: 'm3', itemId: 'i3' });
    });

    it('keeps the answer once, its first mailing time, attachments once, and bounds the audit on the case page', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1' };
      await repos().consultations.create(caseOf(id, 'k1'));
      await expect(repos().consultations.getAnswer(ref)).rejects.toThrow(new NotFoundError('答申はまだありません。'));
      const answer = {
        consultationId: 'k1',
        title: 't',
        outcome: 'approved' as const,
        conditions: [],
        councilName: '審議会',
        addressee: 'さくら市長',
        issuedOn: '2026-05-01',
      };
      expect(await repos().consultations.putAnswer(ref, answer)).toBe(true);
      expect(await repos().consultations.putAnswer(ref, { ...answer, outcome: 'rejected' })).toBe(false);
      await repos().consultations.markAnswerMailed(ref, later(1));
      await repos().consultations.markAnswerMailed(ref, later(2));
      expect(await repos().consultations.getAnswer(ref)).toEqual({ ...answer, mailedAt: later(1) });
      const att = {
        attachmentId: 'a1',
        label: '資料1',
        fileName: 'a.pdf',
        contentType: 'application/pdf',
        size: 10,
        objectKey: 'c/k/a',
        uploadedAt: NOW,
        uploadedBy: 'u1',
      };
      expect(await repos().consultations.putAttachment(ref, att)).toBe(true);
      expect(await repos().consultations.putAttachment(ref, att)).toBe(false);
      expect(await repos().consultations.getAttachment(ref, 'a1')).toEqual(att);
      await expect(repos().consultations.getAttachment(ref, 'none')).rejects.toBeInstanceOf(NotFoundError);
      const events: AuditEvent[] = Array.from({ length: 7 }, (_, i) => ({
        at: later(10 + i),
        eventId: `e${i}`,
        actor: { userId: 'u1', name: '長田', role: 'department' },
        action: `閲覧 ${i}`,
      }));
      for (const e of events) await repos().consultations.appendAudit(ref, e);
      await expect(repos().consultations.appendAudit(ref, events[0]!)).rejects.toBeInstanceOf(ConditionFailedError);
      await repos().followUps.createAll([followUpOf(id, 'k1', 1)]);
      const bundle = await repos().consultations.bundle(ref, 3);
      expect(bundle.audit.map((e) => e.eventId)).toEqual(['e4', 'e5', 'e6']);
      expect(bundle).toMatchObject({ answer: { outcome: 'approved' }, attachments: [att], followUps: [{ followUpId: 'k1-1' }], rounds: [] });
      // A reader that shows no audit trail gets the same case without it.
      const { audit: none, ...rest } = await repos().consultations.bundle(ref, 0);
      expect(none).toEqual([]);
      const { audit: _shown, ...same } = bundle;
      expect(rest).toEqual(same);
      expect((await repos().consultations.auditTrail(ref)).map((e) => e.eventId)).toEqual(events.map((e) => e.eventId));
      await expect(repos().consultations.bundle({ councilId: id, consultationId: 'none' })).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe(`${implementation}: MeetingRepository`, () => {
    it('numbers meetings of a fiscal year without gaps, once per meeting however often created', async () => {
      const id = freshCouncil();
      const made = await Promise.all(Array.from({ length: 8 }, (_, i) => repos().meetings.create(id, meetingOf(`m${i % 4}`))));
      const seqs = new Map(made.map((m) => [m.meetingId, m.seq]));
      for (const m of made) expect(m.seq).toBe(seqs.get(m.meetingId));
      expect([...seqs.values()].sort()).toEqual([1, 2, 3, 4]);
      expect((await repos().meetings.create(id, meetingOf('m0'))).seq).toBe(seqs.get('m0'));
      expect((await repos().meetings.create(id, meetingOf('other-year', { fiscalYear: 2027 }))).seq).toBe(1);
    });

    it('lists the latest date first and moves the status only from the one named', async () => {
      const id = freshCouncil();
      await repos().meetings.create(id, meetingOf('early', { date: '2026-04-10' }));
      await repos().meetings.create(id, meetingOf('late', { date: '2026-09-10' }));
      expect((await repos().meetings.list(id)).map((m) => m.meetingId)).toEqual(['late', 'early']);
      await repos().meetings.setStatus(id, 'early', 'planned', 'in_session', later(1));
      await expect(repos().meetings.setStatus(id, 'early', 'planned', 'in_session', later(2))).rejects.toThrow(
        new ConflictError('会議の状態が変わっています。最新の状態を確認してください。'),
      );
      expect(await repos().meetings.get(id, 'early')).toMatchObject({ status: 'in_session', statusChangedAt: later(1) });
      await expect(repos().meetings.get(id, 'none')).rejects.toThrow(new NotFoundError('会議が見つかりません。'));
    });
  });

  describe(`${implementation}: AgendaRepository`, () => {
    it('adds, lists and edits items, refusing an edit of an item not there', async () => {
      const id = freshCouncil();
      await repos().agendas.add(id, 'm1', itemOf('i2', 2));
      await repos().agendas.add(id, 'm1', itemOf('i1', 1));
      await repos().agendas.add(id, 'm2', itemOf('other'));
      expect((await repos().agendas.list(id, 'm1')).map((i) => i.itemId)).toEqual(['i1', 'i2']);
      await repos().agendas.update(id, 'm1', 'i1', { explainers: '説明員', title: '新しい題' });
      expect(await repos().agendas.get(id, 'm1', 'i1')).toMatchObject({ explainers: '説明員', title: '新しい題', order: 1 });
      await expect(repos().agendas.update(id, 'm1', 'ghost', { order: 3 })).rejects.toBeInstanceOf(ConditionFailedError);
      await expect(repos().agendas.get(id, 'm1', 'ghost')).rejects.toThrow(new NotFoundError('議題が見つかりません。'));
    });

    it('opens a vote once and lists it for the reminder job until it is retired', async () => {
      const id = freshCouncil();
      await repos().agendas.add(id, 'm1', itemOf('i1'));
      await repos().agendas.openVoting(id, 'm1', 'i1', roundOf(['a', 'b']));
      await expect(repos().agendas.openVoting(id, 'm1', 'i1', roundOf(['a', 'b']))).rejects.toThrow(new ConflictError('この議題の表決は既に始まっています。'));
      const open = await repos().agendas.dueRounds(id, '9999-12-31');
      expect(open).toMatchObject([{ itemId: 'i1', roundOf: { councilId: id, meetingId: 'm1' }, voting: { status: 'open' }, ballots: {} }]);
      expect(await repos().agendas.markReminded(id, 'm1', 'i1', '2days')).toBe(true);
      expect(await repos().agendas.markReminded(id, 'm1', 'i1', '2days')).toBe(false);
      await repos().agendas.retireRound(id, 'm1', 'i1');
      expect(await repos().agendas.dueRounds(id, '9999-12-31')).toEqual([]);
      expect((await repos().agendas.get(id, 'm1', 'i1')).voting?.reminded).toEqual(['2days']);
    });

    it('bumps the ballot version with every ballot, losing none cast at the same instant', async () => {
      const id = freshCouncil();
      const members = ['a', 'b', 'c', 'd', 'e', 'f'];
      await repos().agendas.add(id, 'm1', itemOf('i1'));
      await repos().agendas.openVoting(id, 'm1', 'i1', roundOf(members));
      await Promise.all(members.map((m) => repos().agendas.castBallot(id, 'm1', 'i1', 1, ballotOf(m))));
      const item = await repos().agendas.castBallot(id, 'm1', 'i1', 1, ballotOf('a', 'reject'));
      expect(item.voting?.ballotVersion).toBe(7);
      expect(Object.keys(item.ballots ?? {}).sort()).toEqual(members);
      expect(item.ballots?.['a']?.choice).toBe('reject');
      await expect(repos().agendas.castBallot(id, 'm1', 'i1', 1, ballotOf('outsider'))).rejects.toThrow(new ConflictError('この表決は締め切られました。'));
      await expect(repos().agendas.castBallot(id, 'm1', 'i1', 2, ballotOf('a'))).rejects.toBeInstanceOf(ConflictError);
    });

    it('closes a round only over the ballots it tallied; a ballot after the close is refused', async () => {
      const id = freshCouncil();
      await repos().agendas.add(id, 'm1', itemOf('i1'));
      await repos().agendas.openVoting(id, 'm1', 'i1', roundOf(['a', 'b']));
      // Nothing cast yet: the close is conditioned on there being no ballot version.
      const empty = await repos().agendas.get(id, 'm1', 'i1');
      await repos().agendas.castBallot(id, 'm1', 'i1', 1, ballotOf('a'));
      expect(await repos().agendas.closeVoting(id, 'm1', 'i1', empty.voting!, 'closed', tallyOf(), later(1))).toBe(false);
      const seen = await repos().agendas.get(id, 'm1', 'i1');
      await repos().agendas.castBallot(id, 'm1', 'i1', 1, ballotOf('b'));
      expect(await repos().agendas.closeVoting(id, 'm1', 'i1', seen.voting!, 'closed', tallyOf(), later(2))).toBe(false);
      const fresh = await repos().agendas.get(id, 'm1', 'i1');
      expect(await repos().agendas.closeVoting(id, 'm1', 'i1', fresh.voting!, 'awaiting_chair', tallyOf('approved_with_conditions'), later(3))).toBe(true);
      expect(await repos().agendas.closeVoting(id, 'm1', 'i1', fresh.voting!, 'closed', tallyOf(), later(4))).toBe(false);
      await expect(repos().agendas.castBallot(id, 'm1', 'i1', 1, ballotOf('a', 'reject'))).rejects.toThrow(new ConflictError('この表決は締め切られました。'));
      await repos().agendas.finishChairReview(id, 'm1', 'i1', later(9));
      await expect(repos().agendas.finishChairReview(id, 'm1', 'i1', later(9))).rejects.toThrow(new ConflictError('条件の確定は既に済んでいます。'));
      expect((await repos().agendas.get(id, 'm1', 'i1')).voting).toMatchObject({
        status: 'closed',
        closedAt: later(3),
        tally: { outcome: 'approved_with_conditions' },
        ballotVersion: 2,
      });
    });

    it('records hands before the decision, and the decision once (the same outcome again is a retry)', async () => {
      const id = freshCouncil();
      await repos().agendas.add(id, 'm1', itemOf('i1'));
      await repos().agendas.recordHands(id, 'm1', 'i1', ['a', 'b'], { a: { ...ballotOf('a'), source: 'meeting' } });
      const decision = { outcome: 'approved' as const, conditions: [], decidedAt: later(1), decidedBy: 's' };
      await repos().agendas.recordDecision(id, 'm1', 'i1', decision);
      await repos().agendas.recordDecision(id, 'm1', 'i1', { ...decision, decidedAt: later(2) });
      await expect(repos().agendas.recordDecision(id, 'm1', 'i1', { ...decision, outcome: 'rejected' })).rejects.toThrow(
        new ConflictError('この議題の結果は既に記録されています。'),
      );
      await expect(repos().agendas.recordHands(id, 'm1', 'i1', ['a'], {})).rejects.toBeInstanceOf(ConflictError);
      await expect(repos().agendas.openVoting(id, 'm1', 'i1', roundOf(['a']))).rejects.toBeInstanceOf(ConflictError);
      expect(await repos().agendas.get(id, 'm1', 'i1')).toMatchObject({ present: ['a', 'b'], decision: { decidedAt: later(1) } });
      await expect(repos().agendas.recordDecision(id, 'm1', 'ghost', decision)).rejects.toBeInstanceOf(ConflictError);
    });
  });

  describe(`${implementation}: MinutesRepository`, () => {
    it('keeps the first draft, saves over the version read, and finalizes once, keeping that version', async () => {
      const id = freshCouncil();
      expect(await repos().minutes.get(id, 'm1')).toBeUndefined();
      const first = await repos().minutes.create(id, minutesOf('m1'));
      expect(await repos().minutes.create(id, { ...minutesOf('m1'), opening: '別の編集者' })).toEqual(first);
      await repos().minutes.save(id, { ...first, opening: '編集1' }, 1);
      await expect(repos().minutes.save(id, { ...first, opening: '古い版から' }, 1)).rejects.toBeInstanceOf(ConflictError);
      const current = (await repos().minutes.get(id, 'm1'))!;
      expect(current).toMatchObject({ opening: '編集1', version: 2 });
      const final = await repos().minutes.finalize(id, current, later(1), 's');
      expect(final).toMatchObject({ status: 'final', finalVersion: 2 });
      expect(await repos().minutes.getVersion(id, 'm1', 2)).toEqual(final);
      await expect(repos().minutes.finalize(id, current, later(2), 's')).rejects.toThrow(
        new ConflictError('会議録は既に確定しているか、確定の直前に更新されました。'),
      );
      await expect(repos().minutes.save(id, final, 2)).rejects.toBeInstanceOf(ConflictError);
    });

    it('keeps exports and their progress', async () => {
      const id = freshCouncil();
      const job = {
        exportId: 'x1',
        format: 'docx' as const,
        edition: 'published' as const,
        status: 'pending' as const,
        progress: '待機中',
        percent: 0,
        requestedBy: 's',
        requestedAt: NOW,
      };
      await repos().minutes.putExport(id, 'm1', job);
      await repos().minutes.putExport(id, 'm1', { ...job, exportId: 'x2' });
      await repos().minutes.updateExport(id, 'm1', 'x1', { status: 'done', percent: 100, objectKey: 'k', fileName: 'f.docx', finishedAt: later(1) });
      expect((await repos().minutes.listExports(id, 'm1')).map((e) => [e.exportId, e.status])).toEqual([
        ['x1', 'done'],
        ['x2', 'pending'],
      ]);
      await expect(repos().minutes.getExport(id, 'm1', 'none')).rejects.toThrow(new NotFoundError('出力が見つかりません。'));
      await expect(repos().minutes.updateExport(id, 'm1', 'none', { percent: 5 })).rejects.toBeInstanceOf(ConditionFailedError);
      await expect(repos().minutes.putExport(id, 'm1', job)).rejects.toBeInstanceOf(ConditionFailedError);
    });
  });

  describe(`${implementation}: FollowUpRepository`, () => {
    it('creates the follow-ups of an answer once, on the dashboard and the job list', async () => {
      const id = freshCouncil();
      const fus = [followUpOf(id, 'k1', 1), followUpOf(id, 'k1', 2, { due: '2026-06-01' })];
      expect(await repos().followUps.createAll(fus)).toBe(2);
      expect(await repos().followUps.createAll(fus)).toBe(0);
      expect((await repos().followUps.listActive(id)).map((f) => f.followUpId)).toEqual(['k1-2', 'k1-1']);
      expect((await repos().followUps.listDue(id, '9999-12-31')).map((f) => f.followUpId)).toEqual(['k1-2', 'k1-1']);
      // Only what is due before the day given: the job's reminder window.
      expect((await repos().followUps.listDue(id, '2026-06-02')).map((f) => f.followUpId)).toEqual(['k1-2']);
      expect(await repos().followUps.get({ councilId: id, consultationId: 'k1', followUpId: 'k1-1' })).toEqual(fus[0]);
      await expect(repos().followUps.get({ councilId: id, consultationId: 'k1', followUpId: 'none' })).rejects.toBeInstanceOf(NotFoundError);
    });

    it('takes an answer only with the evidence read, reviews it once, and closes it off every list', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1', followUpId: 'k1-1' };
      await repos().followUps.createAll([followUpOf(id, 'k1', 1, { everyMonths: 6 })]);
      const file = { fileName: 'c.pdf', objectKey: 'o', size: 1, contentType: 'application/pdf' };
      await repos().followUps.addPendingEvidence(ref, file);
      const answer = { n: 1, forDue: '2026-07-01', answeredBy: '委託先', text: '消去しました。', evidence: [file], submittedAt: later(1) };
      // The answer was read with no files: one arrived since, so it is refused rather than dropped.
      await expect(repos().followUps.submitAnswer(ref, { ...answer, evidence: [] })).rejects.toThrow(new ConflictError('この回答は既に送られています。'));
      await repos().followUps.submitAnswer(ref, answer);
      await expect(repos().followUps.submitAnswer(ref, answer)).rejects.toBeInstanceOf(ConflictError);
      await expect(repos().followUps.addPendingEvidence(ref, file)).rejects.toThrow(new ConflictError('この条件には今は回答できません。'));
      const submitted = await repos().followUps.get(ref);
      expect(submitted).toMatchObject({ status: 'submitted', pendingEvidence: [], answers: [answer] });
      await repos().followUps.review(submitted, 'accepted', undefined, 's', later(2), '2027-01-01');
      await expect(repos().followUps.review(submitted, 'accepted', undefined, 's', later(3), '2027-01-01')).rejects.toThrow(
        new ConflictError('この回答は既に確認済みです。'),
      );
      const reviewed = await repos().followUps.get(ref);
      expect(reviewed).toMatchObject({ status: 'open', due: '2027-01-01', answers: [{ review: { outcome: 'accepted', by: 's' } }] });
      expect((await repos().followUps.listActive(id)).map((f) => f.due)).toEqual(['2027-01-01']);
      expect(await repos().followUps.markNotified(ref, '2027-01-01:reminder')).toBe(true);
      expect(await repos().followUps.markNotified(ref, '2027-01-01:reminder')).toBe(false);
      await repos().followUps.close(ref, later(4));
      await expect(repos().followUps.close(ref, later(5))).rejects.toThrow(new ConflictError('この条件は既に完了しています。'));
      expect(await repos().followUps.listActive(id)).toEqual([]);
      expect(await repos().followUps.listDue(id, '9999-12-31')).toEqual([]);
      await expect(repos().followUps.askMore(ref, 'もう一度', '2027-02-01')).rejects.toBeInstanceOf(ConflictError);
    });

    it('returns an answer with a comment, asks for more, and edits the plan over the version read', async () => {
      const id = freshCouncil();
      const ref = { councilId: id, consultationId: 'k1', followUpId: 'k1-1' };
      await repos().followUps.createAll([followUpOf(id, 'k1', 1)]);
      await repos().followUps.submitAnswer(ref, { n: 1, forDue: '2026-07-01', answeredBy: '市民課', text: '報告', evidence: [], submittedAt: later(1) });
      await repos().followUps.review(await repos().followUps.get(ref), 'returned', '証明書を添えてください。', 's', later(2), undefined);
      expect(await repos().followUps.get(ref)).toMatchObject({ status: 'open', comment: '証明書を添えてください。' });
      await repos().followUps.askMore(ref, '追加の報告を', '2026-08-01');
      expect(await repos().followUps.get(ref)).toMatchObject({ status: 'open', comment: '追加の報告を', due: '2026-08-01' });
      const plan = {
        type: 'near_miss_counts' as const,
        owner: 'vendor' as const,
        ownerName: '委託先',
        ownerEmail: 'v@example.jp',
        evidence: '件数',
        due: '2026-09-01',
        everyMonths: 6,
      };
      await repos().followUps.updatePlan(ref, plan, 1);
      await expect(repos().followUps.updatePlan(ref, plan, 1)).rejects.toBeInstanceOf(ConflictError);
      await repos().followUps.updatePlan(ref, { ...plan, everyMonths: undefined }, 2);
      const edited = await repos().followUps.get(ref);
      expect(edited).toMatchObject({ type: 'near_miss_counts', owner: 'vendor', due: '2026-09-01', version: 3 });
      expect(edited.everyMonths).toBeUndefined();
      expect((await repos().followUps.listActive(id)).map((f) => f.due)).toEqual(['2026-09-01']);
    });
  });

  describe(`${implementation}: SessionRepository`, () => {
    const sessionOf = (councilId: string, userId: string, sessionId: string) =>
      newSession({ userId, name: '山下 潤', role: 'secretariat', councilId }, sessionId, new Date(NOW));

    it('stores a session, writes its last use once however many requests race, and revokes every session of one person', async () => {
      const id = freshCouncil();
      const [a, b, other] = [sessionOf(id, 'u1', 's-a'), sessionOf(id, 'u1', 's-b'), sessionOf(id, 'u2', 's-c')];
      for (const s of [a, b, other]) await repos().sessions.create(s);
      await expect(repos().sessions.create(a)).rejects.toThrow();
      expect(await repos().sessions.get(a)).toEqual(a);
      expect(await repos().sessions.get({ councilId: id, userId: 'u1', sessionId: 'none' })).toBeUndefined();
      const touches = await settled(
        Array.from({ length: 8 }, (_, i) =>
          repos()
            .sessions.touch(a, later(600 + i))
            .then((ok) => (ok ? 1 : Promise.reject())),
        ),
      );
      expect(touches.ok).toBe(1);
      expect((await repos().sessions.get(a))!.lastSeenAt).toMatch(/^2026-05-01T09:10:0\d/);
      expect(await repos().sessions.revokeAll(id, 'u1', later(700))).toBe(2);
      expect(await repos().sessions.revokeAll(id, 'u1', later(800))).toBe(0);
      expect((await repos().sessions.get(b))!.revokedAt).toBe(later(700));
      expect((await repos().sessions.get(other))!.revokedAt).toBeUndefined();
      // A request that read the session before the sign-out cannot write over it.
      expect(
        await repos().sessions.touch(
          await repos()
            .sessions.get(a)
            .then((s) => ({ ...s!, revokedAt: undefined })),
          later(900),
        ),
      ).toBe(false);
    });
  });

  describe(`${implementation}: LinkRepository`, () => {
    it('counts requests per link and minute, and marks the first view of a day once under concurrency', async () => {
      const id = freshCouncil();
      const hits = await Promise.all(Array.from({ length: 20 }, () => repos().links.hit(id, 'link1', '2026-05-01T09:00', 1)));
      expect([...hits].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await repos().links.hit(id, 'link1', '2026-05-01T09:01', 1)).toBe(1);
      expect(await repos().links.hit(id, 'link2', '2026-05-01T09:00', 1)).toBe(1);
      const firsts = await Promise.all(Array.from({ length: 20 }, () => repos().links.firstViewOfDay(id, 'link1', '2026-05-01', NOW, 1)));
      expect(firsts.filter(Boolean)).toHaveLength(1);
      expect(await repos().links.firstViewOfDay(id, 'link1', '2026-05-02', NOW, 1)).toBe(true);
    });

    it('bumps a holder’s link generation, once per revocation however many race', async () => {
      const id = freshCouncil();
      expect(await repos().links.generation(id, 'member', 'm1')).toBe(0);
      const revoked = await Promise.all(Array.from({ length: 5 }, () => repos().links.revoke(id, 'member', 'm1', { at: NOW, by: 's', reason: 'left' })));
      expect([...revoked].sort()).toEqual([1, 2, 3, 4, 5]);
      expect(await repos().links.generation(id, 'member', 'm1')).toBe(5);
      expect(await repos().links.generation(id, 'followUp', 'm1')).toBe(0);
      expect(await subject.raw.get({ pk: `C#${id}`, sk: 'LINKGEN#member#m1' })).toMatchObject({ _type: 'linkGeneration', _v: 1, revokedBy: 's' });
    });
  });

  describe(`${implementation}: what is stored`, () => {
    it('marks every item written with its entity type and version', async () => {
      const id = freshCouncil();
      await repos().consultations.create(caseOf(id, 'k1'));
      await repos().agendas.add(id, 'm1', itemOf('i1'));
      expect(await subject.raw.get(keys.consultation(id, 'k1'))).toMatchObject({ _type: 'consultation', _v: 3 });
      expect(await subject.raw.get(keys.agendaItem(id, 'm1', 'i1'))).toMatchObject({ _type: 'agendaItem', _v: 1 });
    });

    it('reads items written before _type and _v, and updates them', async () => {
      const id = freshCouncil();
      const old = caseOf(id, 'old', { status: 'screening' });
      await subject.raw.put({ ...keys.consultation(id, 'old'), ...keys.consultationByStatus(id, 'screening', old.updatedAt), ...old, meetingId: null });
      await subject.raw.put({ ...keys.screeningRound(id, 'old', 1), round: 1, comment: '古い差し戻し', returnedAt: NOW, returnedBy: 's' });
      // Version 1 named one 事務: it reads as the first of the case's 事務.
      expect(await repos().consultations.listByStatus(id, 'screening')).toEqual([
        { ...old, form: { title: old.form.title, businesses: [{ name: '住民記録事務' }] } },
      ]);
      const bundle = await repos().consultations.bundle({ councilId: id, consultationId: 'old' });
      expect(bundle.rounds).toEqual([{ round: 1, comment: '古い差し戻し', returnedAt: NOW, returnedBy: 's' }]);
      await repos().consultations.recordStep({ councilId: id, consultationId: 'old' }, 'accepted', later(1));
      expect((await repos().consultations.get({ councilId: id, consultationId: 'old' })).status).toBe('accepted');
    });

    it('refuses to write what it could not read back', async () => {
      const id = freshCouncil();
      await expect(repos().consultations.create({ ...caseOf(id, 'k1'), status: 'lost' as never })).rejects.toThrow(
        /stored consultation item .* would not match its schema; not written[\s\S]*status/,
      );
      expect(await subject.raw.get(keys.consultation(id, 'k1'))).toBeUndefined();
    });

    it('refuses a malformed item loudly, naming its entity and key', async () => {
      const id = freshCouncil();
      await subject.raw.put({
        ...keys.meeting(id, 'bad'),
        meetingId: 'bad',
        kind: 'meeting',
        date: '2026-06-01',
        fiscalYear: '令和8年度',
        status: 'planned',
        createdAt: NOW,
        version: 1,
      });
      const read = repos().meetings.get(id, 'bad');
      await expect(read).rejects.toBeInstanceOf(InvalidItemError);
      await expect(repos().meetings.list(id)).rejects.toThrow(new RegExp(`stored meeting item \\(pk=C#${id}, sk=MEETING#bad\\)[^]*fiscalYear`));
    });
  });
}
