import {
  ACTOR_LABELS,
  type Attachment,
  type AuditEvent,
  awaitsVendorReport,
  CONSULTATION_STATUSES,
  type Consultation,
  DECISION_OUTCOMES,
  formatConsultationNumber,
  isWithdrawable,
  type ScreeningRound,
} from '#shared/domain/consultation.ts';
import {
  ABROAD_BASES,
  businessesOf,
  businessSummary,
  CERTIFICATIONS,
  type ConsultationDraft,
  formToObject,
  ROW_LIMITS,
  TRANSFER_MEANS,
  TRIGGERS,
} from '#shared/domain/consultation-form.ts';
import type { Council, Department } from '#shared/domain/council.ts';
import { eraDateOrAsTyped, fiscalYear, formatEraDate, formatFiscalYear, formatTokyoTime } from '#shared/domain/era.ts';
import { FOLLOW_UP_STATUS_LABELS, type FollowUp, keyOfBusiness } from '#shared/domain/followups.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { REGISTER_PAGE_SIZE, REGISTER_STATUSES, type RegisterPage } from '#shared/domain/register.ts';
import { formatCount } from '#shared/domain/schema.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { checkboxGroup, errorSummary, type FormState, fieldError, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

export const CONSULTATION_NOTICES = {
  saved: '下書きを保存しました。',
  submitted: '提出しました。事務局の受付審査をお待ちください。',
  returned: '差し戻しました。所管課にメールで知らせました。',
  accepted: '受け付けて諮問番号を付けました。所管課にメールで知らせました。',
  uploaded: '資料を添付しました。',
  redriven: '止まっていた処理を再実行しました。しばらくしてからこのページを開き直してください。',
  withdrawn: '諮問を取り下げました。事務局と所管課にメールで知らせました。',
  vendorReported: '委託先を報告しました。事務局にメールで知らせました。',
} as const;
export type ConsultationNotice = keyof typeof CONSULTATION_NOTICES;

const options = (o: Record<string, string>) => Object.entries(o) as [string, string][];
/** The status; an imported case also says its outcome (it never went through the workflow here). */
const statusBadge = (c: Consultation) =>
  html`<span class="status">${CONSULTATION_STATUSES[c.status]}</span>${c.imported ? html` <span class="muted">(${DECISION_OUTCOMES[c.imported.outcome]}・過去の記録)</span>` : ''}`;
const numberOf = (c: Consultation) =>
  c.number ? html`<span class="number">${formatConsultationNumber(c.number)}</span>` : html`<span class="muted">(未採番)</span>`;
const notice = (n: ConsultationNotice | undefined) => (n ? html`<div class="notice" role="status">${CONSULTATION_NOTICES[n]}</div>` : '');

const shortDate = (iso: string | undefined) => (iso ? formatEraDate(new Date(iso), { weekday: false }) : '');

/** A first column to pick cases with (the bulk acceptance). */
interface Pick {
  heading: string;
  cell: (c: Consultation) => SafeHtml;
}

function caseTable(cases: Consultation[], departments: Department[], empty: string, caption?: string, pick?: Pick): SafeHtml {
  if (cases.length === 0) return html`<p class="muted">${empty}</p>`;
  const dept = (id: string) => departments.find((d) => d.departmentId === id)?.name ?? id;
  return html`<table>${caption ? html`<caption class="visually-hidden">${caption}</caption>` : ''}
<thead><tr>${pick ? html`<th scope="col">${pick.heading}</th>` : ''}<th scope="col">諮問番号</th><th scope="col">件名</th><th scope="col">個人情報取扱事務</th><th scope="col">所管課</th><th scope="col">状態</th><th scope="col">提出日</th><th scope="col">更新日</th></tr></thead>
<tbody>${cases.map(
    (c) =>
      html`<tr>${pick ? html`<td>${pick.cell(c)}</td>` : ''}<td>${numberOf(c)}</td><td><a href="${href('ConsultationView', c)}">${c.form.title}</a></td><td>${businessSummary(c.form)}</td><td>${dept(c.departmentId)}</td><td>${statusBadge(c)}</td><td>${shortDate(c.submittedAt)}</td><td>${shortDate(c.updatedAt)}</td></tr>`,
  )}</tbody></table>`;
}

export const CONSULTATION_LIST_NOTICES = {
  accepted: '選んだ諮問を受け付けて、受け付けた順に諮問番号を付けました。各所管課にメールで知らせました。',
} as const;
export type ConsultationListNotice = keyof typeof CONSULTATION_LIST_NOTICES;

/** What a bulk acceptance did, when some of the chosen cases could not be accepted. */
export interface BulkAcceptance {
  accepted: { consultation: Consultation; number: NonNullable<Consultation['number']> }[];
  skipped: { consultationId: string; title: string | undefined; reason: string }[];
}

