import * as z from 'zod/mini';
import type { Deps } from '#shared/adapters/deps.ts';
import type { FollowUpRef } from '#shared/adapters/followup-repository.ts';
import { logger } from '#shared/adapters/logger.ts';
import { newId } from '#shared/adapters/runtime.ts';
import type { Answer } from '#shared/domain/answer.ts';
import { classifyUpload, MAX_ATTACHMENT_BYTES, safeFileName } from '#shared/domain/attachments.ts';
import { compareCodes } from '#shared/domain/collation.ts';
import { CONSULTATION_STATUSES, type Consultation, isVisibleTo } from '#shared/domain/consultation.ts';
import { businessesOf } from '#shared/domain/consultation-form.ts';
import type { Department } from '#shared/domain/council.ts';
import {
  addDays,
  type FollowUp,
  followUpAnswerInput,
  followUpPlanInput,
  HISTORY_PAGE_SIZE,
  keyOfBusiness,
  nextDue,
  noticesDue,
  planFollowUps,
  tokyoDate,
} from '#shared/domain/followups.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { signLink } from '#shared/domain/links.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { isOwnPosition, REGISTER_READ_BUDGET } from '#shared/domain/register.ts';
import { DomainError, InvalidInputError, LinkError, NotFoundError } from '#shared/errors.ts';
import { href } from '#shared/routes.ts';
import { recordAudit, SYSTEM_ACTOR } from './audit.ts';
import { closeIncidentWhenDone } from './incident-closing.ts';
import { admitLinkOf, generationData, type LinkMessages } from './links.ts';
import { indexConditions } from './search.ts';

type FollowUpDeps = Pick<
  Deps,
  'councils' | 'consultations' | 'followUps' | 'workflow' | 'notifier' | 'clock' | 'settings' | 'signingKey' | 'attachments' | 'links' | 'search'
>;

const WRONG_LINK = 'このリンクは正しくありません。メールのリンクをそのまま開いてください。';
const LINK_MESSAGES: LinkMessages = {
  refused: {
    malformed: WRONG_LINK,
    forged: WRONG_LINK,
    wrong_purpose: WRONG_LINK,
    expired: 'このリンクの有効期限が過ぎています。所管課または事務局にお問い合わせください。',
  },
  // A follow-up's links are revoked when it is sent to someone else (planFollowUp).
  revoked: 'このリンクは使えなくなりました(報告の依頼先が変わりました)。新しいご案内をご確認ください。',
};

/** Follow-up links outlive their due date by half a year; reminders bring fresh ones. */
const linkExpiry = (due: string) => Math.floor(Date.parse(`${addDays(due, 183)}T00:00:00+09:00`) / 1000);
const refOf = (fu: FollowUp): FollowUpRef => ({ councilId: fu.councilId, consultationId: fu.consultationId, followUpId: fu.followUpId });

/** The owner's personal link token for a follow-up. */
export async function tokenFor(deps: Pick<FollowUpDeps, 'signingKey' | 'links'>, fu: FollowUp): Promise<string> {
  return signLink(await deps.signingKey.get(), {
    purpose: 'followup',
    councilId: fu.councilId,
    subject: fu.followUpId,
    target: fu.consultationId,
    exp: linkExpiry(fu.due),
    // Bound to whom it was sent and the follow-up's link generation: when the secretariat changes the owner, earlier links stop working.
    data: { to: fu.ownerEmail, ...(await generationData(deps, fu.councilId, 'followUp', fu.followUpId)) },
  });
}

/**
 * From an answer with conditions or opinions: one follow-up per condition and per opinion, and a request to each owner
 * with its personal link (to the department, which forwards vendors' ones). Idempotent.
 */
export async function createFollowUps(deps: FollowUpDeps, answer: Answer, consultation: Consultation): Promise<number> {
  if (answer.conditions.length === 0 && !answer.opinions?.length) return 0;
  const [council, departments] = await Promise.all([deps.councils.getCouncil(consultation.councilId), deps.councils.listDepartments(consultation.councilId)]);
  const department = departments.find((d) => d.departmentId === consultation.departmentId);
  const planned = planFollowUps({ answer, consultation, department, now: deps.clock.now().toISOString() });
  const created = await deps.followUps.createAll(planned);
  const { followUps } = await deps.consultations.bundle(consultation, 0);
  await indexConditions(deps, consultation, followUps);
  // Each request is sent until it is recorded as sent, so a retried task neither loses nor repeats one.
  for (const fu of followUps) {
    if (fu.notified.includes('request')) continue;
    await deps.notifier.notify({ type: 'followup.requested', council, followUp: fu, token: await tokenFor(deps, fu), reminder: false });
    await deps.followUps.markNotified(refOf(fu), 'request');
  }
  return created;
}

