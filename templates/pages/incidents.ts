import { excelCsv } from '#shared/csv.ts';
import type { Council, Department } from '#shared/domain/council.ts';
import { formatEraDate, formatTokyoDateTime } from '#shared/domain/era.ts';
import { FOLLOW_UP_STATUS_LABELS, type FollowUp, tokyoDate } from '#shared/domain/followups.ts';
import {
  deadlineText,
  INCIDENT_KINDS,
  INCIDENT_STATUS_LABELS,
  type Incident,
  incidentDeadlines,
  isOverdue,
  PPC_REPORTS,
  type PpcReport,
  SECONDARY_DAMAGE,
} from '#shared/domain/incidents.ts';
import type { Meeting } from '#shared/domain/meeting.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, fieldId, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

export const INCIDENT_NOTICES = {
  created: '漏えい等事案を記録しました。速報・確報の期限を確認してください。',
  saved: '事案の内容を保存しました。',
  report: '個人情報保護委員会への報告の提出日を記録しました。',
  notice: '本人への通知を記録しました。',
  measure: '再発防止策を追加し、所管課に実施報告のお願いを送りました。',
  council: '次回の会議の議題(報告)に入れました。',
} as const;
export type IncidentNotice = keyof typeof INCIDENT_NOTICES;
export type IncidentAction = 'save' | 'report' | 'notice' | 'measure' | 'council';

const day = (d: string) => formatEraDate(d, { weekday: false });
const notice = (n: IncidentNotice | undefined) => (n ? html`<div class="notice" role="status">${INCIDENT_NOTICES[n]}</div>` : '');

/** The state of one report to the 個人情報保護委員会, as a cell: submitted on a day, waiting, or overdue (highlighted). */
function reportState(i: Incident, report: PpcReport, today: string): SafeHtml {
  const submitted = i.reports[report];
  if (submitted) return html`${day(submitted.submittedOn)}に提出`;
  return isOverdue(i, report, today) ? html`<strong class="overdue">期限超過・未提出</strong>` : html`未提出`;
}

/** A required yes/no choice drawn by hand, with its error beside it. */
function radios(state: FormState, name: string, legend: string, options: readonly (readonly [string, string])[], scope?: string): SafeHtml {
  const id = fieldId(name, scope);
  const error = state.errors[name];
  const chosen = String(state.values[name] ?? '');
  return html`<fieldset id="${id}" role="radiogroup" aria-required="true"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}><legend>${legend} <span class="hint">(必須)</span></legend>
${options.map(
  ([value, label]) =>
    html`<label class="choice"><input type="radio" name="${name}" value="${value}"${value === chosen ? html` checked` : ''} required> ${label}</label>`,
)}
${fieldError(state, name, scope)}</fieldset>`;
}

const YES_NO = [
  ['yes', 'あり'],
  ['no', 'なし'],
] as const;

// ── The list ─────────────────────────────────────────────────────────────────────────────

/** The list as the use case gives it: the incidents shown, with the council's departments to name them by. */
export interface IncidentsView {
  viewer: Principal;
  council: Council;
  departments: Department[];
  incidents: Incident[];
  show: 'open' | 'closed' | 'all';
  today: string;
}

const SHOWN_AS = { open: '対応中', closed: '完了', all: 'すべて' } as const;

