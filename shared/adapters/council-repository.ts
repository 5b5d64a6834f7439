import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Council, Department, DepartmentInput, Member, MemberInput } from '#shared/domain/council.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { patterns } from './store/access-patterns.ts';
import { consultationCounter, council, department, meetingCounter, member } from './store/entities.ts';
import { and, assign, eq, itemExists, lt, notExists, or, remove, set } from './store/expressions.ts';
import { type Store, storeOf } from './store/store.ts';
import { GSI1 } from './store/table.ts';

/** Councils and their rosters. Holds the keys; the rules live in shared/domain. */
export class CouncilRepository {
  private readonly store: Store;

  constructor(store: Store);
  constructor(db: DynamoDBDocumentClient, tableName: string);
  constructor(db: DynamoDBDocumentClient | Store, tableName?: string) {
    this.store = storeOf(db, tableName);
  }

  listCouncils(): Promise<Council[]> {
    return this.store.query(patterns.listCouncils, {});
  }

  /**
   * One page of the councils, by name, after `after` (the last council of the page before; the
   * first page without it): the jobs' dispatcher reads the registry a bounded page at a time.
   */
  councilPage(limit: number, after?: Pick<Council, 'councilId' | 'name'>): Promise<Council[]> {
    const bound = after ? council.index('registry').keys(after)[GSI1.sort] : undefined;
    return this.store.query(patterns.councilPage, {}, { limit, ...(bound !== undefined ? { bound } : {}) });
  }

  getCouncil(councilId: string): Promise<Council> {
    return this.store.get(patterns.getCouncil, { councilId }, () => new NotFoundError('審議会が見つかりません。'));
  }

  /** Creates the council if it is not there yet (used by seeding; safe to repeat). */
  createCouncil(c: Council): Promise<boolean> {
    return this.store.create(council, { councilId: c.councilId }, c, { onConditionFailure: false });
  }

  listDepartments(councilId: string): Promise<Department[]> {
    return this.store.query(patterns.listDepartments, { councilId });
  }

  /** Creates the department if it is not there yet; returns whether it was created. */
  createDepartment(councilId: string, d: Department): Promise<boolean> {
    return this.store.create(department, { councilId, departmentId: d.departmentId }, d, { onConditionFailure: false });
  }

  /** Saves a department's edit only from the version read (a department stored before versions counts as 1). */
  updateDepartment(councilId: string, departmentId: string, input: DepartmentInput, expectedVersion: number): Promise<Department> {
    return this.store.updateAndRead(
      department,
      { councilId, departmentId },
      assign({
        name: input.name,
        parentId: input.parentId,
        email: input.email,
        managerName: input.managerName,
        managerEmail: input.managerEmail,
        version: expectedVersion + 1,
      }),
      {
        if: and(itemExists(), expectedVersion === 1 ? or(eq('version', 1), notExists('version')) : eq('version', expectedVersion)),
        onConditionFailure: () => new ConflictError('他の方が先にこの部・課を更新しました。最新の内容を確認してから、もう一度保存してください。'),
      },
    );
  }

  listMembers(councilId: string): Promise<Member[]> {
    return this.store.query(patterns.listMembers, { councilId });
  }

  getMember(councilId: string, memberId: string): Promise<Member> {
    return this.store.get(patterns.getMember, { councilId, memberId }, () => new NotFoundError('委員が見つかりません。'));
  }

  /** Adds a member under a fresh id; returns false if that id already exists (a repeated submit). */
  addMember(councilId: string, m: Member): Promise<boolean> {
    return this.store.create(member, { councilId, memberId: m.memberId }, m, { onConditionFailure: false });
  }

  /** Saves an edit only if nobody saved another since `expectedVersion` was read. */
  updateMember(councilId: string, memberId: string, input: MemberInput, expectedVersion: number, now: string): Promise<Member> {
    return this.store.updateAndRead(
      member,
      { councilId, memberId },
      assign({
        name: input.name,
        kana: input.kana,
        category: input.category,
        affiliation: input.affiliation,
        email: input.email,
        updatedAt: now,
        version: expectedVersion + 1,
      }),
      {
        if: and(itemExists(), eq('version', expectedVersion)),
        onConditionFailure: () => new ConflictError('他の方が先にこの委員の情報を更新しました。最新の内容を確認してから、もう一度保存してください。'),
      },
    );
  }

