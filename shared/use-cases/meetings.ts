import { z } from 'zod';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { isVisibleTo, type Consultation } from '#shared/domain/consultation.ts';
import {
  decisionInput,
  meetingInput,
  meetingName,
  moveItem,
  newMeeting,
  orderedAgenda,
  type AgendaItem,
} from '#shared/domain/meeting.ts';
import { requireRole, type Principal } from '#shared/domain/principal.ts';
import { ConflictError, DomainError, NotFoundError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { ID_PATTERN } from '#shared/keys.ts';
import { agendaMail } from '#templates/mail/agenda.ts';

type MeetingDeps = Pick<Deps, 'councils' | 'consultations' | 'meetings' | 'workflow' | 'mailer' | 'clock' | 'settings'>;
type Form = Record<string, string | string[]>;

/** The council's meetings and written decisions, newest first. */
export async function listMeetings(deps: MeetingDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'member', 'chair');
  const [council, meetings] = await Promise.all([deps.councils.getCouncil(councilId), deps.meetings.list(councilId)]);
  return { viewer, council, meetings };
}

/** The secretariat creates a meeting or a written decision; it is numbered 第N回 in its fiscal year. */
export async function createMeeting(deps: MeetingDeps, principal: Principal | undefined, councilId: string, form: Form) {
  requireRole(principal, councilId, 'secretariat');
  const checked = checkForm(meetingInput, form);
  if (!checked.ok) return checked;
  const meeting = await deps.meetings.create(councilId, newMeeting(checked.value, deps.clock.now().toISOString()));
  return { ok: true as const, meeting };
}

/** A meeting with its agenda, the cases on it, and (for the secretariat) the accepted cases waiting for a meeting. */
export async function viewMeeting(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'member', 'chair');
  const [council, meeting, items, members, departments] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.meetings.get(councilId, meetingId),
    deps.meetings.agenda(councilId, meetingId),
    deps.councils.listMembers(councilId),
    deps.councils.listDepartments(councilId),
  ]);
  const agenda = orderedAgenda(items);
  const ids = agenda.flatMap((i) => i.consultationIds);
  const cases = new Map<string, Consultation>(
    (await Promise.all(ids.map((id) => deps.consultations.get({ councilId, consultationId: id })))).map((c) => [c.consultationId, c]),
  );
  const waiting =
    viewer.role === 'secretariat' ? (await deps.consultations.listByStatus(councilId, 'accepted')).filter((c) => !c.meetingId) : [];
  return { viewer, council, meeting, name: meetingName(council, meeting), agenda, cases, waiting, members, departments };
}

const addItemsForm = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('deliberation'),
    consultationIds: z
      .union([z.string(), z.array(z.string())], { error: '議題に入れる諮問を選んでください。' })
      .transform((v) => [v].flat().filter(Boolean))
      .pipe(z.array(z.string().regex(ID_PATTERN)).min(1, '議題に入れる諮問を選んでください。').max(30)),
    bundle: z.enum(['separate', 'bundle']).default('separate'),
    bundleTitle: z.string().trim().max(100, '一括諮問の件名は100文字以内で入力してください。').optional(),
  }),
  z.object({
    kind: z.enum(['report', 'other']),
    title: z.string().trim().min(1, '件名を入力してください。').max(200, '件名は200文字以内で入力してください。'),
  }),
]);

/**
 * Puts accepted cases on the agenda — each as its own item, or several on one shared
 * system as one bundled item (一括諮問) with one vote — and moves their workflows on.
 * Reports and other business are plain agenda lines.
 */
export async function addAgendaItems(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string, form: Form) {
  requireRole(principal, councilId, 'secretariat');
  const checked = checkForm(addItemsForm, form);
  if (!checked.ok) return checked;
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.status !== 'planned') throw new DomainError('審議を始めた会議には議題を追加できません。');
  const existing = await deps.meetings.agenda(councilId, meetingId);
  let order = existing.reduce((max, i) => Math.max(max, i.order), 0);

  const input = checked.value;
  if (input.kind !== 'deliberation') {
    await deps.meetings.putItem(councilId, meetingId, { itemId: newId(), kind: input.kind, order: ++order, title: input.title, consultationIds: [] });
    return { ok: true as const };
  }

  const cases = await Promise.all(input.consultationIds.map((id) => deps.consultations.get({ councilId, consultationId: id })));
  for (const c of cases) {
    if (c.status !== 'accepted' || c.meetingId) throw new ConflictError(`「${c.form.title}」は日程調整待ちではありません。最新の状態を確認してください。`);
  }
  const groups: Consultation[][] = input.bundle === 'bundle' ? [cases] : cases.map((c) => [c]);
  for (const group of groups) {
    const first = group[0]!;
    const title = group.length > 1 ? input.bundleTitle || `${first.form.title} 他${group.length - 1}件` : first.form.title;
    const item: AgendaItem = { itemId: newId(), kind: 'deliberation', order: ++order, title, consultationIds: group.map((c) => c.consultationId) };
    await deps.meetings.putItem(councilId, meetingId, item);
    for (const c of group) {
      const ref = { councilId, consultationId: c.consultationId };
      await deps.consultations.schedule(ref, meetingId, item.itemId);
      await deps.workflow.complete(c.taskToken, { meetingId, itemId: item.itemId });
    }
  }
  return { ok: true as const };
}

