import type { Deps } from '#shared/adapters/deps.ts';
import { logger } from '#shared/adapters/logger.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { classifyUpload, MAX_ATTACHMENT_BYTES, safeFileName } from '#shared/domain/attachments.ts';
import { answerNumberPattern, type Council, type Department, formatAnswerNumber, type Member } from '#shared/domain/council.ts';
import { fiscalYear, formatEraDate } from '#shared/domain/era.ts';
import { addDays, tokyoDate } from '#shared/domain/followups.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { type LinkClaims, signLink } from '#shared/domain/links.ts';
import {
  DEFAULT_PIA_SECTIONS,
  PIA_REMINDER_LABELS,
  PIA_REQUIREMENT_LABELS,
  PIA_TYPES,
  type PiaAuditEvent,
  type PiaComment,
  type PiaReview,
  type PiaReviewInput,
  type PiaStepInput,
  type PiaVerdict,
  prefillFindings,
  reevaluationDue,
  reminderHorizon,
  remindersDue,
  requiredEvaluation,
  satisfies,
} from '#shared/domain/pia.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { ConflictError, DomainError, ForbiddenError, InvalidInputError, LinkError, NotFoundError } from '#shared/errors.ts';
import { href } from '#shared/routes.ts';
import { admitLinkOf, firstViewToday, generationData, type LinkMessages } from './links.ts';

type PiaDeps = Pick<Deps, 'pia' | 'councils' | 'attachments' | 'clock' | 'settings' | 'notifier' | 'signingKey' | 'links'>;

export interface PiaRef {
  councilId: string;
  reviewId: string;
}

const store = (deps: Pick<Deps, 'attachments'>) => {
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  return deps.attachments;
};

/** Uploads of a review live under the council's prefix, so its archive and deletion take them. */
const uploadPrefix = (ref: PiaRef) => `c/${ref.councilId}/pia/${ref.reviewId}/`;

type Actor = PiaAuditEvent['actor'];
const actorOf = (p: Principal): Actor => ({ userId: p.userId, name: p.name, role: p.role });
const memberActor = (m: Member): Actor => ({ userId: m.memberId, name: `${m.name} 委員`, role: 'link' });

async function audit(deps: Pick<Deps, 'pia' | 'clock'>, ref: PiaRef, actor: Actor, action: string, detail?: string) {
  await deps.pia.audit(ref.councilId, ref.reviewId, { at: deps.clock.now().toISOString(), eventId: newId(6), actor, action, ...(detail ? { detail } : {}) });
}

/** Who sees a review: the secretariat and the chair, and its own department. */
async function visibleReview(deps: Pick<Deps, 'pia'>, principal: Principal | undefined, ref: PiaRef) {
  const viewer = requireRole(principal, ref.councilId, 'department', 'secretariat', 'chair');
  const review = await deps.pia.get(ref.councilId, ref.reviewId);
  if (viewer.role === 'department' && viewer.departmentId !== review.departmentId) throw new NotFoundError('評価書の点検が見つかりません。');
  return { viewer, review };
}

const isOwner = (viewer: Principal, review: PiaReview) => viewer.role === 'department' && viewer.departmentId === review.departmentId;

// ── The record ──────────────────────────────────────────────────────────────────────────

/** The list: a department's own reviews; the secretariat's and the chair's, the council's. */
export async function listPiaReviews(deps: Pick<Deps, 'pia' | 'councils'>, principal: Principal | undefined, councilId: string) {
  const viewer = requireRole(principal, councilId, 'department', 'secretariat', 'chair');
  const [reviews, departments] = await Promise.all([
    viewer.role === 'department' ? deps.pia.listOfDepartment(councilId, viewer.departmentId ?? '-') : deps.pia.listOfCouncil(councilId),
    deps.councils.listDepartments(councilId),
  ]);
  return { viewer, reviews: reviews.reverse(), departments };
}

/**
 * A department opens a review record: the 事務, the 評価書's kind and the threshold judgement,
 * which is computed here and kept with the figures it came from. A kind lighter than the one the
 * figures require is refused beside the field.
 */