  /** Saves the secretariat's settings only if nobody saved others since `expectedVersion` was read. */
  async updateSettings(
    councilId: string,
    s: Pick<
      Council,
      'name' | 'contact' | 'secretariatEmail' | 'rules' | 'conditionLibrary' | 'mailSignature' | 'senderName' | 'senderAddress' | 'replyTo' | 'numbering'
    > &
      // The basis and kinds, when the form carried them (absent: left as they are).
      Partial<Pick<Council, 'legalBasis' | 'consultationKinds' | 'reportKinds'>>,
    expectedVersion: number,
  ): Promise<Council> {
    return this.store.updateAndRead(
      council,
      { councilId },
      assign({
        name: s.name,
        contact: s.contact,
        secretariatEmail: s.secretariatEmail,
        rules: s.rules,
        conditionLibrary: s.conditionLibrary,
        mailSignature: s.mailSignature,
        senderName: s.senderName,
        senderAddress: s.senderAddress,
        replyTo: s.replyTo,
        numbering: s.numbering,
        ...(s.legalBasis ? { legalBasis: s.legalBasis, consultationKinds: s.consultationKinds, reportKinds: s.reportKinds } : {}),
        version: expectedVersion + 1,
      }),
      {
        if: and(itemExists(), eq('version', expectedVersion)),
        onConditionFailure: () => new ConflictError('他の方が先に審議会の設定を更新しました。最新の内容を確認してから、もう一度操作してください。'),
      },
    );
  }

  /** Suspends a council (the operator); safe to repeat. */
  async suspend(councilId: string, now: string): Promise<void> {
    await this.store.update(council, { councilId }, [set('suspendedAt', now)], {
      if: itemExists(),
      onConditionFailure: () => new NotFoundError('審議会が見つかりません。'),
    });
  }

  /** Marks a council as being deleted (the operator confirmed; the background deletion follows); safe to repeat. */
  async markDeleting(councilId: string, now: string): Promise<void> {
    await this.store.update(council, { councilId }, [set('deletingAt', now)], {
      if: itemExists(),
      onConditionFailure: () => new NotFoundError('審議会が見つかりません。'),
    });
  }

  /** The last consultation and meeting numbers given in a fiscal year (0: none yet). */
  async lastNumbers(councilId: string, fiscalYear: number): Promise<{ consultation: number; meeting: number }> {
    const [c, m] = await Promise.all([
      this.store.get(patterns.getConsultationCounter, { councilId, fiscalYear }),
      this.store.get(patterns.getMeetingCounter, { councilId, fiscalYear }),
    ]);
    return { consultation: c?.last ?? 0, meeting: m?.last ?? 0 };
  }

  /**
   * Continues a series (諮問第N号, 第N回) from `next`: the counter's last number becomes
   * `next - 1`, only forward (a number already given is never given again). An unfinished claim
   * on the counter is let go — its case takes a number after `next - 1` when it is accepted again.
   * False when the series is already at or past `next - 1`.
   */
  async continueSeries(series: 'consultation' | 'meeting', councilId: string, fiscalYear: number, next: number): Promise<boolean> {
    const entity = series === 'consultation' ? consultationCounter : meetingCounter;
    const params = { councilId, fiscalYear };
    if (await this.store.create(entity, params, { last: next - 1 }, { onConditionFailure: false })) return true;
    return this.store.update(entity, params, [set('last', next - 1), remove('lastClaimant')], { if: lt('last', next - 1), onConditionFailure: false });
  }

  async setOffices(councilId: string, offices: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>, expectedVersion: number): Promise<void> {
    await this.store.update(
      council,
      { councilId },
      assign({ chairMemberId: offices.chairMemberId, viceChairMemberId: offices.viceChairMemberId, version: expectedVersion + 1 }),
      {
        if: eq('version', expectedVersion),
        onConditionFailure: () => new ConflictError('他の方が先に審議会の設定を更新しました。最新の内容を確認してから、もう一度操作してください。'),
      },
    );
  }
}
