import { conclusionOf } from '#shared/domain/answer.ts';
import { type BlanketClass, POST_REPORT_STATUSES, type PostReport } from '#shared/domain/blanket.ts';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council, Department } from '#shared/domain/council.ts';
import { eraDateOrAsTyped } from '#shared/domain/era.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { errorSummary, type FormState, selectField, textArea, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export const BLANKET_NOTICES = {
  filed: '事後報告を提出しました。事務局が受け付けると、次の会議で報告されます。',
  accepted: '事後報告を受け付け、次の会議の議題に報告事項として加えました。',
} as const;
export type BlanketNotice = keyof typeof BLANKET_NOTICES;

const numberText = (c: BlanketClass) => (c.consultation.number ? formatConsultationNumber(c.consultation.number) : '');

export interface BlanketApprovalsView {
  viewer: Principal;
  council: Council;
  departments: Department[];
  takesPostReports: boolean;
  classes: (BlanketClass & { reports: PostReport[] })[];
  waiting: PostReport[];
  notice?: BlanketNotice | undefined;
  /** Why an acceptance was refused. */
  error?: string | undefined;
}

/** 包括諮問の一覧: each approved class — number, name, scope, conditions — and the post-reports filed under it. */
export function blanketApprovalsPage(v: BlanketApprovalsView): string {
  const dept = (id: string) => v.departments.find((d) => d.departmentId === id)?.name ?? id;
  const report = (r: PostReport) =>
    html`<tr><td>${eraDateOrAsTyped(r.doneOn)}</td><td>${dept(r.departmentId)}</td><td class="pre">${r.done}</td><td>${r.count.toLocaleString('ja-JP')}</td><td>${r.vendor ?? ''}</td><td>${POST_REPORT_STATUSES[r.status]}${
      r.meetingId ? html` <a href="${href('MeetingView', { councilId: v.council.councilId, meetingId: r.meetingId })}">会議次第</a>` : ''
    }</td></tr>`;
  const reports = (rs: PostReport[]) =>
    rs.length
      ? html`<table><thead><tr><th scope="col">実施日</th><th scope="col">報告課</th><th scope="col">実施した取扱い</th><th scope="col">件数・対象者数</th><th scope="col">委託先</th><th scope="col">状態</th></tr></thead><tbody>${rs.map(report)}</tbody></table>`
      : html`<p class="muted">事後報告はまだありません。</p>`;
  const classTitle = (id: string) => {
    const c = v.classes.find((x) => x.consultation.consultationId === id);
    return c ? `${numberText(c)} ${c.consultation.form.blanket?.name ?? c.consultation.form.title}` : '';
  };
  return layout({
    title: `${v.council.name} 包括諮問(承認された類型)と事後報告`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${BLANKET_NOTICES[v.notice]}</div>` : ''}
${v.error ? html`<div class="notice error" role="alert">${v.error}</div>` : ''}
<p>包括諮問で承認された類型に当たる取扱いは、個別に諮問せず、事後報告します。事後報告は表決せず、事務局が受け付けると次の会議で報告事項として報告されます。</p>
${v.viewer.role === 'department' && v.takesPostReports ? html`<p><a class="button" href="${href('PostReportNew', v.council)}">事後報告を提出する</a></p>` : ''}
${
  v.waiting.length
    ? html`<h2>受付待ちの事後報告</h2>
<table><thead><tr><th scope="col">類型</th><th scope="col">報告課</th><th scope="col">実施した取扱い</th><th scope="col">実施日</th><th scope="col">受付</th></tr></thead><tbody>
${v.waiting.map(
  (r) => html`<tr><td>${classTitle(r.classId)}</td><td>${dept(r.departmentId)}</td><td class="pre">${r.done}</td><td>${eraDateOrAsTyped(r.doneOn)}</td>
<td><form method="post" action="${href('PostReportAccept', { councilId: v.council.councilId, reportId: r.reportId })}">${csrfField()}<button type="submit">受け付けて次の会議の報告事項にする</button></form></td></tr>`,
)}</tbody></table>`
    : ''
}
<h2>承認された類型</h2>
${
  v.classes.length
    ? v.classes.map(
        (
          c,
        ) => html`<section aria-labelledby="class-${c.consultation.consultationId}"><h3 id="class-${c.consultation.consultationId}">${numberText(c)} ${c.consultation.form.blanket?.name ?? ''}</h3>
<dl class="sheet">
<dt>諮問</dt><dd><a href="${href('ConsultationView', c.consultation)}">${c.consultation.form.title}</a></dd>
<dt>答申</dt><dd>${c.answer.documentNumber ?? ''} ${c.answer.issuedOn ? eraDateOrAsTyped(c.answer.issuedOn) : ''} ${conclusionOf(c.answer)}</dd>
<dt>対象となる取扱いの範囲</dt><dd class="pre">${c.consultation.form.blanket?.scope ?? ''}</dd>
<dt>条件</dt><dd class="pre">${[c.consultation.form.blanket?.conditions ?? '', ...c.answer.conditions].filter(Boolean).join('\n')}</dd>
<dt>報告の方法</dt><dd class="pre">${c.consultation.form.blanket?.reportMethod ?? ''}</dd>
</dl>
<h4>この類型の事後報告</h4>
${reports(c.reports)}</section>`,
      )
    : html`<p class="muted">承認された包括諮問はまだありません。</p>`
}`,
  });
}

export interface PostReportFormView {
  viewer: Principal;
  council: Council;
  classes: BlanketClass[];
  state: FormState;
}

/** 事後報告: a short form citing the approved class the handling falls under. */
export function postReportFormPage(v: PostReportFormView): string {
  const s = v.state;
  return layout({
    title: '包括諮問に基づく事後報告',
    principal: v.viewer,
    body: v.classes.length
      ? html`<p>承認された包括諮問の類型に当たる取扱いを行ったときに報告します。類型に当たらない取扱いは、個別に諮問してください。</p>
<form method="post" action="${href('PostReportCreate', v.council)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
<input type="hidden" name="requestId" value="${String(s.values['requestId'] ?? '')}">
${selectField(s, {
  name: 'classId',
  label: '該当する包括諮問(類型)',
  required: true,
  blank: '選んでください',
  options: v.classes.map(
    (c) => [c.consultation.consultationId, `${numberText(c)} ${c.consultation.form.blanket?.name ?? c.consultation.form.title}`] as [string, string],
  ),
})}
${textArea(s, { name: 'done', label: '実施した取扱い', required: true, rows: 4, hint: '何を、誰に(どこへ)、どのように行ったか' })}
${textField(s, { name: 'doneOn', label: '実施日', type: 'date', required: true })}
${textField(s, { name: 'count', label: '件数・対象者数', type: 'number', required: true })}
${textField(s, { name: 'vendor', label: '委託先(あれば)' })}
<button type="submit">事後報告を提出する</button>
</form>`
      : html`<p>承認された包括諮問がまだないため、事後報告はできません。個別に諮問してください。</p>`,
  });
}