/** The screening queue as a form: tick the cases to accept, accept them in one step (each numbered in the order listed). */
function screeningQueue(v: ConsultationListView, cases: Consultation[]): SafeHtml {
  if (cases.length === 0) return html`<p class="muted">受付審査を待っている諮問はありません。</p>`;
  const s = v.acceptance ?? { values: {}, errors: {} };
  const chosen = new Set([s.values['consultationIds'] ?? []].flat());
  const ready = cases.filter((c) => c.status === 'screening');
  const pick: Pick = {
    heading: '選ぶ',
    cell: (c) =>
      c.status === 'screening'
        ? html`<input type="checkbox" name="consultationIds" value="${c.consultationId}" aria-label="「${c.form.title}」を受け付ける"${chosen.has(c.consultationId) ? html` checked` : ''}>`
        : html`<span class="muted">準備中</span>`,
  };
  return html`<form method="post" action="${href('ConsultationsAccept', v.council)}" class="no-print" novalidate>${csrfField()}
${errorSummary(s)}
<input type="hidden" name="requestId" value="${String(s.values['requestId'] ?? '')}">
<fieldset id="f-consultationIds"${s.errors['consultationIds'] ? html` aria-invalid="true" aria-describedby="f-consultationIds-error"` : ''}><legend>内容を確かめた諮問を選んで、まとめて受け付けられます(差し戻しは各諮問のページから)</legend>
${caseTable(cases, v.departments, '', '受付審査を待つ諮問', pick)}
${fieldError(s, 'consultationIds')}
</fieldset>
${ready.length ? html`<button type="submit">選んだ諮問を受け付けて諮問番号を付ける</button>` : ''}
</form>`;
}

export interface ConsultationListView {
  viewer: Principal;
  council: Council;
  departments: Department[];
  today: Date;
  register: RegisterPage;
  /** The bulk acceptance form of the screening queue (the secretariat's). */
  acceptance?: FormState | undefined;
  notice?: ConsultationListNotice | undefined;
  /** A bulk acceptance that could not accept every case chosen. */
  bulk?: BulkAcceptance | undefined;
  queues:
    | { kind: 'department'; drafts: Consultation[]; returned: Consultation[] }
    | { kind: 'secretariat'; stalled: Consultation[]; screening: Consultation[]; returned: Consultation[]; accepted: Consultation[] }
    | undefined;
}

/** 諮問一覧: the work that waits on top, then every case, filtered and paged. */
export function consultationListPage(v: ConsultationListView): string {
  const department = v.viewer.role === 'department';
  const q = v.queues;
  const queues =
    q?.kind === 'secretariat'
      ? html`${q.stalled.length ? html`<h2>処理が止まっている諮問(要確認)</h2><div class="notice error">自動の処理(メール送信など)が繰り返し失敗しました。各諮問を開き、原因を確かめてから「再実行」するか、取り下げてください。</div>${caseTable(q.stalled, v.departments, '')}` : ''}
<h2>受付審査待ち</h2>
${screeningQueue(v, q.screening)}
<h2>差し戻し中(所管課の修正待ち)</h2>
${caseTable(q.returned, v.departments, '差し戻し中の諮問はありません。')}
<h2>受付済み(日程調整待ち)</h2>
${caseTable(q.accepted, v.departments, '受付済みの諮問はありません。')}`
      : q?.kind === 'department'
        ? html`<h2>下書き</h2>
${caseTable(q.drafts, v.departments, '下書きはありません。')}
<h2>差し戻された諮問(修正して再提出してください)</h2>
${caseTable(q.returned, v.departments, '差し戻された諮問はありません。')}`
        : html`<p><a href="${href('ConsultationsList', v.council)}">${department ? '下書きと差し戻された諮問' : '受付審査待ちなどの作業一覧'}も表示する(検索条件をクリア)</a></p>`;
  const bulk = v.bulk
    ? html`<div class="notice error" role="alert">${v.bulk.accepted.length ? `${v.bulk.accepted.length}件を受け付けました(${v.bulk.accepted.map((a) => formatConsultationNumber(a.number)).join('、')})。` : ''}次の諮問は受け付けられませんでした。
<ul>${v.bulk.skipped.map((x) => html`<li>${x.title ? html`<a href="${href('ConsultationView', { councilId: v.council.councilId, consultationId: x.consultationId })}">${x.title}</a>` : '(見つからない諮問)'}:${x.reason}</li>`)}</ul></div>`
    : '';
  return layout({
    title: `${v.council.name} 諮問一覧`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${CONSULTATION_LIST_NOTICES[v.notice]}</div>` : ''}${bulk}
${department ? html`<p><a class="button" href="${href('ConsultationNew', v.council)}">新しい諮問を作成する</a></p>` : ''}
${queues}
<h2 id="register">${department ? '提出した諮問(すべて)' : 'すべての諮問'}</h2>
${registerSection(v)}`,
  });
}

const ORDERS = { newest: '新しい順(年度・諮問番号の大きい順)', oldest: '古い順' } as const;

