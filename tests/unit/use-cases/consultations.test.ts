import { beforeEach, describe, expect, it } from 'vitest';
import { newId } from '#shared/adapters/runtime.ts';
import { consultationSubmission, formToObject, postedPath } from '#shared/domain/consultation-form.ts';
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import {
  consultationForEdit,
  createConsultation,
  listConsultations,
  saveConsultation,
  screenConsultation,
  viewConsultation,
} from '#shared/use-cases/consultations.ts';
import { completeForm } from '../../support/consultation-forms.ts';
import { draftCommand, type MemoryDeps, memoryDeps, type SeededCouncil, seedCouncil, submitCommand } from '../../support/memory-deps.ts';
import { submitCase } from '../../support/use-case-steps.ts';

let deps: MemoryDeps;
let sakura: SeededCouncil;
beforeEach(async () => {
  deps = memoryDeps();
  sakura = await seedCouncil(deps);
});
const dept = () => ({ principal: sakura.people.fukushi, sourceIp: '192.0.2.10' });

describe('a department creates and submits a consultation', () => {
  it('keeps a draft that is only saved: no workflow, no mail', async () => {
    const result = await createConsultation(deps, dept(), 'sakura', newId(), draftCommand({ title: '住民票の写し等の交付事務の委託' }));

    expect(result.submitted).toBe(false);
    const stored = await deps.consultations.get(result.ref);
    expect(stored).toMatchObject({ status: 'draft', departmentId: 'fukushi', createdBy: sakura.people.fukushi.userId, version: 1, returns: 0 });
    expect(stored.form.title).toBe('住民票の写し等の交付事務の委託');
    expect(deps.workflow.calls).toEqual([]);
    expect(deps.notifier.events).toEqual([]);
    expect((await deps.consultations.auditTrail(result.ref)).map((a) => [a.action, a.sourceIp])).toEqual([['下書きを作成', '192.0.2.10']]);
  });

  it('submits a complete form: the workflow starts, the secretariat is told, the case waits for screening', async () => {
    const result = await createConsultation(deps, dept(), 'sakura', newId(), submitCommand());

    expect(result.submitted).toBe(true);
    expect(deps.workflow.callsOf('start')).toEqual([expect.objectContaining({ ref: result.ref, cycle: 1 })]);
    const [submitted] = deps.notifier.of('consultation.submitted');
    expect(submitted).toMatchObject({ resubmission: false, department: { departmentId: 'fukushi' }, form: { title: '生活保護受給者金銭管理支援業務委託' } });

    await deps.workflow.settle();
    const stored = await deps.consultations.get(result.ref);
    expect(stored).toMatchObject({ status: 'screening', submittedAt: deps.clock.now().toISOString(), version: 2 });
    expect(deps.workflow.isLive(stored.taskToken)).toBe(true);
    expect((await deps.consultations.auditTrail(result.ref)).map((a) => a.action)).toEqual(
      expect.arrayContaining(['下書きを作成', '提出', '状態:受付審査中(準備中)', '状態:受付審査中']),
    );
  });

  it('makes one case of the same form sent twice, and submits it once', async () => {
    const requestId = newId();
    const first = await createConsultation(deps, dept(), 'sakura', requestId, submitCommand());
    await deps.workflow.settle();
    const second = await createConsultation(deps, dept(), 'sakura', requestId, submitCommand());

    expect(second).toEqual({ ref: first.ref, submitted: true });
    expect(await deps.consultations.listByDepartment('sakura', 'fukushi')).toHaveLength(1);
    expect(deps.workflow.callsOf('start')).toHaveLength(1);
    expect(deps.notifier.of('consultation.submitted')).toHaveLength(1);
  });

  it('submits once when the same form arrives again before the workflow has recorded the first', async () => {
    const requestId = newId();
    await createConsultation(deps, dept(), 'sakura', requestId, submitCommand());
    const again = await createConsultation(deps, dept(), 'sakura', requestId, submitCommand());
    await deps.workflow.settle();

    expect(again.submitted).toBe(true);
    expect(deps.notifier.of('consultation.submitted')).toHaveLength(1);
    expect(new Set(deps.workflow.callsOf('start').map((c) => c.executionName)).size).toBe(1);
    expect((await deps.consultations.auditTrail(again.ref)).filter((a) => a.action === '提出')).toHaveLength(1);
    expect(await deps.consultations.get(again.ref)).toMatchObject({ status: 'screening', version: 2 });
  });

  it('finishes a submission cut off before its workflow started when the same form is sent again', async () => {
    const requestId = newId();
    deps.workflow.failNext('start');
    await expect(createConsultation(deps, dept(), 'sakura', requestId, submitCommand())).rejects.toThrow('Rate exceeded');

    await createConsultation(deps, dept(), 'sakura', requestId, submitCommand());
    await deps.workflow.settle();

    expect(await deps.consultations.listByDepartment('sakura', 'fukushi')).toEqual([expect.objectContaining({ status: 'screening' })]);
  });

  it('gives two departments typing the same request id two different cases', async () => {
    const requestId = newId();
    const a = await createConsultation(deps, dept(), 'sakura', requestId, draftCommand());
    const b = await createConsultation(deps, { principal: sakura.people.shimin }, 'sakura', requestId, draftCommand());

    expect(a.ref.consultationId).not.toBe(b.ref.consultationId);
    expect((await deps.consultations.get(b.ref)).departmentId).toBe('shimin');
  });

  it('cannot submit an incomplete form: each missing field is named, and what was typed stays a draft', async () => {
    // The command a department's page builds: the schema names the fields, by the names they were posted under.
    const posted = completeForm({ purpose: '', 'vendor.name': '', 'flows.0.means': '', plannedStart: '2027-02-30' });
    const check = checkForm(consultationSubmission, posted, formToObject, postedPath);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual(['flows.0.means', 'plannedStart', 'purpose', 'vendor.name']);

    const result = await createConsultation(deps, dept(), 'sakura', newId(), draftCommand({ purpose: '', 'vendor.name': '' }));
    await deps.workflow.settle();
    expect((await deps.consultations.get(result.ref)).status).toBe('draft');
    expect(deps.workflow.calls).toEqual([]);
    expect(deps.notifier.events).toEqual([]);
  });

  it('submits a saved draft later, over the version the editor opened', async () => {
    const { ref } = await createConsultation(deps, dept(), 'sakura', newId(), draftCommand());
    const saved = await saveConsultation(deps, dept(), ref, 1, draftCommand({ subjectCount: '140' }));
    expect(saved).toMatchObject({ submitted: false, version: 2 });

    const submitted = await saveConsultation(deps, dept(), ref, 2, submitCommand({ subjectCount: '150' }));
    await deps.workflow.settle();

    expect(submitted).toMatchObject({ submitted: true, version: 3 });
    expect(await deps.consultations.get(ref)).toMatchObject({ status: 'screening', form: { subjectCount: 150 } });
  });

  it('refuses an edit made over an older version and keeps the newer text', async () => {
    const { ref } = await createConsultation(deps, dept(), 'sakura', newId(), draftCommand());
    await saveConsultation(deps, dept(), ref, 1, draftCommand({ purpose: '先に保存した目的' }));

    await expect(saveConsultation(deps, dept(), ref, 1, submitCommand({ purpose: '古い画面からの目的' }))).rejects.toBeInstanceOf(ConflictError);
    expect((await deps.consultations.get(ref)).form.purpose).toBe('先に保存した目的');
    expect(deps.workflow.calls).toEqual([]);
  });

  it('may no longer be edited by its department once submitted', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const before = deps.items.dump();

    await expect(saveConsultation(deps, dept(), ref, 2, draftCommand({ purpose: '書き換え' }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(consultationForEdit(deps, dept(), ref, { audit: false })).rejects.toBeInstanceOf(ForbiddenError);
    expect(deps.items.dump()).toEqual(before);
  });
});

describe('a returned case', () => {
  it('goes back to its department with the comment, and comes back with its answer', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    await screenConsultation(deps, { principal: sakura.people.secretariat }, ref, { decision: 'return', comment: '再委託先の有無を記載してください。' });
    await deps.workflow.settle();
    const returned = await deps.consultations.get(ref);
    expect(returned).toMatchObject({ status: 'returned', returns: 1 });

    await saveConsultation(deps, dept(), ref, returned.version, submitCommand({ 'vendor.subcontractors': 'なし' }, '再委託は行いません。'));
    expect(deps.workflow.callsOf('complete').at(-1)?.output).toEqual({ revised: true, round: 1 });
    await deps.workflow.settle();

    const bundle = await deps.consultations.bundle(ref);
    expect(bundle.consultation.status).toBe('screening');
    expect(bundle.rounds).toEqual([
      expect.objectContaining({
        round: 1,
        comment: '再委託先の有無を記載してください。',
        response: '再委託は行いません。',
        respondedBy: sakura.people.fukushi.userId,
      }),
    ]);
    expect(deps.notifier.of('consultation.submitted').map((e) => [e.resubmission, e.response])).toEqual([
      [false, undefined],
      [true, '再委託は行いません。'],
    ]);
  });
});

describe('who sees which case', () => {
  it('shows a department its own cases and no other department’s, not even that they exist', async () => {
    const own = await submitCase(deps, sakura.people.fukushi);
    const other = await submitCase(deps, sakura.people.shimin, { title: '住民記録システムの更改' });

    const list = await listConsultations(deps, sakura.people.fukushi, 'sakura');
    expect(list.register.rows.map((c) => c.consultationId)).toEqual([own.consultationId]);
    await expect(viewConsultation(deps, dept(), other, { audit: true })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('puts every look at a case on its audit trail, but not a form shown again', async () => {
    const ref = await submitCase(deps, sakura.people.fukushi);
    const looks = async () => (await deps.consultations.auditTrail(ref)).filter((a) => a.action === '閲覧');

    await viewConsultation(deps, { principal: sakura.people.member, sourceIp: '198.51.100.7' }, ref, { audit: true });
    await viewConsultation(deps, { principal: sakura.people.secretariat }, ref, { audit: false });

    expect((await looks()).map((a) => [a.actor.userId, a.actor.role, a.sourceIp])).toEqual([[sakura.people.member.userId, 'member', '198.51.100.7']]);
  });

  it('lists the secretariat’s queues by what each case waits for', async () => {
    const screening = await submitCase(deps, sakura.people.fukushi);
    const returned = await submitCase(deps, sakura.people.shimin);
    await screenConsultation(deps, { principal: sakura.people.secretariat }, returned, { decision: 'return', comment: '添付資料が不足しています。' });
    await deps.workflow.settle();

    const { queues } = await listConsultations(deps, sakura.people.secretariat, 'sakura');
    if (queues?.kind !== 'secretariat') throw new Error('the secretariat sees its queues');
    expect(queues.screening.map((c) => c.consultationId)).toEqual([screening.consultationId]);
    expect(queues.returned.map((c) => c.consultationId)).toEqual([returned.consultationId]);
    expect(queues.accepted).toEqual([]);
  });
});