/** Checks a follow-up link; it opens exactly one follow-up and nothing else. */
async function resolveLink(deps: FollowUpDeps, token: string) {
  // The follow-up is read alongside the link's own checks, and used only once it is admitted.
  const {
    claims,
    council,
    read: followUp,
  } = await admitLinkOf(deps, token, 'followup', LINK_MESSAGES, undefined, (c) =>
    deps.followUps.get({ councilId: c.councilId, consultationId: c.target, followUpId: c.subject }),
  );
  if (claims.data?.['to'] !== followUp.ownerEmail)
    throw new LinkError('owner_changed', 'このリンクは使えなくなりました(報告の依頼先が変わりました)。新しいご案内をご確認ください。', 410);
  return { council, followUp };
}

/** The owner's page: the condition, the evidence asked for, earlier answers and comments, and the answer form. */
export async function followUpLinkView(deps: FollowUpDeps, token: string) {
  const view = await resolveLink(deps, token);
  const upload =
    view.followUp.status === 'open' && deps.attachments
      ? await deps.attachments.presignUpload({
          keyPrefix: `c/${view.followUp.councilId}/k/${view.followUp.consultationId}/fu/${view.followUp.followUpId}/${newId()}/`,
          redirectTo: `${deps.settings.APP_BASE_URL}${href('FollowUpEvidenceUploaded', { token })}`,
          maxBytes: MAX_ATTACHMENT_BYTES,
        })
      : undefined;
  return { ...view, upload };
}

/** Storage sends the owner back here after uploading evidence; it is checked and kept for the answer. */
export async function recordEvidence(deps: FollowUpDeps, token: string, key: string) {
  const { followUp } = await resolveLink(deps, token);
  const prefix = `c/${followUp.councilId}/k/${followUp.consultationId}/fu/${followUp.followUpId}/`;
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  const store = deps.attachments;
  // An upload under this follow-up's prefix that is not kept goes for good, every version of it; keys
  // outside the prefix are never touched (they are not this link's to delete).
  const discard = async () => {
    if (key.startsWith(prefix)) await store.purge(key);
  };
  const rest = key.startsWith(prefix) ? key.slice(prefix.length).split('/') : [];
  if (rest.length !== 2 || !ID_PATTERN.test(rest[0]!)) {
    await discard();
    throw new DomainError('この条件への資料ではありません。');
  }
  const kept = `kept/${key}`;
  if (followUp.pendingEvidence.some((e) => e.objectKey === kept) || followUp.answers.some((a) => a.evidence.some((e) => e.objectKey === kept))) {
    await discard();
    return { ok: true as const };
  }
  const fileName = safeFileName(rest[1]!);
  const object = await deps.attachments.inspect(key);
  if (!object) throw new DomainError('アップロードされたファイルが見つかりません。もう一度お試しください。');
  const verdict = classifyUpload(fileName, object.size, object.head);
  if (!verdict.ok) {
    await deps.attachments.purge(key);
    return { ok: false as const, reason: `「${fileName}」は添付できませんでした。${verdict.reason}` };
  }
  const objectKey = await deps.attachments.keep(key, verdict.contentType);
  await deps.followUps.addPendingEvidence(refOf(followUp), { fileName, objectKey, size: object.size, contentType: verdict.contentType });
  return { ok: true as const };
}

export const answerCommand = followUpAnswerInput;
export type AnswerCommand = z.output<typeof followUpAnswerInput>;