/** The register's search form, the page of cases and the links to the pages before and after. */
function registerSection(v: ConsultationListView): SafeHtml {
  const r = v.register;
  const q = r.query;
  const department = v.viewer.role === 'department';
  const thisYear = fiscalYear(v.today);
  const years = [...new Set([...Array.from({ length: 10 }, (_, i) => thisYear - i), ...(q.year ? [q.year] : [])])].sort((a, b) => b - a);
  const filters = { status: q.status, department: department ? undefined : q.department, year: q.year, trigger: q.trigger, q: q.q };
  const link = (position: Record<string, string | undefined>) =>
    `${href('ConsultationsList', v.council, { ...filters, order: q.order === 'newest' ? undefined : q.order, ...position })}#register`;
  const option = (value: string | number, label: string, current: string | number | undefined) =>
    html`<option value="${value}"${String(value) === String(current ?? '') ? html` selected` : ''}>${label}</option>`;
  const paged = q.after !== undefined || q.before !== undefined;
  const statuses = REGISTER_STATUSES.map((s) => [s, CONSULTATION_STATUSES[s]] as const);
  return html`<form method="get" action="${href('ConsultationsList', v.council)}#register" class="filters no-print" role="search" aria-label="諮問の検索">
<div class="filter-row">
<label for="q-status">状態</label><select id="q-status" name="status">${option('', 'すべて', undefined)}${statuses.map(([s, label]) => option(s, label, q.status))}</select>
${department ? '' : html`<label for="q-department">所管課</label><select id="q-department" name="department">${option('', 'すべて', undefined)}${v.departments.map((d) => option(d.departmentId, d.name, q.department))}</select>`}
<label for="q-year">年度</label><select id="q-year" name="year">${option('', 'すべての年度', undefined)}${years.map((y) => option(y, formatFiscalYear(y), q.year))}</select>
<label for="q-trigger">諮問の区分</label><select id="q-trigger" name="trigger">${option('', 'すべて', undefined)}${(Object.entries(TRIGGERS) as [string, string][]).map(([t, label]) => option(t, label, q.trigger))}</select>
</div>
<div class="filter-row">
<label for="q-q">キーワード <span class="hint">(件名・事務・委託先・諮問番号)</span></label><input id="q-q" name="q" type="search" value="${q.q ?? ''}">
<label for="q-order">並び順</label><select id="q-order" name="order">${(Object.entries(ORDERS) as [string, string][]).map(([o, label]) => option(o, label, q.order))}</select>
<button type="submit">検索する</button> <a href="${href('ConsultationsList', v.council)}#register">条件をクリア</a>
</div>
</form>
<p class="muted" role="status">${r.rows.length ? `${r.rows.length}件を表示しています(1ページ${REGISTER_PAGE_SIZE}件まで)。` : ''}${
    r.searchedOnly ? `条件に合う諮問を探して${r.searchedOnly}件を調べました。続きは「次へ」で探します。` : ''
  }</p>
${caseTable(r.rows, v.departments, paged || r.searchedOnly ? 'このページに表示する諮問はありません。' : '条件に合う諮問はありません。', department ? '提出した諮問' : 'すべての諮問')}
${
  r.prev || r.next || paged
    ? html`<nav class="pager no-print" aria-label="諮問一覧のページ">
${r.prev ? html`<a href="${link({ before: r.prev })}" rel="prev">← 前へ</a>` : ''}
${paged ? html`<a href="${link({})}">最初のページへ</a>` : ''}
${r.next ? html`<a href="${link({ after: r.next })}" rel="next">次へ →</a>` : ''}
</nav>`
    : ''
}`;
}

/**
 * Rows to draw for a repeated group: what is there, plus spare empty rows — never more than the
 * group may hold plus the spare ones, however many rows a form posted.
 */
function rowCount(values: FormState['values'], group: keyof typeof ROW_LIMITS, spare: number, minimum: number): number {
  let max = -1;
  const prefix = `${group}.`;
  for (const key of Object.keys(values)) {
    if (!key.startsWith(prefix)) continue;
    const end = key.indexOf('.', prefix.length);
    const index = end === -1 ? '' : key.slice(prefix.length, end);
    if (/^(0|[1-9]\d{0,2})$/.test(index)) max = Math.max(max, Number(index));
  }
  return Math.min(Math.max(max + 1 + spare, minimum), ROW_LIMITS[group] + spare);
}

export interface ConsultationFormView {
  viewer: Principal;
  council: Council;
  department: Department | undefined;
  state: FormState;
  /** Where the form posts: a new case, or an existing draft / returned case. */
  action: string;
  consultation?: Consultation;
  rounds?: ScreeningRound[];
  notice?: ConsultationNotice | undefined;
  /** The draft was saved but is not complete enough to submit. */
  savedButIncomplete?: boolean;
  /** 「事務を追加」 was pressed: one more 事務 row, the rest as typed. */
  addBusinessRow?: boolean;
}

