import { ACCEPTED_EXTENSIONS, type DirectUpload, MAX_ATTACHMENT_BYTES } from '#shared/domain/attachments.ts';
import type { Attachment, Consultation } from '#shared/domain/consultation.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { attachmentList } from './consultations.ts';

/** Attachments of a case; the upload form posts the file straight to storage. */
export function attachmentsPage(v: {
  viewer: Principal;
  consultation: Consultation;
  attachments: Attachment[];
  upload: DirectUpload | undefined;
  error?: string | undefined;
  uploaded?: boolean;
}): string {
  const c = v.consultation;
  return layout({
    title: `添付資料:${c.form.title}`,
    principal: v.viewer,
    body: html`<p><a href="${href('ConsultationView', c)}">← 諮問へ戻る</a></p>
${v.uploaded ? html`<div class="notice" role="status">資料を添付しました。</div>` : ''}
${v.error ? html`<div class="notice error" role="alert">${v.error}</div>` : ''}
${attachmentList(c, v.attachments)}
${
  v.upload
    ? html`<h2>資料を追加する</h2>
<form method="post" action="${v.upload.url}" enctype="multipart/form-data" class="stacked">
${Object.entries(v.upload.fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
<label for="file">ファイル <span class="hint">PDF、Word、Excel(${MAX_ATTACHMENT_BYTES / 1024 / 1024}MBまで)。資料番号は追加した順に 資料1、資料2 … と付きます。</span></label>
<input id="file" type="file" name="file" accept="${ACCEPTED_EXTENSIONS.join(',')}" required>
<button type="submit">アップロードする</button>
</form>`
    : html`<p class="muted">資料を追加できるのは、所管課が下書き中または差し戻し中の諮問に対してだけです。</p>`
}`,
  });
}