export async function createPiaReview(deps: Pick<Deps, 'pia' | 'clock'>, principal: Principal | undefined, councilId: string, input: PiaReviewInput) {
  const viewer = requireRole(principal, councilId, 'department');
  if (!viewer.departmentId) throw new ForbiddenError();
  const threshold = { subjects: input.subjects, handlers: input.handlers, seriousIncident: input.seriousIncident === 'yes' };
  const required = requiredEvaluation(threshold);
  if (!satisfies(input.evaluationType, required))
    throw new InvalidInputError({
      evaluationType: `しきい値判断の結果は「${PIA_TYPES[required as keyof typeof PIA_TYPES]}」です。それより簡易な評価は選べません。`,
    });
  const now = deps.clock.now().toISOString();
  const review: PiaReview = {
    reviewId: newId(),
    councilId,
    departmentId: viewer.departmentId,
    businessName: input.businessName,
    evaluationType: input.evaluationType,
    threshold: { ...threshold, required },
    status: 'preparing',
    sections: [...DEFAULT_PIA_SECTIONS],
    versions: [],
    reminders: [],
    createdAt: now,
    createdBy: viewer.userId,
    version: 1,
  };
  await deps.pia.create(review);
  const ref = { councilId, reviewId: review.reviewId };
  await audit(
    deps,
    ref,
    actorOf(viewer),
    '点検の記録を作成',
    `${review.businessName}(${PIA_TYPES[review.evaluationType]}・しきい値判断:${PIA_REQUIREMENT_LABELS[required]})`,
  );
  return ref;
}

/** The review page: the record, its trail, the members' comments (secretariat, chair), and the forms the viewer may use. */
export async function viewPiaReview(deps: PiaDeps, principal: Principal | undefined, ref: PiaRef) {
  const { viewer, review } = await visibleReview(deps, principal, ref);
  const staff = viewer.role !== 'department';
  const [council, departments, members, comments, trail] = await Promise.all([
    deps.councils.getCouncil(ref.councilId),
    deps.councils.listDepartments(ref.councilId),
    staff ? deps.councils.listMembers(ref.councilId) : Promise.resolve([] as Member[]),
    staff ? deps.pia.comments(ref.councilId, ref.reviewId) : Promise.resolve([] as PiaComment[]),
    deps.pia.trail(ref.councilId, ref.reviewId),
  ]);
  const upload = isOwner(viewer, review)
    ? await store(deps).presignUpload({
        keyPrefix: `${uploadPrefix(ref)}${newId()}/`,
        redirectTo: `${deps.settings.APP_BASE_URL}${href('PiaUploaded', ref)}`,
        maxBytes: MAX_ATTACHMENT_BYTES,
      })
    : undefined;
  const department = departments.find((d) => d.departmentId === review.departmentId);
  const draft =
    review.opinion ?? (review.status === 'drafting' ? { verdict: undefined, summary: '', findings: prefillFindings(review.sections, comments) } : undefined);
  return { viewer, council, review, department, members, comments, trail, upload, draft, today: tokyoDate(deps.clock.now()) };
}

/** The 評価書's sections, one per line, while the review is not yet open. */
export async function saveSections(deps: Pick<Deps, 'pia' | 'clock'>, principal: Principal | undefined, ref: PiaRef, sections: string[]) {
  const { viewer, review } = await visibleReview(deps, principal, ref);
  if (!isOwner(viewer, review) && viewer.role !== 'secretariat') throw new ForbiddenError();
  if (review.status !== 'preparing') throw new ConflictError('点検が始まった後は、評価書の項目を変えられません。');
  if (sections.length === 0) throw new InvalidInputError({ sections: '項目を1つ以上入力してください。' });
  if (sections.length > 30) throw new InvalidInputError({ sections: '項目は30個までにしてください。' });
  if (sections.some((s) => s.length > 100)) throw new InvalidInputError({ sections: '各項目は100文字以内で入力してください。' });
  await deps.pia.save(review, { ...review, sections });
  await audit(deps, ref, actorOf(viewer), '評価書の項目を変更', sections.join(' / '));
}