/** 審議票: the department's form, with conditional sections shown when their trigger is ticked. */
export function consultationFormPage(v: ConsultationFormView): string {
  const s = v.state;
  const itemRows = rowCount(s.values, 'items', 2, 5);
  const flowRows = rowCount(s.values, 'flows', 1, 3);
  const typedBusinesses = rowCount(s.values, 'businesses', 0, 1);
  const businessRows = Math.min(typedBusinesses + (v.addBusinessRow ? 1 : 0), ROW_LIMITS.businesses);
  const latestReturn = v.consultation?.status === 'returned' ? v.rounds?.at(-1) : undefined;
  const title = v.consultation ? `諮問の編集:${v.consultation.form.title}` : '新しい諮問(審議票)';
  return layout({
    title,
    principal: v.viewer,
    body: html`${notice(v.notice)}
${v.savedButIncomplete ? html`<div class="notice" role="status">入力内容を下書きとして保存しました。提出するには、次の点を直してください。</div>` : ''}
<p>所管課:${v.department?.name ?? ''} ・ 「下書き保存」はいつでもできます。「提出」で事務局の受付審査に回ります。</p>
${latestReturn ? html`<div class="notice error"><strong>事務局からの差し戻し(第${latestReturn.round}回)</strong><div class="pre">${latestReturn.comment}</div></div>` : ''}
<section class="print-only" aria-label="審議票(印刷用)">
<h2>審議票</h2>
${sheet(formToObject(s.values) as ConsultationDraft, v.department)}
</section>
<form method="post" action="${v.action}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${s.values['requestId'] ? html`<input type="hidden" name="requestId" value="${String(s.values['requestId'])}">` : ''}
${s.values['version'] ? html`<input type="hidden" name="version" value="${String(s.values['version'])}">` : ''}
<h2>基本事項</h2>
${textField(s, { name: 'title', label: '件名', required: true, hint: '例:生活保護受給者金銭管理支援業務委託' })}
${textField(s, { name: 'contactName', label: '担当者', required: true })}
${textField(s, { name: 'contactPhone', label: '電話番号(内線)', type: 'tel', required: true })}
${checkboxGroup(s, {
  name: 'triggers',
  legend: '諮問の区分',
  options: options(TRIGGERS),
  required: true,
  hint: '「委託・再委託」を選ぶと委託先の欄が、「オンライン結合」を選ぶと結合先の欄が、「外国にある第三者への提供」を選ぶと提供先の国と措置の欄が、「個人情報の流れ」の後に加わります。',
})}
${textArea(s, { name: 'purpose', label: '目的', required: true })}
<fieldset id="f-businesses"${s.errors['businesses'] ? html` aria-invalid="true" aria-describedby="f-businesses-error"` : ''}><legend>個人情報取扱事務 <span class="hint">(必須・登録されている事務の名称。複数の事務にまたがるときは「事務を追加」で行を増やせます)</span></legend>
${fieldError(s, 'businesses')}
<table class="rows"><thead><tr><th scope="col">個人情報取扱事務の名称</th><th scope="col">登録番号(分かれば)</th></tr></thead><tbody>
${Array.from(
  { length: businessRows },
  (
    _,
    i,
  ) => html`<tr><td>${bare(s, `businesses.${i}.name`, `事務${i + 1}の名称`, v.addBusinessRow && i === businessRows - 1)}${fieldError(s, `businesses.${i}.name`)}</td>
<td>${bare(s, `businesses.${i}.registration`, `事務${i + 1}の登録番号`)}${fieldError(s, `businesses.${i}.registration`)}</td></tr>`,
)}
</tbody></table>
${businessRows < ROW_LIMITS.businesses ? html`<button type="submit" name="action" value="addBusiness" class="secondary" formnovalidate>事務を追加</button> <span class="hint">(入力した内容はそのまま残ります。保存はされません)</span>` : ''}
</fieldset>

<h2>個人情報の項目と対象者</h2>
<fieldset id="f-items"${s.errors['items'] ? html` aria-invalid="true"` : ''}><legend>個人情報の項目 <span class="hint">(必須・要配慮個人情報に当たるものにチェック)</span></legend>
${fieldError(s, 'items')}
<table class="rows"><thead><tr><th scope="col">項目(例:氏名、住所、口座番号、病歴)</th><th scope="col">要配慮</th></tr></thead><tbody>
${Array.from(
  { length: itemRows },
  (_, i) => html`<tr><td>${bare(s, `items.${i}.name`, `項目${i + 1}`)}${fieldError(s, `items.${i}.name`)}</td>
<td><input type="checkbox" name="items.${i}.sensitive" aria-label="項目${i + 1}は要配慮個人情報"${s.values[`items.${i}.sensitive`] ? html` checked` : ''}></td></tr>`,
)}
</tbody></table>
<p class="hint">行が足りないときは「下書き保存」すると空の行が増えます。</p>
</fieldset>
${textArea(s, { name: 'subjects', label: '対象者の範囲', required: true, rows: 2 })}
${textField(s, { name: 'subjectCount', label: '対象者数(人)', type: 'number', required: true })}

<h2>個人情報の流れ</h2>
<fieldset id="f-flows"${s.errors['flows'] ? html` aria-invalid="true"` : ''}><legend>誰が、何を、誰に、どの方法で <span class="hint">(必須)</span></legend>
${fieldError(s, 'flows')}
<table class="rows"><thead><tr><th scope="col">送付元</th><th scope="col">送付する情報</th><th scope="col">送付先</th><th scope="col">方法</th></tr></thead><tbody>
${Array.from(
  { length: flowRows },
  (_, i) => html`<tr>
<td>${bare(s, `flows.${i}.from`, `流れ${i + 1}の送付元`)}${fieldError(s, `flows.${i}.from`)}</td>
<td>${bare(s, `flows.${i}.what`, `流れ${i + 1}の送付する情報`)}${fieldError(s, `flows.${i}.what`)}</td>
<td>${bare(s, `flows.${i}.to`, `流れ${i + 1}の送付先`)}${fieldError(s, `flows.${i}.to`)}</td>
<td>${bareSelect(s, `flows.${i}.means`, `流れ${i + 1}の方法`, options(TRANSFER_MEANS))}${fieldError(s, `flows.${i}.means`)}</td></tr>`,
)}
</tbody></table>
</fieldset>

<fieldset class="when-outsourcing"><legend>委託先(委託・再委託の場合)</legend>
<label class="choice" for="f-vendor-selecting"><input type="checkbox" id="f-vendor-selecting" name="vendor.selecting"${s.values['vendor.selecting'] ? html` checked` : ''}> 委託先は選定中です(審議の後、決まり次第この諮問のページから報告します)</label>
<div class="vendor-chosen">
${textField(s, { name: 'vendor.name', label: '委託先の名称', required: true })}
${selectField(s, { name: 'vendor.certification', label: '認証', options: options(CERTIFICATIONS), blank: '選んでください' })}
${textField(s, { name: 'vendor.certificationExpiry', label: '認証の有効期限', type: 'date' })}
${textArea(s, { name: 'vendor.subcontractors', label: '再委託先', hint: '名称と認証、再委託する作業', rows: 2 })}
</div>
</fieldset>

<fieldset class="when-abroad"><legend>外国にある第三者への提供</legend>
${textField(s, { name: 'abroad.country', label: '提供先の国名', required: true, hint: '例:アメリカ合衆国' })}
${selectField(s, { name: 'abroad.basis', label: '提供の根拠(個人情報保護法第71条第1項)', options: options(ABROAD_BASES), blank: '選んでください', required: true })}
${textArea(s, { name: 'abroad.measures', label: '提供先と講じられている措置', required: true, hint: '提供先の名称、その国の個人情報保護制度、提供先が継続的に講じている措置(相当措置)の内容など', rows: 3 })}
</fieldset>

<fieldset class="when-online-link"><legend>結合先(オンライン結合・クラウド化の場合)</legend>
${textField(s, { name: 'linkedSystem.party', label: '結合先', required: true, hint: '例:○○株式会社のデータセンター' })}
${textField(s, { name: 'linkedSystem.system', label: '結合するシステム', required: true })}
${textField(s, { name: 'linkedSystem.line', label: '回線', required: true, hint: '例:LGWAN、専用線、インターネットVPN' })}
</fieldset>

<h2>安全対策</h2>
${textArea(s, { name: 'technicalSafeguards', label: '電算処理面', required: true, hint: '暗号化、アクセス制御、アクセスログ、回線など' })}
${textArea(s, { name: 'operationalSafeguards', label: '運用面', required: true, hint: '保管場所、鍵の管理、取り扱える職員の範囲など' })}

<h2>保存と廃棄、開始時期</h2>
${textField(s, { name: 'retention', label: '保存期間', required: true })}
${textArea(s, { name: 'disposal', label: '廃棄方法', required: true, rows: 2 })}
${textField(s, { name: 'plannedStart', label: '開始予定日', type: 'date', required: true })}

${latestReturn ? html`<h2>差し戻しへの回答</h2>${textArea(s, { name: 'response', label: '事務局のコメントへの回答', required: true })}` : ''}
<div class="actions">
<button type="submit" name="action" value="save" class="secondary">下書き保存</button>
<button type="submit" name="action" value="submit">${latestReturn ? '再提出する' : '提出する'}</button>
</div>
</form>
${v.consultation ? html`<p><a href="${href('AttachmentsPage', v.consultation)}">添付資料(資料1、資料1-2 …)を管理する</a> <span class="hint">(入力中の内容は先に下書き保存してください)</span></p>` : html`<p class="hint">添付資料は、下書きを保存した後に追加できます。</p>`}`,
  });
}

