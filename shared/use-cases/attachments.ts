import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import type { Deps } from '#shared/adapters/deps.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { classifyUpload, MAX_ATTACHMENT_BYTES, nextLabel, safeFileName } from '#shared/domain/attachments.ts';
import { isEditableBy, isVisibleTo } from '#shared/domain/consultation.ts';
import { ID_PATTERN } from '#shared/domain/ids.ts';
import { type Principal, requireRole } from '#shared/domain/principal.ts';
import { DomainError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { href } from '#shared/routes.ts';
import { actorOfPrincipal, recordAudit } from './audit.ts';

type AttachmentDeps = Pick<Deps, 'consultations' | 'councils' | 'attachments' | 'clock' | 'settings'>;

const casePrefix = (ref: ConsultationRef) => `c/${ref.councilId}/k/${ref.consultationId}/`;
const keyPrefix = (ref: ConsultationRef, attachmentId: string) => `${casePrefix(ref)}${attachmentId}/`;
/** A key under one of the case's own upload prefixes (its follow-ups' evidence has prefixes of its own, under `fu/`). */
const isCaseUpload = (ref: ConsultationRef, key: string) => key.startsWith(casePrefix(ref)) && !key.startsWith(`${casePrefix(ref)}fu/`);
const store = (deps: AttachmentDeps) => {
  if (!deps.attachments) throw new Error('ATTACHMENTS_BUCKET is not set for this function');
  return deps.attachments;
};

async function visibleCase(deps: AttachmentDeps, principal: Principal | undefined, ref: ConsultationRef) {
  const viewer = requireRole(principal, ref.councilId, 'department', 'secretariat', 'member', 'chair');
  const bundle = await deps.consultations.bundle(ref, 0);
  if (!isVisibleTo(bundle.consultation, viewer)) throw new NotFoundError('諮問が見つかりません。');
  return { viewer, ...bundle };
}

/** The attachments of a case, and for its department (while it may edit) a direct-upload form. */
export async function viewAttachments(deps: AttachmentDeps, principal: Principal | undefined, ref: ConsultationRef) {
  const { viewer, consultation, attachments } = await visibleCase(deps, principal, ref);
  const council = await deps.councils.getCouncil(ref.councilId);
  const upload = isEditableBy(consultation, viewer)
    ? await store(deps).presignUpload({
        keyPrefix: keyPrefix(ref, newId()),
        redirectTo: `${deps.settings.APP_BASE_URL}${href('AttachmentUploaded', ref)}`,
        maxBytes: MAX_ATTACHMENT_BYTES,
      })
    : undefined;
  return { viewer, council, consultation, attachments, upload };
}

/**
 * Storage sends the browser back here after an upload. The object is checked — that it
 * belongs to this case, and is really a PDF, Word or Excel file within the size limit —
 * and recorded as the next 資料N; anything else is deleted and explained.
 */
export async function recordUpload(deps: AttachmentDeps, principal: Principal | undefined, ref: ConsultationRef, key: string) {
  const { viewer, consultation, attachments } = await visibleCase(deps, principal, ref);
  // The department's own upload that is not kept goes for good, every version of it: refused for the
  // case's state, for its key's shape or for its content, or uploaded again under a kept attachment's id.
  // Keys outside the case's upload prefixes are never touched (they are not this upload's to delete).
  const discard = async () => {
    if (viewer.role === 'department' && viewer.departmentId === consultation.departmentId && isCaseUpload(ref, key)) await store(deps).purge(key);
  };
  if (!isEditableBy(consultation, viewer)) {
    await discard();
    throw new ForbiddenError('この諮問には今は資料を添付できません。');
  }
  const parts = key.split('/');
  const [c, councilId, k, consultationId, attachmentId, ...rest] = parts;
  if (
    c !== 'c' ||
    k !== 'k' ||
    councilId !== ref.councilId ||
    consultationId !== ref.consultationId ||
    !ID_PATTERN.test(attachmentId ?? '') ||
    rest.length !== 1
  ) {
    await discard();
    throw new DomainError('この諮問の資料ではありません。');
  }
  if (attachments.some((a) => a.attachmentId === attachmentId)) {
    await discard();
    return { ok: true as const };
  }
  const fileName = safeFileName(rest[0]!);
  const object = await store(deps).inspect(key);
  if (!object) throw new DomainError('アップロードされたファイルが見つかりません。もう一度お試しください。');
  const verdict = classifyUpload(fileName, object.size, object.head);
  if (!verdict.ok) {
    await store(deps).purge(key);
    return { ok: false as const, reason: `「${fileName}」は添付できませんでした。${verdict.reason}` };
  }
  const objectKey = await store(deps).keep(key, verdict.contentType);
  await deps.consultations.putAttachment(ref, {
    attachmentId: attachmentId!,
    label: nextLabel(attachments),
    fileName,
    contentType: verdict.contentType,
    size: object.size,
    objectKey,
    uploadedAt: deps.clock.now().toISOString(),
    uploadedBy: viewer.userId,
  });
  return { ok: true as const };
}

/** A short-lived link to the file, for anyone who may see the case. */
export async function attachmentDownload(deps: AttachmentDeps, principal: Principal | undefined, ref: ConsultationRef, attachmentId: string) {
  const { viewer } = await visibleCase(deps, principal, ref);
  const a = await deps.consultations.getAttachment(ref, attachmentId);
  await recordAudit(deps, ref, actorOfPrincipal(viewer), '資料をダウンロード', { detail: `${a.label} ${a.fileName}` });
  return store(deps).presignDownload(a.objectKey, a.fileName, a.contentType);
}