export function incidentsPage(v: IncidentsView): string {
  const list = href('IncidentsList', v.council);
  const deptName = (id: string) => v.departments.find((d) => d.departmentId === id)?.name ?? id;
  const tab = (show: 'open' | 'closed' | 'all', label: string) =>
    show === v.show ? html`<strong aria-current="page">${label}</strong>` : html`<a href="${list}?show=${show}">${label}</a>`;
  return layout({
    title: `${v.council.name} 漏えい等事案`,
    principal: v.viewer,
    body: html`<p>個人情報の漏えい・滅失・毀損・不正利用のおそれがあった事案の記録です。個人情報保護委員会への速報(覚知から概ね3〜5日以内)・確報(30日以内、不正の目的によるおそれがあるときは60日以内)、本人への通知、再発防止策を記録し、審議会に報告します。</p>
<p><a class="button" href="${href('IncidentNew', v.council)}">事案を記録する</a></p>
<p class="no-print">${tab('open', SHOWN_AS.open)} ・ ${tab('closed', SHOWN_AS.closed)} ・ ${tab('all', SHOWN_AS.all)}${
      v.incidents.length ? html` ・ <a href="${href('IncidentsCsv', v.council, { show: v.show })}">この一覧をCSV(Excel)で保存</a>` : ''
    }</p>
${
  v.incidents.length
    ? html`<table><thead><tr><th scope="col">覚知日</th><th scope="col">件名</th><th scope="col">所管課</th><th scope="col">種類</th><th scope="col">本人の数</th><th scope="col">速報</th><th scope="col">確報</th><th scope="col">状態</th></tr></thead><tbody>
${v.incidents.map((i) => {
  const late = isOverdue(i, 'preliminary', v.today) || isOverdue(i, 'final', v.today);
  return html`<tr${late ? html` class="overdue-row"` : ''}><td>${day(i.foundOn)}</td><td><a href="${href('IncidentView', i)}">${i.title}</a></td><td>${deptName(i.departmentId)}</td><td>${INCIDENT_KINDS[i.kind]}</td><td>${i.affectedCount.toLocaleString('ja-JP')}人</td><td>${reportState(i, 'preliminary', v.today)}</td><td>${reportState(i, 'final', v.today)}</td><td><span class="status">${INCIDENT_STATUS_LABELS[i.status]}</span></td></tr>`;
})}
</tbody></table>`
    : html`<p class="muted">${v.show === 'closed' ? '完了した事案はありません。' : v.show === 'open' ? '対応中の事案はありません。' : '記録された事案はありません。'}</p>`
}`,
  });
}

/**
 * The list as a CSV file for Excel (漏えい等事案一覧): one row per incident with every fact, both
 * deadlines beside the day each report went in, the notice to the people, the measures and the
 * council's hearing — what a yearly report to the council or an audit asks for. Dates as YYYY-MM-DD.
 */
export function incidentsCsv(v: IncidentsView): { csv: Buffer; fileName: string } {
  const yesNo = (b: boolean) => (b ? 'あり' : 'なし');
  const onDay = (at: string | undefined) => (at ? tokyoDate(new Date(at)) : '');
  const submitted = (i: Incident, report: PpcReport) => i.reports[report]?.submittedOn ?? (isOverdue(i, report, v.today) ? '期限超過・未提出' : '');
  const columns: [string, (i: Incident) => string][] = [
    ['覚知日', (i) => i.foundOn],
    ['発生日', (i) => i.occurredOn],
    ['件名', (i) => i.title],
    ['所管課', (i) => v.departments.find((d) => d.departmentId === i.departmentId)?.name ?? i.departmentId],
    ['種類', (i) => INCIDENT_KINDS[i.kind]],
    ['概要', (i) => i.overview],
    ['本人の数', (i) => String(i.affectedCount)],
    ['漏えい等した項目', (i) => i.dataItems],
    ['要配慮個人情報', (i) => yesNo(i.sensitive)],
    ['委託先', (i) => i.vendor ?? ''],
    ['不正の目的のおそれ', (i) => yesNo(i.unlawfulPurpose)],
    ['原因', (i) => i.cause],
    ['二次被害', (i) => SECONDARY_DAMAGE[i.secondaryDamage]],
    ['速報の期限', (i) => incidentDeadlines(i).preliminary.due],
    ['速報の提出日', (i) => submitted(i, 'preliminary')],
    ['確報の期限', (i) => incidentDeadlines(i).final.due],
    ['確報の提出日', (i) => submitted(i, 'final')],
    ['本人への通知', ({ notice: n }) => (!n ? '' : n.notified ? `${n.notifiedOn} ${n.method}により${n.count}人に通知` : `通知しない(理由:${n.reason})`)],
    ['再発防止策(件)', (i) => String(i.measures)],
    ['審議会への報告', (i) => (i.council ? `議題に入れた(${onDay(i.council.at)})` : '')],
    ['状態', (i) => INCIDENT_STATUS_LABELS[i.status]],
    ['完了日', (i) => onDay(i.closedAt)],
  ];
  const rows = v.incidents.map((i) => columns.map(([, cell]) => cell(i)));
  return { csv: excelCsv([columns.map(([name]) => name), ...rows]), fileName: `${v.council.name}_漏えい等事案一覧(${SHOWN_AS[v.show]})_${v.today}.csv` };
}