/** An input inside a table cell: labelled for screen readers, error-aware like the others (`focus`: the row just added). */
function bare(s: FormState, name: string, label: string, focus = false): SafeHtml {
  const id = `f-${name.replaceAll('.', '-')}`;
  const value = s.values[name];
  return html`<input type="text" id="${id}" name="${name}" aria-label="${label}" value="${Array.isArray(value) ? value[0] : (value ?? '')}"${
    s.errors[name] ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''
  }${focus ? html` autofocus` : ''}>`;
}

function bareSelect(s: FormState, name: string, label: string, opts: [string, string][]): SafeHtml {
  const id = `f-${name.replaceAll('.', '-')}`;
  const current = String(s.values[name] ?? '');
  return html`<select id="${id}" name="${name}" aria-label="${label}"${s.errors[name] ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>
<option value="">—</option>${opts.map(([value, text]) => html`<option value="${value}"${value === current ? html` selected` : ''}>${text}</option>`)}</select>`;
}

export interface ConsultationView {
  viewer: Principal;
  council: Council;
  department: Department | undefined;
  consultation: Consultation;
  rounds: ScreeningRound[];
  attachments: Attachment[];
  audit: AuditEvent[];
  followUps?: FollowUp[];
  notice?: ConsultationNotice | undefined;
  /** The secretariat's screening form, fresh or with its errors. */
  screening?: FormState | undefined;
  /** The withdrawal form, with its errors after a refused attempt. */
  withdrawal?: FormState | undefined;
  /** The vendor report form (委託先の報告), with its errors after a refused attempt. */
  vendorReport?: FormState | undefined;
}