/** The owner's answer, with the evidence uploaded for it; the secretariat is told. */
export async function answerFollowUp(deps: FollowUpDeps, token: string, answer: AnswerCommand): Promise<void> {
  const { council, followUp } = await resolveLink(deps, token);
  if (followUp.status !== 'open') throw new DomainError('この条件は今は回答を受け付けていません(確認中または完了)。');
  if (followUp.type === 'near_miss_counts' && answer.count === undefined)
    throw new InvalidInputError({ count: '期間中のヒヤリハットの件数を入力してください(なければ 0)。' });
  await deps.followUps.submitAnswer(refOf(followUp), {
    n: followUp.answers.length + 1,
    forDue: followUp.due,
    answeredBy: answer.answeredBy,
    text: answer.text,
    ...(answer.count !== undefined ? { count: answer.count } : {}),
    evidence: followUp.pendingEvidence,
    submittedAt: deps.clock.now().toISOString(),
  });
  await deps.notifier.notify({ type: 'followup.answered', council, followUp, answeredBy: answer.answeredBy });
}

/** A follow-up with its case, for the secretariat and the owning department. */
export async function viewFollowUp(deps: FollowUpDeps, principal: Principal | undefined, ref: FollowUpRef) {
  const viewer = requireRole(principal, ref.councilId, 'secretariat', 'department', 'member', 'chair');
  const followUp = await deps.followUps.get(ref);
  // A request raised at a meeting has no case: its department (and the council) see it.
  // Nor has an incident's measure: the incident's department (and the council) see it.
  const consultation = followUp.source || followUp.incidentId ? undefined : await deps.consultations.get(ref);
  const visible = consultation ? isVisibleTo(consultation, viewer) : viewer.role !== 'department' || viewer.departmentId === followUp.departmentId;
  if (!visible) throw new NotFoundError('条件の履行確認が見つかりません。');
  const council = await deps.councils.getCouncil(ref.councilId);
  return { viewer, council, consultation, followUp };
}

export const reviewCommand = z.lazy(() =>
  z.discriminatedUnion(
    'decision',
    [
      z.object({ decision: z.literal('accept') }),
      z.object({ decision: z.literal('return'), comment: z.string().check(z.trim(), z.minLength(1, '返す理由を入力してください。'), z.maxLength(2000)) }),
    ],
    { error: '確認の結果を選んでください。' },
  ),
);
export type ReviewCommand = z.output<typeof reviewCommand>;

/** The secretariat accepts the latest answer (to report it to the council) or returns it with a comment. */
export async function reviewFollowUp(deps: FollowUpDeps, principal: Principal | undefined, ref: FollowUpRef, command: ReviewCommand): Promise<void> {
  const actor = requireRole(principal, ref.councilId, 'secretariat');
  const [council, fu] = await Promise.all([deps.councils.getCouncil(ref.councilId), deps.followUps.get(ref)]);
  if (fu.status !== 'submitted') throw new DomainError('確認を待っている回答はありません。');
  const now = deps.clock.now().toISOString();
  if (command.decision === 'accept') {
    await deps.followUps.review(fu, 'accepted', undefined, actor.userId, now, nextDue(fu));
  } else {
    await deps.followUps.review(fu, 'returned', command.comment, actor.userId, now, undefined);
    await deps.notifier.notify({ type: 'followup.more_asked', council, followUp: fu, comment: command.comment, token: await tokenFor(deps, fu) });
  }
}

export const councilCommand = z.lazy(() =>
  z.discriminatedUnion(
    'decision',
    [
      z.object({ decision: z.literal('close') }),
      z.object({
        decision: z.literal('more'),
        comment: z.string().check(z.trim(), z.minLength(1, '求める内容を入力してください。'), z.maxLength(2000)),
        due: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '期限を年-月-日の形で入力してください。')),
      }),
    ],
    { error: '審議会の判断を選んでください。' },
  ),
);
export type CouncilCommand = z.output<typeof councilCommand>;

/**
 * The council's word on a condition, recorded by the secretariat: closed, or more is asked
 * (back to the owner with a new due date). When the case's last condition closes, the case closes.
 */