// ── The form (new and edit) ──────────────────────────────────────────────────────────────

/** The form's values from a stored incident (the edit form's first look). */
export function incidentFormValues(i: Incident): FormState {
  return emptyForm({
    title: i.title,
    overview: i.overview,
    occurredOn: i.occurredOn,
    foundOn: i.foundOn,
    departmentId: i.departmentId,
    affectedCount: String(i.affectedCount),
    dataItems: i.dataItems,
    sensitive: i.sensitive ? 'yes' : 'no',
    vendor: i.vendor ?? '',
    kind: i.kind,
    unlawfulPurpose: i.unlawfulPurpose ? 'yes' : 'no',
    cause: i.cause,
    secondaryDamage: i.secondaryDamage,
    version: String(i.version),
  });
}

export function incidentFormPage(v: {
  viewer: Principal;
  council: Council;
  departments: Department[];
  /** The new-incident form's own id. */
  requestId: string;
  state?: FormState | undefined;
  /** Editing this one; none for a new incident. */
  incident?: Incident | undefined;
}): string {
  const s = v.state ?? emptyForm(v.departments.length === 1 ? { departmentId: v.departments[0]!.departmentId } : {});
  const action = v.incident ? href('IncidentAct', { ...v.incident, action: 'save' }) : href('IncidentCreate', v.council);
  return layout({
    title: v.incident ? `漏えい等事案の編集:${v.incident.title}` : '漏えい等事案の記録',
    principal: v.viewer,
    body: html`<p><a href="${v.incident ? href('IncidentView', v.incident) : href('IncidentsList', v.council)}">← ${v.incident ? '事案へ戻る' : '事案の一覧'}</a></p>
<form method="post" action="${action}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${
  v.incident
    ? html`<input type="hidden" name="version" value="${String(s.values['version'] ?? v.incident.version)}">`
    : html`<input type="hidden" name="requestId" value="${String(s.values['requestId'] ?? v.requestId)}">`
}
${textField(s, { name: 'title', label: '件名', required: true, hint: '例:USBメモリの紛失' })}
${selectField(s, { name: 'departmentId', label: '所管課', required: true, options: v.departments.map((d) => [d.departmentId, d.name] as const), blank: '選んでください' })}
${selectField(s, { name: 'kind', label: '事案の種類', required: true, options: Object.entries(INCIDENT_KINDS), blank: '選んでください' })}
${textField(s, { name: 'occurredOn', label: '発生日', type: 'date', required: true })}
${textField(s, { name: 'foundOn', label: '覚知日(事案を知った日)', type: 'date', required: true, hint: '速報・確報の期限はこの日から数えます' })}
${textArea(s, { name: 'overview', label: '事案の概要', required: true, rows: 5 })}
${textField(s, { name: 'affectedCount', label: '対象となった本人の数', type: 'number', required: true })}
${textArea(s, { name: 'dataItems', label: '漏えい等した個人情報の項目', required: true, hint: '例:氏名、住所、生年月日、保険証番号' })}
${radios(s, 'sensitive', '要配慮個人情報が含まれるか', YES_NO)}
${textField(s, { name: 'vendor', label: '委託先', hint: '委託先で起きたときはその名称(なければ空欄)' })}
${radios(s, 'unlawfulPurpose', '不正の目的によるおそれ', YES_NO)}
<p class="hint">「あり」のとき、確報の期限は覚知から60日以内になります(なしは30日以内)。</p>
${textArea(s, { name: 'cause', label: '原因', required: true })}
${selectField(s, { name: 'secondaryDamage', label: '二次被害の有無', required: true, options: Object.entries(SECONDARY_DAMAGE), blank: '選んでください' })}
<button type="submit">${v.incident ? '保存する' : '記録する'}</button>
</form>`,
  });
}

// ── One incident ─────────────────────────────────────────────────────────────────────────