/**
 * Storage sends the department back here after uploading the 評価書: the object is checked (under
 * this review's prefix, a PDF, Word or Excel file within the limit) and kept as the file waiting
 * to be registered as the next 版; anything else is deleted and explained.
 */
export async function recordPiaUpload(deps: PiaDeps, principal: Principal | undefined, ref: PiaRef, key: string) {
  const { viewer, review } = await visibleReview(deps, principal, ref);
  const ours = key.startsWith(uploadPrefix(ref));
  if (!isOwner(viewer, review)) throw new ForbiddenError('評価書を提出できるのは所管課だけです。');
  const [uploadId, name, ...rest] = key.slice(uploadPrefix(ref).length).split('/');
  if (!ours || !ID_PATTERN.test(uploadId ?? '') || !name || rest.length) {
    if (ours) await store(deps).purge(key);
    throw new DomainError('この点検の評価書ではありません。');
  }
  // A reload of the return from storage: the file is already kept (waiting, or registered since).
  if ([review.pendingFile, ...review.versions].some((f) => f?.objectKey === `kept/${key}`)) return { ok: true as const };
  const fileName = safeFileName(name);
  const object = await store(deps).inspect(key);
  if (!object) throw new DomainError('アップロードされたファイルが見つかりません。もう一度お試しください。');
  const verdict = classifyUpload(fileName, object.size, object.head);
  if (!verdict.ok) {
    await store(deps).purge(key);
    return { ok: false as const, reason: `「${fileName}」は受け付けられませんでした。${verdict.reason}` };
  }
  const objectKey = await store(deps).keep(key, verdict.contentType);
  const previous = review.pendingFile;
  await deps.pia.save(review, {
    ...review,
    pendingFile: {
      fileName,
      contentType: verdict.contentType,
      size: object.size,
      objectKey,
      uploadedAt: deps.clock.now().toISOString(),
      uploadedBy: viewer.userId,
    },
  });
  // A file uploaded before and never registered is replaced by this one.
  if (previous) await store(deps).purge(previous.objectKey);
  return { ok: true as const };
}

/** The uploaded file becomes 第N版, with its date and what changed. */
export async function addPiaVersion(deps: Pick<Deps, 'pia' | 'clock'>, principal: Principal | undefined, ref: PiaRef, input: { date: string; note: string }) {
  const { viewer, review } = await visibleReview(deps, principal, ref);
  if (!isOwner(viewer, review)) throw new ForbiddenError();
  if (!review.pendingFile) throw new InvalidInputError({ note: '先に評価書のファイルをアップロードしてください。' });
  const last = review.versions.at(-1);
  if (last && input.date < last.date)
    throw new InvalidInputError({ date: `版の日付は前の版(${formatEraDate(last.date, { weekday: false })})以降にしてください。` });
  const n = review.versions.length + 1;
  await deps.pia.save(review, {
    ...review,
    versions: [...review.versions, { ...review.pendingFile, n, date: input.date, note: input.note }],
    pendingFile: undefined,
  });
  await audit(deps, ref, actorOf(viewer), `評価書の第${n}版を提出`, `${review.pendingFile.fileName}:${input.note}`);
}

/** A short-lived download of one 版, for those who see the review. */
export async function piaVersionDownload(deps: Pick<Deps, 'pia' | 'attachments' | 'clock'>, principal: Principal | undefined, ref: PiaRef, n: number) {
  const { viewer, review } = await visibleReview(deps, principal, ref);
  const v = review.versions.find((x) => x.n === n);
  if (!v) throw new NotFoundError('評価書の版が見つかりません。');
  await audit(deps, ref, actorOf(viewer), '評価書をダウンロード', `第${v.n}版 ${v.fileName}`);
  return store(deps).presignDownload(v.objectKey, v.fileName, v.contentType);
}

// ── Member review through signed links ──────────────────────────────────────────────────