export async function councilOnFollowUp(
  deps: FollowUpDeps & Pick<Deps, 'incidents'>,
  principal: Principal | undefined,
  ref: FollowUpRef,
  command: CouncilCommand,
): Promise<void> {
  requireRole(principal, ref.councilId, 'secretariat');
  const [council, fu] = await Promise.all([deps.councils.getCouncil(ref.councilId), deps.followUps.get(ref)]);
  if (command.decision === 'more') {
    await deps.followUps.askMore(ref, command.comment, command.due);
    const asked = { ...fu, due: command.due };
    await deps.notifier.notify({ type: 'followup.more_asked', council, followUp: asked, comment: command.comment, token: await tokenFor(deps, asked) });
    return;
  }
  await deps.followUps.close(ref, deps.clock.now().toISOString());
  // A request raised at a meeting closes on its own; an incident may close with its last measure;
  // a condition's case closes with its last one.
  if (fu.incidentId) {
    await closeIncidentWhenDone(deps, ref.councilId, fu.incidentId);
    return;
  }
  if (fu.source) return;
  const bundle = await deps.consultations.bundle(ref, 0);
  if (bundle.followUps.every((f) => f.status === 'closed') && bundle.consultation.status === 'followups_open') {
    // The follow-ups ran outside any execution (they may take years): the case closes here.
    await deps.consultations.moveStatus(ref, 'followups_open', 'closed', deps.clock.now().toISOString());
    await recordAudit(deps, ref, SYSTEM_ACTOR, `状態:${CONSULTATION_STATUSES.closed}`, { detail: `条件 ${bundle.followUps.length}件の履行を確認` });
  }
}

export const planCommand = followUpPlanInput;
export type PlanCommand = z.output<typeof followUpPlanInput>;

/** The secretariat changes who answers, what evidence, by when, and how often. A new owner makes every link mailed so far unusable. */
export async function planFollowUp(deps: FollowUpDeps, principal: Principal | undefined, ref: FollowUpRef, command: PlanCommand): Promise<void> {
  const actor = requireRole(principal, ref.councilId, 'secretariat');
  const { version, ...plan } = command;
  const before = await deps.followUps.get(ref);
  await deps.followUps.updatePlan(ref, plan, version);
  if (before.owner !== plan.owner || before.ownerName !== plan.ownerName || before.ownerEmail !== plan.ownerEmail) {
    await deps.links.revoke(ref.councilId, 'followUp', ref.followUpId, { at: deps.clock.now().toISOString(), by: actor.userId, reason: 'reassigned' });
  }
}

/** The secretariat's dashboard: open, due soon and overdue, by vendor and by department; near-miss counts over time. */
export async function followUpDashboard(deps: FollowUpDeps, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'chair', 'member');
  const [council, departments, active] = await Promise.all([
    deps.councils.getCouncil(councilId),
    deps.councils.listDepartments(councilId),
    deps.followUps.listActive(councilId),
  ]);
  const today = tokyoDate(deps.clock.now());
  const soon = addDays(today, 14);
  const bucket = (fu: FollowUp): 'open' | 'due_soon' | 'overdue' | 'waiting_council' =>
    fu.status !== 'open' ? 'waiting_council' : fu.due < today ? 'overdue' : fu.due <= soon ? 'due_soon' : 'open';
  const group = (key: (fu: FollowUp) => string) => {
    const rows = new Map<string, { open: number; due_soon: number; overdue: number; waiting_council: number }>();
    for (const fu of active) {
      const row = rows.get(key(fu)) ?? { open: 0, due_soon: 0, overdue: 0, waiting_council: 0 };
      row[bucket(fu)]++;
      rows.set(key(fu), row);
    }
    return [...rows].sort(([a], [b]) => a.localeCompare(b, 'ja'));
  };
  const deptName = (id: string) => departments.find((d) => d.departmentId === id)?.name ?? id;
  const nearMiss = new Map<string, { period: string; count: number }[]>();
  for (const fu of active.filter((f) => f.type === 'near_miss_counts')) {
    const series = nearMiss.get(fu.ownerName) ?? [];
    for (const a of fu.answers) if (a.count !== undefined && a.review?.outcome !== 'returned') series.push({ period: a.forDue, count: a.count });
    nearMiss.set(
      fu.ownerName,
      series.sort((a, b) => compareCodes(a.period, b.period)),
    );
  }
  return {
    viewer,
    council,
    today,
    followUps: active.map((fu) => ({ ...fu, bucket: bucket(fu) })),
    byVendor: group((fu) => (fu.owner === 'vendor' ? fu.ownerName : '(所管課が回答)')),
    byDepartment: group((fu) => deptName(fu.departmentId)),
    nearMiss: [...nearMiss],
    deptName,
  };
}

/**
 * One registered business's record — consultations, answers, conditions and answers to them —
 * newest first, a page at a time: the business's index is read in slices beyond `after` (the
 * createdAt of the last case of the page before, as 「次へ」 carries it), so a page reads about a
 * page of items however long the history, and at most the register's read budget.
 */
