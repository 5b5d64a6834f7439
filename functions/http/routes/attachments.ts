import type { ConsultationRef } from '#shared/adapters/consultation-repository.ts';
import { DomainError } from '#shared/errors.ts';
import { href } from '#shared/routes.ts';
import { attachmentDownload, recordUpload, viewAttachments } from '#shared/use-cases/attachments.ts';
import { attachmentsPage } from '#templates/pages/attachments.ts';
import { allowFormTarget, page, type Request, type RouteHandler, seeOther } from '../kit.ts';

const refOf = (req: Request): ConsultationRef => ({ councilId: req.param('councilId'), consultationId: req.param('consultationId') });

/** 添付資料: the list with its direct-upload form, the return from storage, and short-lived downloads. */
export const attachmentRoutes = {
  AttachmentsPage: async (req) => {
    const view = await viewAttachments(req.deps, req.principal, refOf(req));
    return allowFormTarget(page(attachmentsPage({ ...view, uploaded: req.query('notice') === 'uploaded' })), view.upload?.url);
  },

  /** Where storage sends the browser after an upload. Recording the file is idempotent, so a reload is harmless. */
  AttachmentUploaded: async (req) => {
    const ref = refOf(req);
    const key = req.query('key');
    if (!key) throw new DomainError('アップロードの結果を受け取れませんでした。もう一度お試しください。');
    const result = await recordUpload(req.deps, req.principal, ref, key);
    if (result.ok) return seeOther(href('AttachmentsPage', ref, { notice: 'uploaded' }));
    const view = await viewAttachments(req.deps, req.principal, ref);
    return allowFormTarget(page(attachmentsPage({ ...view, error: result.reason }), 400), view.upload?.url);
  },

  AttachmentDownload: async (req) => seeOther(await attachmentDownload(req.deps, req.principal, refOf(req), req.param('attachmentId'))),
} satisfies Record<string, RouteHandler>;