const itemUpdateForm = z.object({
  move: z.enum(['up', 'down']).optional(),
  explainers: z.string().trim().max(400, '説明員は400文字以内で入力してください。').optional(),
});

/** The secretariat reorders the agenda or names the explainers (説明員) of an item. */
export async function updateAgendaItem(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string, itemId: string, form: Form) {
  requireRole(principal, councilId, 'secretariat');
  const checked = checkForm(itemUpdateForm, form);
  if (!checked.ok) return checked;
  const items = await deps.meetings.agenda(councilId, meetingId);
  if (!items.some((i) => i.itemId === itemId)) throw new NotFoundError('議題が見つかりません。');
  if (checked.value.move) {
    for (const change of moveItem(items, itemId, checked.value.move)) await deps.meetings.updateItem(councilId, meetingId, change.itemId, { order: change.order });
  }
  if (checked.value.explainers !== undefined) await deps.meetings.updateItem(councilId, meetingId, itemId, { explainers: checked.value.explainers });
  return { ok: true as const };
}

/** The meeting opens its deliberations (or the written vote starts): every case on it is now in deliberation. */
export async function openDeliberation(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  requireRole(principal, councilId, 'secretariat');
  const items = (await deps.meetings.agenda(councilId, meetingId)).filter((i) => i.kind === 'deliberation');
  if (items.length === 0) throw new DomainError('審議する議題がありません。先に諮問を議題に入れてください。');
  const cases = await Promise.all(items.flatMap((i) => i.consultationIds).map((id) => deps.consultations.get({ councilId, consultationId: id })));
  const notReady = cases.find((c) => c.status !== 'scheduled' || !c.taskToken);
  if (notReady) throw new ConflictError(`「${notReady.form.title}」の準備がまだ整っていません。少し待ってからもう一度操作してください。`);
  await deps.meetings.setStatus(councilId, meetingId, 'planned', 'in_session');
  for (const c of cases) await deps.workflow.complete(c.taskToken, { meetingId });
  return { ok: true as const };
}

/**
 * Records the council's decision on one item — once, for every consultation in it — and
 * moves each case's workflow on: to its answer, or (継続審議) back to scheduling.
 * When the last item is decided the meeting ends.
 */
export async function recordDecision(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string, itemId: string, form: Form) {
  const actor = requireRole(principal, councilId, 'secretariat');
  const checked = checkForm(decisionInput, form);
  if (!checked.ok) return checked;
  const meeting = await deps.meetings.get(councilId, meetingId);
  if (meeting.status !== 'in_session') throw new DomainError('審議中の会議ではありません。');
  const items = await deps.meetings.agenda(councilId, meetingId);
  const item = items.find((i) => i.itemId === itemId && i.kind === 'deliberation');
  if (!item) throw new NotFoundError('議題が見つかりません。');
  const cases = await Promise.all(item.consultationIds.map((id) => deps.consultations.get({ councilId, consultationId: id })));
  const decision = { ...checked.value, decidedAt: deps.clock.now().toISOString(), decidedBy: actor.userId };
  await deps.meetings.recordDecision(councilId, meetingId, itemId, decision);
  for (const c of cases) {
    const ref = { councilId, consultationId: c.consultationId };
    if (decision.outcome === 'carried_over') await deps.consultations.unschedule(ref);
    await deps.workflow.complete(c.taskToken, { outcome: decision.outcome, conditions: decision.conditions, meetingId, itemId });
  }
  const undecided = items.filter((i) => i.kind === 'deliberation' && i.itemId !== itemId && !i.decision);
  if (undecided.length === 0) await deps.meetings.setStatus(councilId, meetingId, 'in_session', 'closed');
  return { ok: true as const };
}

/** Mails the agenda (会議次第) with links to each case's materials to every member. */
export async function mailAgenda(deps: MeetingDeps, principal: Principal | undefined, councilId: string, meetingId: string) {
  const view = await viewMeeting(deps, principal, councilId, meetingId);
  requireRole(principal, councilId, 'secretariat');
  const base = `${deps.settings.APP_BASE_URL}/c/${councilId}`;
  const mail = agendaMail({
    council: view.council,
    meeting: view.meeting,
    name: view.name,
    agenda: view.agenda,
    cases: view.cases,
    meetingUrl: `${base}/meetings/${meetingId}`,
    caseUrl: (id) => `${base}/consultations/${id}`,
  });
  const recipients = view.members.map((m) => m.email);
  for (const to of recipients) await deps.mailer.send({ ...mail, to: [to] });
  return { ok: true as const, sent: recipients.length };
}

/** The answer (答申書) of a case, for anyone who may see the case. */
export async function viewAnswer(deps: MeetingDeps, principal: Principal | undefined, ref: { councilId: string; consultationId: string }) {
  const viewer = requireRole(principal, ref.councilId, 'department', 'secretariat', 'member', 'chair');
  const consultation = await deps.consultations.get(ref);
  if (!isVisibleTo(consultation, viewer)) throw new NotFoundError('諮問が見つかりません。');
  return { viewer, consultation, answer: await deps.consultations.getAnswer(ref) };
}