export async function businessHistory(deps: FollowUpDeps, principal: Principal | undefined, councilId: string, businessKey: string, after?: string) {
  const viewer = requireRole(principal, councilId, 'secretariat', 'chair', 'member', 'department');
  const councilRead = deps.councils.getCouncil(councilId);
  const found: Consultation[] = [];
  let position = after !== undefined && isOwnPosition(after) ? after : undefined;
  let read = 0;
  let exhausted = false;
  while (found.length <= HISTORY_PAGE_SIZE && read < REGISTER_READ_BUDGET) {
    const limit = Math.min(HISTORY_PAGE_SIZE + 1, REGISTER_READ_BUDGET - read);
    const slice = await deps.consultations.businessSlice(councilId, businessKey, { order: 'newest', after: position, limit });
    read += slice.length;
    for (const e of slice) {
      position = e.position;
      const c = e.consultation;
      if (c && isVisibleTo(c, viewer) && c.status !== 'draft' && found.push(c) > HISTORY_PAGE_SIZE) break;
    }
    if (slice.length < limit) {
      exhausted = found.length <= HISTORY_PAGE_SIZE;
      break;
    }
  }
  const shown = found.slice(0, HISTORY_PAGE_SIZE);
  const next = found.length > HISTORY_PAGE_SIZE ? shown.at(-1)!.createdAt : exhausted ? undefined : position;
  const [council, bundles] = await Promise.all([
    councilRead,
    Promise.all(shown.map((c) => deps.consultations.bundle({ councilId, consultationId: c.consultationId }, 0))),
  ]);
  // The business's name as the newest case gives it (a case names several: the one of this key).
  const named = bundles.flatMap((b) => businessesOf(b.consultation.form)).find((b) => keyOfBusiness(b) === businessKey);
  return { viewer, council, bundles, businessName: named?.name ?? '', businessKey, next, paged: after !== undefined };
}

/** How far ahead the daily job looks: a reminder goes a week before the due date (noticesDue). */
export const FOLLOW_UP_WINDOW_DAYS = 7;

/**
 * The scheduled job (daily), for one council: a reminder to the owner a week before each due
 * date, and an escalation to the department's manager and the secretariat once overdue — each
 * once. It reads only the council's follow-ups due within the reminder window (or overdue).
 */
export async function runFollowUpClock(deps: FollowUpDeps, councilId: string): Promise<{ reminders: number; escalations: number }> {
  const now = deps.clock.now();
  let reminders = 0;
  let escalations = 0;
  const due = await deps.followUps.listDue(councilId, addDays(tokyoDate(now), FOLLOW_UP_WINDOW_DAYS + 1));
  const work = due.flatMap((fu) => noticesDue(fu, now).map((notice) => ({ fu, notice })));
  if (work.length === 0) return { reminders, escalations };
  const council = await deps.councils.getCouncil(councilId);
  let departments: Department[] | undefined;
  for (const { fu, notice } of work) {
    // Sent first and then marked, so a failed send is tried again on the next run (at least once).
    try {
      if (notice === 'reminder') {
        await deps.notifier.notify({ type: 'followup.requested', council, followUp: fu, token: await tokenFor(deps, fu), reminder: true });
      } else {
        departments ??= await deps.councils.listDepartments(councilId);
        const department = departments.find((d) => d.departmentId === fu.departmentId);
        await deps.notifier.notify({ type: 'followup.overdue', council, followUp: fu, department });
      }
      if (!(await deps.followUps.markNotified(refOf(fu), `${fu.due}:${notice}`))) continue;
      if (notice === 'reminder') reminders++;
      else escalations++;
    } catch (e) {
      // One failing follow-up must not keep the others from their notices; it is retried next run.
      logger.error('follow-up clock: a notice failed', { job: 'followup-clock', councilId, followUpId: fu.followUpId, error: e as Error });
    }
  }
  return { reminders, escalations };
}

/** A file sent with a report, for those who may see the case (a short-lived download). */
export async function followUpEvidence(deps: FollowUpDeps, principal: Principal | undefined, ref: FollowUpRef, answerIndex: number, fileIndex: number) {
  const { followUp } = await viewFollowUp(deps, principal, ref);
  const file = followUp.answers[answerIndex]?.evidence[fileIndex];
  if (!file) throw new NotFoundError('資料が見つかりません。');
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  return deps.attachments.presignDownload(file.objectKey, file.fileName, file.contentType);
}