const LINK_MESSAGES: LinkMessages = {
  refused: {
    malformed: 'このリンクは正しくありません。メールのリンクをそのまま開いてください。',
    forged: 'このリンクは正しくありません。メールのリンクをそのまま開いてください。',
    wrong_purpose: 'このリンクは評価書の点検には使えません。',
    expired: 'このリンクの有効期限が過ぎています。事務局にお問い合わせください。',
  },
  revoked: 'このリンクは事務局により無効にされました。事務局からの新しいご案内をご確認ください。',
};
const OTHER_PERSON = 'このリンクは、いまサインインしている方あてのものではありません。ご本人あてに届いたメールのリンクから開いてください。';
/** A member's link carries the vote purpose with this target: one review, never a meeting's item. */
const linkTarget = (reviewId: string) => `pia/${reviewId}`;
/** Links work until the end of the deadline's day (Tokyo) and a week after, to read what was said. */
const linkExpiry = (deadline: string) => Math.floor(Date.parse(`${addDays(deadline, 8)}T00:00:00+09:00`) / 1000);

/**
 * The secretariat opens the member review: every member is mailed a personal signed link to the
 * 評価書 and a comment box per section, working until the deadline.
 */
export async function openPiaReview(deps: PiaDeps, principal: Principal | undefined, ref: PiaRef, deadline: string) {
  const viewer = requireRole(principal, ref.councilId, 'secretariat');
  const review = await deps.pia.get(ref.councilId, ref.reviewId);
  if (review.status !== 'preparing') throw new ConflictError('この点検は既に始まっています。');
  if (review.versions.length === 0) throw new InvalidInputError({ deadline: '所管課が評価書を提出してから点検を始めてください。' });
  const today = tokyoDate(deps.clock.now());
  if (deadline < today) throw new InvalidInputError({ deadline: '点検の期限は今日以降の日付にしてください。' });
  const [council, members] = await Promise.all([deps.councils.getCouncil(ref.councilId), deps.councils.listMembers(ref.councilId)]);
  if (members.length === 0) throw new InvalidInputError({ deadline: '委員が登録されていません。' });
  const opened = await deps.pia.save(review, {
    ...review,
    status: 'reviewing',
    review: { openedAt: deps.clock.now().toISOString(), openedBy: viewer.userId, deadline, memberIds: members.map((m) => m.memberId) },
  });
  await audit(deps, ref, actorOf(viewer), '委員による点検を開始', `期限 ${formatEraDate(deadline, { weekday: false })}・委員${members.length}名`);
  const key = await deps.signingKey.get();
  await Promise.all(members.map((member) => mailReviewLink(deps, key, council, opened, member, false)));
}

/** Mails a member their own link to a review under way, signed with their links' current generation (a revoked link stays refused). */
async function mailReviewLink(deps: PiaDeps, key: Buffer, council: Council, review: PiaReview, member: Member, again: boolean) {
  const token = signLink(key, {
    purpose: 'vote',
    councilId: review.councilId,
    subject: member.memberId,
    target: linkTarget(review.reviewId),
    exp: linkExpiry(review.review!.deadline),
    data: await generationData(deps, review.councilId, 'member', member.memberId),
  });
  await deps.notifier.notify({ type: 'pia.review_requested', council, member, review, token, again });
}

/**
 * The secretariat mails one member a new link to the review under way: after their links were
 * revoked (a forwarded mail), or when the first mail is lost. Their comments so far stay theirs.
 */
export async function resendPiaLink(deps: PiaDeps, principal: Principal | undefined, ref: PiaRef, memberId: string) {
  const viewer = requireRole(principal, ref.councilId, 'secretariat');
  const review = await deps.pia.get(ref.councilId, ref.reviewId);
  if (review.status !== 'reviewing' || !review.review) throw new ConflictError('委員による点検中の評価書ではないため、リンクは送れません。');
  if (!review.review.memberIds.includes(memberId)) throw new NotFoundError('この点検に加わっている委員ではありません。');
  const [council, member, key] = await Promise.all([
    deps.councils.getCouncil(ref.councilId),
    deps.councils.getMember(ref.councilId, memberId),
    deps.signingKey.get(),
  ]);
  await mailReviewLink(deps, key, council, review, member, true);
  await audit(deps, ref, actorOf(viewer), '点検のリンクを再送', `${member.name} 委員`);
  return member;
}