export interface IncidentPageView {
  viewer: Principal;
  council: Council;
  incident: Incident;
  department: Department | undefined;
  measures: FollowUp[];
  heardAt: { meeting: Meeting; name: string; itemId: string } | undefined;
  today: string;
  notice?: IncidentNotice | undefined;
  problem?: { target: IncidentAction; state: FormState } | undefined;
}

export function incidentPage(v: IncidentPageView): string {
  const i = v.incident;
  const open = i.status === 'open';
  const secretariat = v.viewer.role === 'secretariat';
  const form = (target: IncidentAction, initial: FormState = emptyForm()) => (v.problem?.target === target ? v.problem.state : initial);
  const deadlines = incidentDeadlines(i);
  const pending = (['preliminary', 'final'] as const).filter((r) => !i.reports[r]);
  const reportForm = form('report', emptyForm({ report: pending[0] ?? '' }));
  const noticeForm = form(
    'notice',
    i.notice
      ? emptyForm(
          i.notice.notified
            ? { notified: 'yes', notifiedOn: i.notice.notifiedOn, method: i.notice.method, count: String(i.notice.count) }
            : { notified: 'no', reason: i.notice.reason },
        )
      : emptyForm(),
  );
  const act = (action: IncidentAction) => href('IncidentAct', { ...i, action });
  return layout({
    title: `漏えい等事案:${i.title}`,
    principal: v.viewer,
    body: html`${notice(v.notice)}
<p><a href="${href('IncidentsList', v.council)}">← 事案の一覧</a>${open ? html` ・ <a href="${href('IncidentEdit', i)}">内容を編集する</a>` : ''}</p>
<p>状態:<span class="status">${INCIDENT_STATUS_LABELS[i.status]}</span>${i.closedAt ? `(${formatEraDate(new Date(i.closedAt), { weekday: false })}完了)` : ''}</p>
<dl class="sheet">
<dt>所管課</dt><dd>${v.department?.name ?? i.departmentId}</dd>
<dt>事案の種類</dt><dd>${INCIDENT_KINDS[i.kind]}</dd>
<dt>発生日</dt><dd>${formatEraDate(i.occurredOn)}</dd>
<dt>覚知日</dt><dd>${formatEraDate(i.foundOn)}</dd>
<dt>事案の概要</dt><dd class="pre">${i.overview}</dd>
<dt>対象となった本人の数</dt><dd>${i.affectedCount.toLocaleString('ja-JP')}人</dd>
<dt>個人情報の項目</dt><dd class="pre">${i.dataItems}</dd>
<dt>要配慮個人情報</dt><dd>${i.sensitive ? '含まれる' : '含まれない'}</dd>
<dt>委託先</dt><dd>${i.vendor ?? 'なし'}</dd>
<dt>不正の目的によるおそれ</dt><dd>${i.unlawfulPurpose ? 'あり' : 'なし'}</dd>
<dt>原因</dt><dd class="pre">${i.cause}</dd>
<dt>二次被害</dt><dd>${SECONDARY_DAMAGE[i.secondaryDamage]}</dd>
</dl>

<h2 id="reports">個人情報保護委員会への報告</h2>
<table><thead><tr><th scope="col">報告</th><th scope="col">期限</th><th scope="col">状況</th></tr></thead><tbody>
${(['preliminary', 'final'] as const).map(
  (r) => html`<tr id="report-${r}"><th scope="row">${PPC_REPORTS[r]}</th><td>${deadlineText(deadlines[r])}</td><td>${reportState(i, r, v.today)}</td></tr>`,
)}
</tbody></table>
${
  pending.length
    ? html`<form method="post" action="${act('report')}" class="stacked" novalidate>${csrfField()}
${errorSummary(reportForm, { scope: 'report' })}
${selectField(reportForm, { name: 'report', label: '提出した報告', required: true, options: pending.map((r) => [r, PPC_REPORTS[r]] as const), scope: 'report' })}
${textField(reportForm, { name: 'submittedOn', label: '提出日', type: 'date', required: true, scope: 'report' })}
<button type="submit">提出日を記録する</button>
</form>`
    : ''
}

<h2 id="person-notice">本人への通知</h2>
${
  i.notice
    ? i.notice.notified
      ? html`<p>${formatEraDate(i.notice.notifiedOn)}に${i.notice.method}により${i.notice.count.toLocaleString('ja-JP')}人に通知しました。</p>`
      : html`<p>通知していません。理由:<span class="pre">${i.notice.reason}</span></p>`
    : html`<p class="muted">まだ記録がありません。</p>`
}
${
  open
    ? html`<form method="post" action="${act('notice')}" class="stacked" novalidate>${csrfField()}
${errorSummary(noticeForm, { scope: 'notice' })}
${radios(
  noticeForm,
  'notified',
  '本人への通知',
  [
    ['yes', '通知した'],
    ['no', '通知しない(理由を記入)'],
  ],
  'notice',
)}
${textField(noticeForm, { name: 'notifiedOn', label: '通知日', type: 'date', scope: 'notice' })}
${textField(noticeForm, { name: 'method', label: '通知の方法', hint: '例:郵送、電話、個別訪問', scope: 'notice' })}
${textField(noticeForm, { name: 'count', label: '通知した人数', type: 'number', scope: 'notice' })}
${textArea(noticeForm, { name: 'reason', label: '通知しない理由', hint: '例:本人の連絡先が分からないため、ホームページで公表した', scope: 'notice' })}
<button type="submit">${i.notice ? '記録を改める' : '記録する'}</button>
</form>`
    : ''
}

<h2 id="measures">再発防止策</h2>
<p class="hint">それぞれ所管課がメールのリンクから実施状況と資料を報告し、事務局が確認して完了とします。すべて完了し確報を提出すると、事案は完了します。</p>
${
  v.measures.length
    ? html`<table><thead><tr><th scope="col">番号</th><th scope="col">再発防止策</th><th scope="col">期限</th><th scope="col">状況</th></tr></thead><tbody>
${v.measures.map(
  (m) =>
    html`<tr><td>${m.conditionIndex + 1}</td><td><a href="${href('FollowUpView', m)}">${m.condition}</a></td><td>${day(m.due)}${
      m.status === 'open' && m.due < v.today ? html` <strong class="overdue">期限超過</strong>` : ''
    }</td><td><span class="status">${FOLLOW_UP_STATUS_LABELS[m.status]}</span></td></tr>`,
)}
</tbody></table>`
    : html`<p class="muted">まだありません。</p>`
}
${
  open
    ? html`<form method="post" action="${act('measure')}" class="stacked" novalidate>${csrfField()}
${errorSummary(form('measure'), { scope: 'measure' })}
${textArea(form('measure'), { name: 'text', label: '再発防止策の内容', required: true, rows: 3, scope: 'measure' })}
${textField(form('measure'), { name: 'due', label: '実施の期限', type: 'date', required: true, scope: 'measure' })}
<button type="submit" class="secondary">再発防止策を追加する</button>
</form>`
    : ''
}

<h2 id="council">審議会への報告</h2>
${
  v.heardAt
    ? html`<p><a href="${href('MeetingView', { councilId: i.councilId, meetingId: v.heardAt.meeting.meetingId })}#line-${v.heardAt.itemId}">${v.heardAt.name}</a>(${formatEraDate(v.heardAt.meeting.date)})で報告(議題「漏えい等事案について」)。</p>`
    : html`<p class="muted">まだ審議会に報告していません。</p>${
        secretariat
          ? html`<form method="post" action="${act('council')}" class="stacked" novalidate>${csrfField()}
${errorSummary(form('council'), { scope: 'council' })}
<p class="hint">開催予定の次回の会議の次第に、報告「漏えい等事案について(所管課)」として概要を入れます。</p>
<button type="submit" class="secondary">次回の会議で報告</button>
</form>`
          : ''
      }`
}

<h2 id="history">記録の履歴</h2>
<table><thead><tr><th scope="col">日時</th><th scope="col">記録した人</th><th scope="col">内容</th></tr></thead><tbody>
${[...i.history].reverse().map((h) => html`<tr><td>${formatTokyoDateTime(h.at)}</td><td>${h.by}</td><td>${h.what}</td></tr>`)}
</tbody></table>`,
  });
}