/** The consultation as a printable 審議票, with its history and the actions open to the viewer. */
export function consultationPage(v: ConsultationView): string {
  const c = v.consultation;
  const f = c.form as ConsultationDraft;
  const editable = v.viewer.role === 'department' && (c.status === 'draft' || c.status === 'returned');
  return layout({
    title: f.title,
    principal: v.viewer,
    body: html`${notice(v.notice)}
<p>${numberOf(c)} ・ 状態:${statusBadge(c)} ・ 所管課:${v.department?.name ?? ''}</p>
${c.meetingId ? html`<p>審議予定の会議:<a href="${href('MeetingView', { councilId: c.councilId, meetingId: c.meetingId })}">会議次第を開く</a></p>` : ''}
${
  c.imported
    ? html`<p class="notice">過去の記録から取り込んだ諮問です(${c.imported.importedBy}が取込)。結果:${DECISION_OUTCOMES[c.imported.outcome]} ・ 審議日:${eraDateOrAsTyped(c.imported.decidedOn)}${c.imported.answeredOn ? ` ・ 答申日:${eraDateOrAsTyped(c.imported.answeredOn)}` : ''}</p>`
    : ''
}
${['answered', 'followups_open', 'closed'].includes(c.status) && c.imported?.outcome !== 'carried_over' ? html`<p><a class="button" href="${href('AnswerView', c)}">答申書を開く</a> <a href="${href('AnswerDocx', c)}" download>答申書を Word ファイルで保存する</a></p>` : ''}
${
  c.status === 'answer_review' && (v.viewer.role === 'chair' || v.viewer.role === 'secretariat')
    ? html`<p><a class="button" href="${href('AnswerView', c)}">答申案を確認して承認する</a></p>`
    : c.status === 'answer_review'
      ? html`<p>答申案は会長の承認を待っています。</p>`
      : ''
}
${editable ? html`<p class="no-print"><a class="button" href="${href('ConsultationEdit', c)}">${c.status === 'returned' ? '修正して再提出する' : '編集・提出する'}</a></p>` : ''}
${v.viewer.role === 'secretariat' && c.status === 'screening' ? screeningSection(v) : ''}
${c.status === 'stalled' ? stallSection(v) : ''}
${withdrawalSection(v)}
${vendorReportSection(v)}
<h2>審議票</h2>
${sheet(f, v.department, c.vendorReport)}
${
  v.followUps?.length
    ? html`<h2>条件の履行確認</h2>
<table><thead><tr><th scope="col">条件</th><th scope="col">報告する人</th><th scope="col">期限</th><th scope="col">状態</th></tr></thead><tbody>
${v.followUps.map((f) => html`<tr><td><a href="${href('FollowUpView', { ...c, followUpId: f.followUpId })}">${f.condition}</a></td><td>${f.ownerName}</td><td>${eraDateOrAsTyped(f.due)}</td><td>${FOLLOW_UP_STATUS_LABELS[f.status]}</td></tr>`)}
</tbody></table>`
    : ''
}
${
  businessesOf(f).length
    ? html`<h2>個人情報取扱事務の審議の履歴</h2>
<ul class="businesses">${businessesOf(f).map((b) => html`<li><a href="${href('BusinessHistory', { councilId: c.councilId, businessKey: keyOfBusiness(b) })}">${b.name}</a>${b.registration ? `(登録番号 ${b.registration})` : ''}</li>`)}</ul>`
    : ''
}
<h2>添付資料</h2>
${attachmentList(c, v.attachments)}
<p class="no-print"><a href="${href('AttachmentsPage', c)}">添付資料の一覧・追加</a></p>
${
  v.rounds.length
    ? html`<h2>差し戻しの記録</h2>${v.rounds.map(
        (r) => html`<h3>第${r.round}回(${formatEraDate(new Date(r.returnedAt), { weekday: false })})</h3>
<dl class="sheet"><dt>事務局のコメント</dt><dd class="pre">${r.comment}</dd><dt>所管課の回答</dt><dd class="pre">${r.response ?? '(未回答)'}</dd></dl>`,
      )}`
    : ''
}
<h2>操作・閲覧の記録</h2>
<p class="muted">最新の50件までを、古いものから順に表示しています。${v.viewer.role === 'secretariat' ? html` <a class="no-print" href="${href('AuditExport', c)}">すべての記録を CSV で出力する</a>` : ''}</p>
<table><thead><tr><th scope="col">日時</th><th scope="col">操作した人</th><th scope="col">操作</th></tr></thead><tbody>
${v.audit.map((a) => html`<tr><td>${formatTokyoTime(a.at)}</td><td>${a.actor.name}(${ACTOR_LABELS[a.actor.role]})</td><td>${a.action}</td></tr>`)}
</tbody></table>`,
  });
}