/** The secretariat closes the member review: comments can no longer change; the opinion's draft starts from them. */
export async function closePiaReview(deps: Pick<Deps, 'pia' | 'clock'>, principal: Principal | undefined, ref: PiaRef) {
  const viewer = requireRole(principal, ref.councilId, 'secretariat');
  const review = await deps.pia.get(ref.councilId, ref.reviewId);
  if (review.status !== 'reviewing' || !review.review) throw new ConflictError('この点検は委員による点検中ではありません。');
  await deps.pia.save(review, { ...review, status: 'drafting', review: { ...review.review, closedAt: deps.clock.now().toISOString() } });
  await audit(deps, ref, actorOf(viewer), '委員による点検を締切');
}

/** Checks a member's link (see admitLink) and loads the review it opens. */
async function resolvePiaLink(deps: PiaDeps, token: string, viewer: Principal | undefined) {
  const { claims, council }: { claims: LinkClaims; council: Council } = await admitLinkOf(deps, token, 'vote', LINK_MESSAGES, (c) => {
    if (viewer && (viewer.councilId !== c.councilId || viewer.userId !== c.subject)) throw new LinkError('other_person', OTHER_PERSON, 403);
  });
  const [kind, reviewId] = claims.target.split('/');
  if (kind !== 'pia' || !reviewId) throw new LinkError('wrong_purpose', LINK_MESSAGES.refused.wrong_purpose, 403);
  const ref = { councilId: claims.councilId, reviewId };
  // The council was read with the link's checks.
  const [review, member] = await Promise.all([deps.pia.get(ref.councilId, reviewId), deps.councils.getMember(ref.councilId, claims.subject)]);
  if (!review.review?.memberIds.includes(member.memberId)) throw new LinkError('not_eligible', 'この評価書の点検には加わることができません。', 403);
  return { claims, ref, council, review, member };
}

/** What the member's page shows: the 評価書's current 版, and their comments per section. Opening it changes nothing but the trail (once a day). */
export async function piaLinkView(deps: PiaDeps, token: string, options: { audit: boolean; viewer?: Principal | undefined }) {
  const link = await resolvePiaLink(deps, token, options.viewer);
  const comments = await deps.pia.comments(link.ref.councilId, link.ref.reviewId);
  if (options.audit && (await firstViewToday(deps, link.claims))) await audit(deps, link.ref, memberActor(link.member), '点検のページを閲覧');
  const department = (await deps.councils.listDepartments(link.ref.councilId)).find((d) => d.departmentId === link.review.departmentId);
  return {
    ...link,
    department,
    mine: comments.find((c) => c.memberId === link.member.memberId),
    open: link.review.status === 'reviewing',
  };
}

/** The member saves (or changes) their comments while the review is open. */
export async function savePiaComments(deps: PiaDeps, token: string, comments: string[], viewer?: Principal | undefined) {
  const link = await resolvePiaLink(deps, token, viewer);
  if (link.review.status !== 'reviewing') throw new LinkError('closed', 'この点検は締め切られました。今回の意見(変更)は保存されていません。', 410);
  if (comments.length !== link.review.sections.length) throw new ConflictError('評価書の項目が変わりました。ページを開き直してください。');
  await deps.pia.putComment(link.ref.councilId, {
    reviewId: link.ref.reviewId,
    memberId: link.member.memberId,
    memberName: link.member.name,
    comments,
    savedAt: deps.clock.now().toISOString(),
  });
  await audit(deps, link.ref, memberActor(link.member), '点検の意見を保存', `${comments.filter(Boolean).length}項目`);
}

/** The current 版 of the 評価書, for a member on their link. */
export async function piaLinkFile(deps: PiaDeps, token: string, viewer?: Principal | undefined) {
  const link = await resolvePiaLink(deps, token, viewer);
  const v = link.review.versions.at(-1);
  if (!v) throw new NotFoundError('評価書がまだ提出されていません。');
  await audit(deps, link.ref, memberActor(link.member), '評価書をダウンロード', `第${v.n}版 ${v.fileName}`);
  return store(deps).presignDownload(v.objectKey, v.fileName, v.contentType);
}

// ── The opinion ─────────────────────────────────────────────────────────────────────────

/**
 * The secretariat drafts the council's opinion (prefilled from the members' comments) and, when
 * it is ready, asks the chair to approve it. A conditional or negative opinion names at least one finding.
 */
export async function savePiaOpinion(
  deps: PiaDeps,
  principal: Principal | undefined,
  ref: PiaRef,
  input: { verdict: PiaVerdict; summary: string; findings: string[]; intent: 'save' | 'submit' },
) {
  const viewer = requireRole(principal, ref.councilId, 'secretariat');
  const review = await deps.pia.get(ref.councilId, ref.reviewId);
  if (review.status !== 'drafting') throw new ConflictError('いまは意見案を編集できません。');
  if (input.findings.length !== review.sections.length) throw new ConflictError('評価書の項目が変わりました。ページを開き直してください。');
  if (input.verdict !== 'conforming' && !input.findings.some(Boolean))
    throw new InvalidInputError({ f0: '「条件付きで適合」「見直しが必要」とするときは、項目ごとの指摘事項を1つ以上書いてください。' });
  const submit = input.intent === 'submit';
  const saved = await deps.pia.save(review, {
    ...review,
    status: submit ? 'awaiting_chair' : 'drafting',
    opinion: { verdict: input.verdict, summary: input.summary, findings: input.findings },
  });
  await audit(deps, ref, actorOf(viewer), submit ? '意見案を会長の承認に回付' : '意見案を保存');
  if (!submit) return;
  const council = await deps.councils.getCouncil(ref.councilId);
  const chair = council.chairMemberId ? await deps.councils.getMember(ref.councilId, council.chairMemberId).catch(() => undefined) : undefined;
  if (chair) await deps.notifier.notify({ type: 'pia.awaiting_chair', council, chair, review: saved });
}

/** The secretariat takes a draft back from the chair to change it. */
export async function reopenPiaOpinion(deps: Pick<Deps, 'pia' | 'clock'>, principal: Principal | undefined, ref: PiaRef) {
  const viewer = requireRole(principal, ref.councilId, 'secretariat');
  const review = await deps.pia.get(ref.councilId, ref.reviewId);
  if (review.status !== 'awaiting_chair') throw new ConflictError('承認待ちの意見案はありません。');
  await deps.pia.save(review, { ...review, status: 'drafting' });
  await audit(deps, ref, actorOf(viewer), '意見案を差し戻して修正');
}

/**
 * The chair (or the secretariat on the chair's instruction) approves the opinion: dated as chosen,
 * given the council's next 文書番号 of that fiscal year (the answers' series), and mailed to the
 * department. A second click after a failed mail sends it.
 */