/** Why the workflow stopped, and for the secretariat the way forward: run the step again, or withdraw. */
function stallSection(v: ConsultationView) {
  const c = v.consultation;
  const stall = c.stalled;
  const secretariat = v.viewer.role === 'secretariat';
  return html`<section class="notice error" aria-labelledby="stall-heading"><h2 id="stall-heading">処理が止まっています</h2>
<p>「${stall ? CONSULTATION_STATUSES[stall.previousStatus] : ''}」の段階で、自動の処理(メール送信や記録など)が何度やり直しても失敗しました(${stall ? formatEraDate(new Date(stall.at), { weekday: false }) : ''})。入力・提出された内容は失われていません。</p>
${stall ? html`<details><summary>技術的な詳細(システム管理者向け)</summary><p class="pre">${stall.error}: ${stall.cause.slice(0, 1000)}</p></details>` : ''}
${
  !secretariat
    ? html`<p>事務局が原因を確かめて再実行します。</p>`
    : stall?.redrivenAt
      ? html`<p role="status">再実行しています(${formatEraDate(new Date(stall.redrivenAt), { weekday: false })})。しばらくしてからこのページを開き直してください。再び失敗した場合は、ここにもう一度表示されます。</p>`
      : html`<p>原因(メールサービスの停止など)が解消したら「再実行」を押してください。止まった段階から処理を続けます。</p>
<form method="post" action="${href('ConsultationRedrive', c)}" class="no-print">${csrfField()}<button type="submit">再実行する</button></form>`
}
</section>`;
}

/** Until the case is on an agenda, its department (or the secretariat for it) may withdraw it. */
function withdrawalSection(v: ConsultationView) {
  const c = v.consultation;
  const mayAct = (v.viewer.role === 'department' && v.viewer.departmentId === c.departmentId) || v.viewer.role === 'secretariat';
  if (!mayAct || !isWithdrawable(c)) return '';
  const s = v.withdrawal ?? { values: {}, errors: {} };
  return html`<details class="no-print"${Object.keys(s.errors).length ? html` open` : ''}><summary>この諮問を取り下げる</summary>
<form method="post" action="${href('ConsultationWithdraw', c)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
<p>取り下げると、この諮問は審議されず、元に戻せません。記録は残ります。</p>
${textArea(s, { name: 'reason', label: '取り下げの理由', required: true, rows: 3 })}
<button type="submit" class="secondary">取り下げる</button>
</form></details>`;
}

/** After the decision, the department reports the vendor its form left 「選定中」. */
function vendorReportSection(v: ConsultationView) {
  const c = v.consultation;
  if (v.viewer.role !== 'department' || v.viewer.departmentId !== c.departmentId) return '';
  const s = v.vendorReport ?? { values: {}, errors: {} };
  // Reported meanwhile (another tab, a colleague): only why this report was not taken.
  if (!awaitsVendorReport(c)) return v.vendorReport ? html`<section class="no-print">${errorSummary(s)}</section>` : '';
  return html`<section class="no-print" aria-labelledby="vendor-report-h"><h2 id="vendor-report-h">委託先を報告する</h2>
<p>提出の時点で委託先は「選定中」でした。委託先が決まったら、名称・所在地・選定日を報告してください。事務局にメールで知らせ、条件の履行報告はこの委託先の名称でお願いすることになります。</p>
<form method="post" action="${href('ConsultationVendorReport', c)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${textField(s, { name: 'name', label: '委託先の名称', required: true })}
${textField(s, { name: 'address', label: '委託先の所在地', required: true })}
${textField(s, { name: 'chosenOn', label: '選定日', type: 'date', required: true, hint: '契約・決定した日' })}
<button type="submit">委託先を報告する</button>
</form></section>`;
}

function screeningSection(v: ConsultationView) {
  const s = v.screening!;
  const c = v.consultation;
  return html`<section class="no-print"><h2>受付審査</h2>
<form method="post" action="${href('ConsultationScreen', c)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
<input type="hidden" name="requestId" value="${String(s.values['requestId'] ?? '')}">
<fieldset id="f-decision"><legend>判断</legend>
<label class="choice"><input type="radio" name="decision" value="accept"${s.values['decision'] === 'accept' ? html` checked` : ''}> 受け付けて諮問番号を付ける</label>
<label class="choice"><input type="radio" name="decision" value="return"${s.values['decision'] === 'return' ? html` checked` : ''}> 差し戻す(修正を依頼する)</label>
${fieldError(s, 'decision')}
</fieldset>
${textArea(s, { name: 'comment', label: '差し戻しの理由・修正してほしい点', hint: '差し戻すときは必須。所管課にそのまま届きます' })}
<button type="submit">決定する</button>
</form></section>`;
}

/** The vendor line of the sheet: chosen on the form, 「選定中」, or reported after the decision. */
function vendorLine(vendor: NonNullable<ConsultationDraft['vendor']>, report: Consultation['vendorReport']): string {
  if (vendor.selecting) {
    return report
      ? `選定中(提出時)\n報告された委託先:${report.name}(${report.address}、選定日 ${eraDateOrAsTyped(report.chosenOn)})`
      : '選定中(審議の後、所管課が報告します)';
  }
  return `${vendor.name ?? ''}/${CERTIFICATIONS[vendor.certification as keyof typeof CERTIFICATIONS] ?? ''}${vendor.certificationExpiry ? `(有効期限 ${vendor.certificationExpiry})` : ''}${vendor.subcontractors ? `\n再委託先:${vendor.subcontractors}` : ''}`;
}

export function sheet(f: ConsultationDraft, department: Department | undefined, vendorReport?: Consultation['vendorReport']) {
  const row = (label: string, value: SafeHtml | string | number | undefined) => html`<dt>${label}</dt><dd class="pre">${value ?? ''}</dd>`;
  const abroad = f.abroad && (f.triggers ?? []).includes('abroad') ? f.abroad : undefined;
  return html`<dl class="sheet">
${row('件名', f.title)}
${row('所管課・担当者', `${department?.name ?? ''} ${f.contactName ?? ''}(${f.contactPhone ?? ''})`)}
${row('諮問の区分', (f.triggers ?? []).map((t) => TRIGGERS[t]).join('、'))}
${row('目的', f.purpose)}
${row(
  '個人情報取扱事務',
  businessesOf(f)
    .map((b) => `${b.name}${b.registration ? `(登録番号 ${b.registration})` : ''}`)
    .join('\n'),
)}
${row('個人情報の項目', html`${(f.items ?? []).map((i) => html`${i.name}${i.sensitive ? html`<strong>(要配慮)</strong>` : ''}`).flatMap((x, i) => (i ? [html`、`, x] : [x]))}`)}
${row('対象者', `${f.subjects ?? ''}(${/^\d+$/.test(String(f.subjectCount ?? '').trim()) ? formatCount(Number(String(f.subjectCount).trim())) : (f.subjectCount ?? '')}人)`)}
${row('個人情報の流れ', html`${(f.flows ?? []).map((x) => html`${x.from} → ${x.to}:${x.what}(${TRANSFER_MEANS[x.means as keyof typeof TRANSFER_MEANS] ?? x.means ?? ''})<br>`)}`)}
${f.vendor ? row('委託先', vendorLine(f.vendor, vendorReport)) : ''}
${f.linkedSystem ? row('結合先', `${f.linkedSystem.party ?? ''}/${f.linkedSystem.system ?? ''}(回線:${f.linkedSystem.line ?? ''})`) : ''}
${
  abroad
    ? row(
        '外国にある第三者への提供',
        `提供先の国:${abroad.country ?? ''}\n根拠:${ABROAD_BASES[abroad.basis as keyof typeof ABROAD_BASES] ?? abroad.basis ?? ''}\n提供先と措置:${abroad.measures ?? ''}`,
      )
    : ''
}
${row('安全対策(電算処理面)', f.technicalSafeguards)}
${row('安全対策(運用面)', f.operationalSafeguards)}
${row('保存期間', f.retention)}
${row('廃棄方法', f.disposal)}
${row('開始予定日', f.plannedStart && /^\d{4}-\d{2}-\d{2}$/.test(f.plannedStart) ? formatEraDate(f.plannedStart) : f.plannedStart)}
</dl>`;
}

export function attachmentList(c: Consultation, attachments: Attachment[]) {
  if (attachments.length === 0) return html`<p class="muted">添付資料はありません。</p>`;
  return html`<table><thead><tr><th scope="col">資料</th><th scope="col">ファイル名</th><th scope="col">大きさ</th></tr></thead><tbody>
${attachments.map(
  (a) =>
    html`<tr><td>${a.label}</td><td><a href="${href('AttachmentDownload', { ...c, attachmentId: a.attachmentId })}">${a.fileName}</a></td><td>${(a.size / 1024).toFixed(0)} KB</td></tr>`,
)}</tbody></table>`;
}