export async function approvePiaOpinion(
  deps: PiaDeps,
  principal: Principal | undefined,
  ref: PiaRef,
  input: { issuedOn: string; onInstruction?: 'yes' | undefined },
) {
  const viewer = requireRole(principal, ref.councilId, 'chair', 'secretariat');
  if (viewer.role === 'secretariat' && input.onInstruction !== 'yes')
    throw new InvalidInputError({ onInstruction: '事務局が承認するときは、会長の指示を受けたことを確認してください。' });
  let review = await deps.pia.get(ref.councilId, ref.reviewId);
  const council = await deps.councils.getCouncil(ref.councilId);
  if (review.status === 'awaiting_chair') {
    const opened = review.review?.openedAt ? tokyoDate(new Date(review.review.openedAt)) : undefined;
    if (opened && input.issuedOn < opened)
      throw new InvalidInputError({ issuedOn: `意見の日付は点検を始めた日(${formatEraDate(opened, { weekday: false })})以降にしてください。` });
    const n = await deps.pia.assignDocumentNumber(ref.councilId, ref.reviewId, fiscalYear(input.issuedOn));
    review = await deps.pia.get(ref.councilId, ref.reviewId);
    const documentNumber = formatAnswerNumber(answerNumberPattern(council), n);
    review = await deps.pia.save(review, {
      ...review,
      status: 'issued',
      opinion: {
        ...review.opinion!,
        documentNumber,
        issuedOn: input.issuedOn,
        approvedBy: viewer.userId,
        approvedAs: viewer.role === 'chair' ? '会長' : '事務局(会長の指示により)',
        approvedAt: deps.clock.now().toISOString(),
      },
    });
    await audit(deps, ref, actorOf(viewer), '意見を承認', `${documentNumber}・${formatEraDate(input.issuedOn, { weekday: false })}付け`);
  } else if (review.status !== 'issued') {
    throw new ConflictError('承認を待つ意見案はありません。');
  }
  if (review.opinion?.mailedAt) return;
  const department = (await deps.councils.listDepartments(ref.councilId)).find((d) => d.departmentId === review.departmentId);
  if (!department) return;
  await deps.notifier.notify({ type: 'pia.opinion_issued', council, department, review });
  await deps.pia.save(review, { ...review, opinion: { ...review.opinion!, mailedAt: deps.clock.now().toISOString() } });
  await audit(deps, ref, { userId: 'system', name: 'システム', role: 'system' }, '意見を所管課へ送付', department.email);
}

// ── After the opinion ───────────────────────────────────────────────────────────────────

const STEP_LABELS: Record<PiaStepInput['step'], string> = {
  public_comment: 'パブリックコメントの期間を記録',
  submitted: '個人情報保護委員会への提出日を記録',
  published: '公表日を記録',
  major_change: '重要な変更を報告',
};

/**
 * The department records the steps after the opinion (its public comment, the submission to the
 * 個人情報保護委員会, the publication) and reports a major change; the re-evaluation due date follows.
 */
export async function recordPiaStep(deps: Pick<Deps, 'pia' | 'clock'>, principal: Principal | undefined, ref: PiaRef, step: PiaStepInput) {
  const { viewer, review } = await visibleReview(deps, principal, ref);
  if (!isOwner(viewer, review)) throw new ForbiddenError('記録できるのは所管課だけです。');
  if (review.status !== 'issued') throw new ConflictError('審議会の意見が出てから記録してください。');
  const changed: PiaReview = { ...review };
  let detail = '';
  switch (step.step) {
    case 'public_comment':
      if (step.to < step.from) throw new InvalidInputError({ to: '終了日は開始日以降にしてください。' });
      changed.publicComment = { from: step.from, to: step.to };
      detail = `${formatEraDate(step.from, { weekday: false })}〜${formatEraDate(step.to, { weekday: false })}`;
      break;
    case 'submitted':
      if (review.opinion?.issuedOn && step.on < review.opinion.issuedOn) throw new InvalidInputError({ on: '提出日は審議会の意見の日付以降にしてください。' });
      changed.submittedOn = step.on;
      detail = formatEraDate(step.on, { weekday: false });
      break;
    case 'published':
      if (!review.submittedOn) throw new InvalidInputError({ on: '先に個人情報保護委員会への提出日を記録してください。' });
      if (step.on < review.submittedOn) throw new InvalidInputError({ on: '公表日は提出日以降にしてください。' });
      changed.publishedOn = step.on;
      detail = formatEraDate(step.on, { weekday: false });
      break;
    case 'major_change':
      changed.majorChange = { on: step.on, note: step.note, reportedAt: deps.clock.now().toISOString() };
      detail = `${formatEraDate(step.on, { weekday: false })}:${step.note}`;
      break;
  }
  changed.reevaluationDue = reevaluationDue(changed);
  await deps.pia.save(review, changed);
  await audit(
    deps,
    ref,
    actorOf(viewer),
    STEP_LABELS[step.step],
    `${detail}${changed.reevaluationDue ? `(再評価の期限 ${formatEraDate(changed.reevaluationDue, { weekday: false })})` : ''}`,
  );
}

/**
 * The daily job's part (the follow-up clock's unit for one council): mails the department 6 months
 * and 1 month before each re-evaluation due date, each once. Reads only the reviews due within six
 * months. Sent, then marked: a failed send is tried again the next day.
 */
export async function runPiaClock(deps: Pick<Deps, 'pia' | 'councils' | 'notifier' | 'clock'>, councilId: string): Promise<{ piaReminders: number }> {
  const today = tokyoDate(deps.clock.now());
  const due = await deps.pia.listDue(councilId, addDays(reminderHorizon(today), 1));
  const work = due.flatMap((review) => remindersDue(review, today).map((milestone) => ({ review, milestone })));
  if (work.length === 0) return { piaReminders: 0 };
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  let sent = 0;
  for (const { review, milestone } of work) {
    try {
      const department: Department | undefined = departments.find((d) => d.departmentId === review.departmentId);
      if (!department) continue;
      await deps.notifier.notify({ type: 'pia.reevaluation_reminder', council, department, review, milestone });
      const mark = `${milestone}:${review.reevaluationDue}`;
      for (let attempt = 0; attempt < 3; attempt++) {
        const fresh = await deps.pia.get(councilId, review.reviewId);
        if (fresh.reminders.includes(mark)) break;
        try {
          await deps.pia.save(fresh, { ...fresh, reminders: [...fresh.reminders, mark] });
          break;
        } catch (e) {
          if (!(e instanceof ConflictError)) throw e;
        }
      }
      await audit(
        deps,
        { councilId, reviewId: review.reviewId },
        { userId: 'system', name: 'システム', role: 'system' },
        `再評価の期限の${PIA_REMINDER_LABELS[milestone]}のお知らせを送付`,
      );
      sent++;
    } catch (e) {
      logger.error('pia clock: a reminder failed', { job: 'pia-clock', councilId, reviewId: review.reviewId, error: e as Error });
    }
  }
  return { piaReminders: sent };
}

/**
 * What of the PIA reviews waits for a person (the home page): for a department, its records
 * without a 評価書 or with a file to register, opinions whose submission is not recorded, and
 * re-evaluations due within six months; for the secretariat, reviews to open, to close, to draft
 * and at the chair; for the chair, opinions to approve. One small list per council or department.
 */
export async function piaWaiting(deps: Pick<Deps, 'pia'>, principal: Principal, today: string): Promise<PiaWaitingEntry[]> {
  const { councilId, role } = principal;
  if (role === 'member' || role === 'operator') return [];
  const reviews = role === 'department' ? await deps.pia.listOfDepartment(councilId, principal.departmentId ?? '-') : await deps.pia.listOfCouncil(councilId);
  const horizon = reminderHorizon(today);
  const note = (r: PiaReview): string | undefined => {
    if (role === 'department') {
      if (r.pendingFile) return 'アップロードした評価書を版として登録してください';
      if (r.status === 'preparing' && r.versions.length === 0) return '評価書をアップロードしてください';
      if (r.status === 'issued' && !r.submittedOn) return '意見を受けました。提出日・公表日を記録してください';
      if (r.reevaluationDue && r.reevaluationDue <= horizon) return `再評価の期限 ${formatEraDate(r.reevaluationDue, { weekday: false })}`;
      return undefined;
    }
    if (role === 'chair') return r.status === 'awaiting_chair' ? '意見案の承認をお願いします' : undefined;
    if (r.status === 'preparing' && r.versions.length > 0) return '評価書が提出されました。点検を始めてください';
    if (r.status === 'reviewing') return `委員による点検中(期限 ${formatEraDate(r.review!.deadline, { weekday: false })})`;
    if (r.status === 'drafting') return '意見案を作成してください';
    if (r.status === 'awaiting_chair') return '会長の承認待ち';
    return undefined;
  };
  return reviews.flatMap((review) => {
    const text = note(review);
    return text ? [{ review, note: text, alarm: Boolean(review.reevaluationDue && review.reevaluationDue < today) }] : [];
  });
}
export interface PiaWaitingEntry {
  review: PiaReview;
  note: string;
  alarm: boolean;
}
