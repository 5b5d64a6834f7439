import { agendaOutline, outlineLabels } from '#shared/domain/agenda.ts';
import { CONSULTATION_STATUSES, type Consultation, DECISION_OUTCOMES, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council, Department, Member } from '#shared/domain/council.ts';
import { formatFiscalYear } from '#shared/domain/era.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import {
  type AgendaItem,
  HAND_CHOICES,
  isBundled,
  MEETING_STATUS_LABELS,
  type Meeting,
  meetingName,
  meetingWhen,
  type PendingHandOver,
} from '#shared/domain/meeting.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { type Proceedings, presentOnRoll } from '#shared/domain/proceedings.ts';
import { formatCount } from '#shared/domain/schema.ts';
import type { StaffMember } from '#shared/domain/staff.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, fieldId, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';
import { addItemForm, agendaList, removeForm } from './agenda.ts';
import { rollSection } from './proceedings.ts';

export const MEETING_NOTICES = {
  created: '会議を登録しました。議題を追加してください。',
  scheduled: '議題に追加しました。',
  updated: '議題を更新しました。',
  opened: '審議を開始しました。',
  decided: '審議の結果を記録しました。',
  decidedAll: '残りの議題すべてを全員挙手(可)として記録しました。',
  explainers: '選んだ議題の説明員を設定しました。',
  mailed: '委員に会議次第を送りました。',
  resumed: '中断していた処理を最後まで行いました。',
  changed: '会議の内容を変更しました。日時・場所の変更は委員にお知らせしました。',
  cancelled: '会議を中止しました。委員にお知らせし、予定していた諮問は日程調整待ちに戻しました。',
  removed: '議題を削除しました。諮問の議題だった場合、その諮問は日程調整待ちに戻りました。',
  requested: '報告を求めました。所管課に依頼を送り、履行確認の一覧に載せました。',
  nextPlanned: '次回の会議を登録しました(登録済みの場合は日時・場所を変更し、委員にお知らせしました)。',
  roll: '出欠・議長・開会と閉会の時刻を保存しました。各議題の出席は、この出欠から初期値が入ります。',
  attendees: '事務局・説明員を更新しました。',
} as const;
export type MeetingNotice = keyof typeof MEETING_NOTICES;
const notice = (n: MeetingNotice | undefined) => (n ? html`<div class="notice" role="status">${MEETING_NOTICES[n]}</div>` : '');

export interface MeetingsListView {
  viewer: Principal;
  council: Council;
  /** The fiscal year shown, the years that have meetings, and the nearest ones either side. */
  year: number;
  andLater: boolean;
  years: number[];
  newer?: number | undefined;
  older?: number | undefined;
  meetings: Meeting[];
  form: FormState;
}

export function meetingsPage(v: MeetingsListView): string {
  const s = v.form;
  const yearLink = (year: number) => href('MeetingsList', v.council, { year });
  return layout({
    title: `${v.council.name} 会議・書面審議`,
    principal: v.viewer,
    body: html`<h2 id="year">${formatFiscalYear(v.year)}${v.andLater ? '以降' : ''}</h2>
<form method="get" action="${href('MeetingsList', v.council)}" class="filters no-print" aria-label="年度を選ぶ"><div class="filter-row">
<label for="q-year">年度</label><select id="q-year" name="year">${v.andLater ? html`<option value="" selected>${formatFiscalYear(v.year)}以降</option>` : ''}${v.years.map((y) => html`<option value="${y}"${y === v.year && !v.andLater ? html` selected` : ''}>${formatFiscalYear(y)}</option>`)}</select>
<button type="submit">表示する</button></div></form>
${
  v.older || v.newer
    ? html`<nav class="pager no-print" aria-label="年度のページ">${v.newer ? html`<a href="${yearLink(v.newer)}" rel="prev">← ${formatFiscalYear(v.newer)}</a>` : ''}${
        v.older ? html`<a href="${yearLink(v.older)}" rel="next">${formatFiscalYear(v.older)} →</a>` : ''
      }</nav>`
    : ''
}
${
  v.meetings.length
    ? html`<table><thead><tr><th scope="col">名称</th><th scope="col">日時・期限</th><th scope="col">状態</th></tr></thead><tbody>
${v.meetings.map(
  (m) =>
    html`<tr><td><a href="${href('MeetingView', { councilId: v.council.councilId, meetingId: m.meetingId })}">${meetingName(v.council, m)}</a></td><td>${m.kind === 'written' ? '表決期限 ' : ''}${meetingWhen(m)}</td><td>${MEETING_STATUS_LABELS[m.status]}</td></tr>`,
)}</tbody></table>`
    : html`<p class="muted">${formatFiscalYear(v.year)}${v.andLater ? '以降' : ''}の会議はありません。</p>`
}
${
  v.viewer.role === 'secretariat'
    ? html`<h2>会議・書面審議を登録する</h2>
<form method="post" action="${href('MeetingCreate', v.council)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
<input type="hidden" name="requestId" value="${String(s.values['requestId'] ?? '')}">
<fieldset id="f-kind"><legend>種類</legend>
<label class="choice"><input type="radio" name="kind" value="meeting"${s.values['kind'] !== 'written' ? html` checked` : ''}> 会議を開く</label>
<label class="choice"><input type="radio" name="kind" value="written"${s.values['kind'] === 'written' ? html` checked` : ''}> 書面審議(会議を開かず、期限までに表決)</label>
${fieldError(s, 'kind')}</fieldset>
${textField(s, { name: 'date', label: '開催日(書面審議は表決期限)', type: 'date', required: true })}
<fieldset><legend>会議の場合</legend>
${textField(s, { name: 'startTime', label: '開始時刻', hint: '例:10:00', required: true })}
${textField(s, { name: 'endTime', label: '終了予定時刻', hint: '例:11:30' })}
${textField(s, { name: 'venue', label: '開催場所', hint: '例:市役所5階特別会議室', required: true })}
<fieldset id="f-publicObservation"><legend>傍聴</legend>
<label class="choice"><input type="radio" name="publicObservation" value="yes"${s.values['publicObservation'] !== 'no' ? html` checked` : ''}> 傍聴できる</label>
<label class="choice"><input type="radio" name="publicObservation" value="no"${s.values['publicObservation'] === 'no' ? html` checked` : ''}> 傍聴できない</label>
${fieldError(s, 'publicObservation')}</fieldset>
${textArea(s, { name: 'closedReason', label: '傍聴できない理由', rows: 2, hint: '例:契約前の業者の情報を扱うため' })}
</fieldset>
<button type="submit">登録する</button>
</form>`
    : ''
}`,
  });
}

/** Which meeting a link points into. */
type MeetingAt = { councilId: string; meetingId: string };

export interface MeetingView {
  viewer: Principal;
  council: Council;
  meeting: Meeting;
  name: string;
  agenda: AgendaItem[];
  cases: Map<string, Consultation>;
  waiting: Consultation[];
  /** Hand-overs an interrupted request left undone, for the secretariat to finish in one click. */
  pending: PendingHandOver[];
  members: Member[];
  departments: Department[];
  /** Follow-up reports checked by the secretariat, to be heard at this meeting (所管課からの回答). */
  reports: FollowUp[];
  notice?: MeetingNotice | undefined;
  /** A form that failed, by the item (or 'add' / 'note' / 'all' / 'roll' / 'attendees') it belongs to. */
  problem?: { target: string; state: FormState } | undefined;
  /** The roll, presiding officer and attendees recorded for the meeting. */
  proceedings?: Proceedings | undefined;
  /** The staff registry, for the secretariat to choose attendees from. */
  staff?: StaffMember[] | undefined;
}

/** Who is present by default on an item's form: the roll when taken (遅参・早退 included), else everyone. */
const rollDefault = (v: MeetingView) => presentOnRoll(v.proceedings) ?? v.members.map((m) => m.memberId);

/** 会議次第: the agenda as it is printed and mailed, with the secretariat's actions around it. */
export function meetingPage(v: MeetingView): string {
  const m = v.meeting;
  const secretariat = v.viewer.role === 'secretariat';
  const at = { councilId: v.council.councilId, meetingId: m.meetingId };
  return layout({
    title: v.name,
    principal: v.viewer,
    body: html`${notice(v.notice)}
<dl class="sheet">
<dt>${m.kind === 'written' ? '表決期限' : '開催日時'}</dt><dd>${meetingWhen(m)}</dd>
${m.kind === 'meeting' ? html`<dt>開催場所</dt><dd>${m.venue}</dd><dt>傍聴</dt><dd>${m.publicObservation ? '可' : html`不可(${m.closedReason})`}</dd>` : ''}
<dt>状態</dt><dd>${MEETING_STATUS_LABELS[m.status]}</dd>
</dl>
${m.status === 'cancelled' ? html`<p class="notice" role="status">この会議は中止しました(${m.cancelledReason ?? ''})。</p>` : ''}
${m.status === 'in_session' || m.status === 'closed' ? html`<p class="no-print"><a class="button" href="${href('MinutesEdit', at)}">会議録${secretariat ? 'を作成・出力する' : 'を見る'}</a></p>` : ''}
<h2>会議次第</h2>
<p class="no-print"><a href="${href('AgendaDocx', at)}" download>会議次第を Word ファイルで保存する</a></p>
${agendaList({
  meeting: m,
  agenda: v.agenda,
  departments: v.departments,
  secretariat,
  at,
  problem: v.problem,
  deliberation: (item, label, numbers) => deliberationItem(v, item, label, numbers, at, secretariat),
})}
${
  v.reports.length
    ? html`<h3>所管課からの回答(付帯条件の履行状況)</h3><ul>${v.reports.map((f) => html`<li><a href="${href('FollowUpView', f)}">${f.title}:${f.condition}</a>(${f.ownerName})</li>`)}</ul>`
    : ''
}
${rollSection(v)}
${secretariat ? secretariatPanel(v, at) : ''}
${secretariat ? changeForms(v, at) : ''}`,
  });
}

/**
 * The secretariat's changes to a planned meeting: its number, date, time and place (or deadline),
 * and its cancellation with the reason members are told. A cancelled meeting whose cases did not
 * all go back (an interrupted cancellation) offers to finish it.
 */
function changeForms(v: MeetingView, at: MeetingAt): SafeHtml {
  const m = v.meeting;
  const stranded = m.status === 'cancelled' && [...v.cases.values()].some((c) => c.meetingId === m.meetingId && c.status === 'scheduled');
  if (stranded)
    return html`<section class="no-print"><div class="notice error" role="alert"><h2>中止の処理が終わっていません</h2>
<p>予定していた諮問の一部が、まだ日程調整待ちに戻っていません。</p>
<form method="post" action="${href('MeetingCancel', at)}">${csrfField()}<input type="hidden" name="reason" value="${m.cancelledReason ?? ''}"><button type="submit">中止の処理を最後まで行う</button></form></div></section>`;
  if (m.status !== 'planned') return html``;
  const change =
    v.problem?.target === 'change'
      ? v.problem.state
      : emptyForm({
          seq: String(m.seq ?? ''),
          version: String(m.version),
          kind: m.kind,
          date: m.date,
          startTime: m.startTime ?? '',
          endTime: m.endTime ?? '',
          venue: m.venue ?? '',
          publicObservation: m.publicObservation === false ? 'no' : 'yes',
          closedReason: m.closedReason ?? '',
        });
  const cancel = v.problem?.target === 'cancel' ? v.problem.state : emptyForm();
  const open = v.problem?.target === 'change' || v.problem?.target === 'cancel';
  const scope = 'change';
  return html`<section class="no-print">
<details${open ? ' open' : ''}><summary>回数・日時・場所を変更する、中止する</summary>
<h2>変更する</h2>
<form method="post" action="${href('MeetingChange', at)}" class="stacked" novalidate>${csrfField()}
${errorSummary(change, { scope })}
<input type="hidden" name="kind" value="${m.kind}"><input type="hidden" name="version" value="${String(change.values['version'] ?? m.version)}">
${textField(change, { name: 'seq', label: `回数(${formatFiscalYear(m.fiscalYear)}の第何回か)`, type: 'number', required: true, scope, hint: '審議会の数え方に合わせて変えられます' })}
${textField(change, { name: 'date', label: m.kind === 'written' ? '表決期限' : '開催日', type: 'date', required: true, scope })}
${
  m.kind === 'meeting'
    ? html`${textField(change, { name: 'startTime', label: '開始時刻', required: true, scope, hint: '例:10:00' })}
${textField(change, { name: 'endTime', label: '終了時刻', scope, hint: '例:11:30' })}
${textField(change, { name: 'venue', label: '開催場所', required: true, scope })}
${selectField(change, {
  name: 'publicObservation',
  label: '傍聴',
  options: [
    ['yes', '可'],
    ['no', '不可'],
  ],
  scope,
})}
${textField(change, { name: 'closedReason', label: '傍聴できない理由', scope })}`
    : ''
}
<button type="submit">変更を保存する</button>
</form>
<h2>中止する</h2>
<p>中止すると委員にお知らせし、議題に入れた諮問は日程調整待ちに戻ります。元に戻すことはできません。</p>
<form method="post" action="${href('MeetingCancel', at)}" class="stacked" novalidate>${csrfField()}
${errorSummary(cancel, { scope: 'cancel' })}
${textField(cancel, { name: 'reason', label: '中止の理由', required: true, scope: 'cancel' })}
<button type="submit" class="danger">この会議を中止する</button>
</form>
</details>
</section>`;
}

/** The scope that makes the ids of an item's forms unique on the page (see fieldId). */
const scopeOf = (item: AgendaItem) => `item-${item.itemId}`;

function deliberationItem(v: MeetingView, item: AgendaItem, label: string, numbers: readonly number[], at: MeetingAt, secretariat: boolean): SafeHtml {
  const cases = item.consultationIds.map((id) => v.cases.get(id)).filter((c): c is Consultation => Boolean(c));
  const dept = (id: string) => v.departments.find((d) => d.departmentId === id)?.name ?? '';
  const problem = v.problem?.target === item.itemId ? v.problem.state : undefined;
  const m = v.meeting;
  const scope = scopeOf(item);
  const heading = `${label} ${item.title}`;
  return html`<li id="item-${item.itemId}"><h3 id="${scope}-heading">${heading}${isBundled(item) ? html` <span class="status">一括諮問</span>` : ''}</h3>
<ul>${cases.map(
    (c, i) =>
      html`<li>${isBundled(item) && numbers[i] ? `(${numbers[i]}) ` : ''}<a href="${href('ConsultationView', c)}">${c.number ? formatConsultationNumber(c.number) : ''} ${c.form.title}</a>(${dept(c.departmentId)})・ <span class="status">${CONSULTATION_STATUSES[c.status]}</span>${
        c.status === 'answered' || c.status === 'followups_open' || c.status === 'closed' ? html` ・ <a href="${href('AnswerView', c)}">答申書</a>` : ''
      }</li>`,
  )}</ul>
<p>説明員:${item.explainers || '(未定)'}</p>
${
  item.decision
    ? html`<p><strong>結果:${DECISION_OUTCOMES[item.decision.outcome]}</strong></p>${
        item.decision.conditions.length ? html`<p>条件</p><ol>${item.decision.conditions.map((c) => html`<li>${c}</li>`)}</ol>` : ''
      }${item.decision.opinions?.length ? html`<p>意見・要望(条件ではありません)</p><ol>${item.decision.opinions.map((c) => html`<li>${c}</li>`)}</ol>` : ''}`
    : ''
}
${
  secretariat && m.status === 'planned'
    ? html`<form method="post" action="${href('AgendaItemUpdate', { ...at, itemId: item.itemId })}" class="stacked no-print" novalidate aria-labelledby="${scope}-heading">${csrfField()}
${problem ? errorSummary(problem, { scope }) : ''}
${textField(problem ?? emptyForm({ explainers: item.explainers }), { name: 'explainers', label: `説明員(${heading})`, hint: '例:福祉部生活福祉課長 ○○', scope })}
<div class="actions"><button type="submit" class="secondary">説明員を保存<span class="visually-hidden">(${heading})</span></button>
<button type="submit" name="move" value="up" class="secondary" aria-label="「${item.title}」を上へ移動">上へ</button>
<button type="submit" name="move" value="down" class="secondary" aria-label="「${item.title}」を下へ移動">下へ</button></div>
</form>
${removeForm({ at }, item)}`
    : ''
}
${item.voting ? votingStatus(item, at, v) : ''}
${
  item.chairWording?.status === 'awaiting'
    ? html`<p class="notice">議長による条件・意見の文言の確定を待っています。 <a href="${href('ConditionsView', { ...at, itemId: item.itemId })}">条件の確定へ</a></p>`
    : ''
}
${secretariat && m.status === 'in_session' && m.kind === 'meeting' && !item.decision && !item.chairWording ? handsForm(v, item, at, problem, heading) : ''}
</li>`;
}

function handsForm(v: MeetingView, item: AgendaItem, at: MeetingAt, problem: FormState | undefined, heading: string): SafeHtml {
  const s = problem ?? emptyForm({ mode: 'all', present: rollDefault(v) });
  const present = new Set([s.values['present'] ?? []].flat());
  const scope = scopeOf(item);
  const invalid = (name: string) => (s.errors[name] ? html` aria-invalid="true" aria-describedby="${fieldId(name, scope)}-error"` : '');
  return html`<form method="post" action="${href('DecisionRecord', { ...at, itemId: item.itemId })}" class="stacked no-print" novalidate aria-label="${heading}の表決">${csrfField()}
${errorSummary(s, { scope })}
<fieldset id="${fieldId('present', scope)}"${invalid('present')}><legend>この議題に出席している委員</legend>
${v.members.map((m) => html`<label class="choice"><input type="checkbox" name="present" value="${m.memberId}"${present.has(m.memberId) ? html` checked` : ''}> ${m.name}</label>`)}
${fieldError(s, 'present', scope)}</fieldset>
<fieldset id="${fieldId('mode', scope)}" role="radiogroup" aria-required="true"${invalid('mode')}><legend>表決${isBundled(item) ? '(一括諮問のすべてに適用)' : ''} <span class="hint">(必須)</span></legend>
<label class="choice"><input type="radio" name="mode" value="all"${s.values['mode'] === 'all' ? html` checked` : ''}> 全員挙手(出席委員全員が可)</label>
<label class="choice"><input type="radio" name="mode" value="each"${s.values['mode'] === 'each' ? html` checked` : ''}> 委員ごとに記録する</label>
<label class="choice"><input type="radio" name="mode" value="continue"${s.values['mode'] === 'continue' ? html` checked` : ''}> 継続審議とする</label>
${fieldError(s, 'mode', scope)}</fieldset>
<table class="rows"><caption class="visually-hidden">委員ごとの表決(${heading})</caption><thead><tr><th scope="col">委員</th><th scope="col">委員ごとに記録するとき</th></tr></thead><tbody>
${v.members.map((m) => {
  const name = `vote.${m.memberId}`;
  return html`<tr><td>${m.name}</td><td><select id="${fieldId(name, scope)}" name="${name}" aria-label="${m.name}の表決"${invalid(name)}>
<option value="">—</option>${Object.entries(HAND_CHOICES).map(([value, label]) => html`<option value="${value}"${s.values[name] === value ? html` selected` : ''}>${label}</option>`)}
</select>${fieldError(s, name, scope)}</td></tr>`;
})}</tbody></table>
${textArea(s, { name: 'conditions', label: '付す条件(会長のとりまとめた文言。1行に1つ。可決のとき条件付き可になります)', scope })}
${textArea(s, { name: 'opinions', label: '付す意見・要望(条件ではなく、履行状況の報告を求めるもの。1行に1つ。条件がなければ「可(意見付き)」になります)', scope })}
<label class="choice"><input type="checkbox" name="wording" value="chair"${s.values['wording'] === 'chair' ? html` checked` : ''}> 条件・意見の文言は議長が確定する(可決のとき、議長の確定を待って結果になります)</label>
<button type="submit">結果を記録する<span class="visually-hidden">(${heading})</span></button>
</form>`;
}

function votingStatus(item: AgendaItem, at: MeetingAt, v: MeetingView): SafeHtml {
  const voting = item.voting!;
  const name = (id: string) => v.members.find((m) => m.memberId === id)?.name ?? id;
  if (voting.status === 'open') {
    const voted = voting.eligible.filter((id) => item.ballots?.[id]);
    return html`<p>書面による表決:受付中(期限 ${voting.deadline})・ 表決済み ${voted.length}/${voting.eligible.length}名</p>
<ul class="turnout">${voting.eligible.map((id) => html`<li>${name(id)}:${item.ballots?.[id] ? '表決済み' : '未表決'}</li>`)}</ul>`;
  }
  const t = voting.tally;
  return html`<p>書面による表決:締切 ・ 可 ${t?.for ?? 0}・否 ${t?.against ?? 0}・棄権 ${t?.abstained ?? 0}・表決に加わらない ${t?.recused ?? 0}${t && !t.quorumMet ? '(定足数に達せず)' : ''}</p>
${voting.status === 'awaiting_chair' ? html`<p><a class="button" href="${href('ConditionsView', { ...at, itemId: item.itemId })}">会長による条件の確定へ</a></p>` : ''}`;
}

function secretariatPanel(v: MeetingView, at: MeetingAt): SafeHtml {
  const m = v.meeting;
  const add = v.problem?.target === 'add' ? v.problem.state : emptyForm();
  const steps = { schedule: '議題への登録', deliberate: '審議の開始', decide: '審議結果の反映', open_vote: '書面による表決の開始' } as const;
  const titleOf = (id: string) => v.cases.get(id)?.form.title ?? '';
  return html`<section class="no-print">
${
  v.pending.length
    ? html`<div class="notice error" role="alert"><h2>途中で止まった処理があります</h2>
<p>操作の途中で処理が中断されたため、次の諮問に会議での結果がまだ反映されていません。記録は残っています。</p>
<ul>${v.pending.map((p) => html`<li>${titleOf(p.consultationId)}:${steps[p.step]}</li>`)}</ul>
<form method="post" action="${href('MeetingResume', at)}">${csrfField()}<button type="submit">続きを処理する</button></form></div>`
    : ''
}
${
  m.status === 'planned'
    ? html`<h2>議題に諮問を入れる</h2>
${
  v.waiting.length
    ? html`<form method="post" action="${href('AgendaAdd', at)}" class="stacked" novalidate>${csrfField()}
${errorSummary(add)}
<input type="hidden" name="kind" value="deliberation">
<fieldset id="f-consultationIds"><legend>日程調整待ちの諮問</legend>
${v.waiting.map(
  (c) =>
    html`<label class="choice"><input type="checkbox" name="consultationIds" value="${c.consultationId}"> ${c.number ? formatConsultationNumber(c.number) : ''} ${c.form.title}</label>`,
)}
${fieldError(add, 'consultationIds')}</fieldset>
<fieldset><legend>議題の立て方</legend>
<label class="choice"><input type="radio" name="bundle" value="separate" checked> 1件ずつ別の議題にする</label>
<label class="choice"><input type="radio" name="bundle" value="bundle"> 同じシステムの諮問として一括諮問にする(表決は1回)</label>
</fieldset>
${textField(add, { name: 'bundleTitle', label: '一括諮問の件名', hint: '例:住民基本台帳事務 他3件' })}
<button type="submit">議題に入れる</button>
</form>`
    : html`<p class="muted">日程調整待ちの諮問はありません。</p>`
}
${explainersForm(v, at)}
<h2>審議を始める</h2>
<form method="post" action="${href('MeetingOpen', at)}">${csrfField()}<button type="submit">${m.kind === 'written' ? '書面審議を開始する' : '審議を開始する'}</button></form>`
    : ''
}
${m.status === 'planned' || m.status === 'in_session' ? addItemForm(at, v.problem?.target === 'note' ? v.problem.state : undefined, m.kind) : ''}
${m.status === 'in_session' && m.kind === 'meeting' ? allHandsForm(v, at) : ''}
${
  m.status !== 'closed'
    ? html`<h2>委員への送付</h2>
<form method="post" action="${href('AgendaMail', at)}">${csrfField()}<button type="submit" class="secondary">会議次第と資料の案内を委員(${formatCount(v.members.length)}名)に送る</button></form>`
    : ''
}
<p><a href="${href('MeetingsList', v.council)}">← 会議の一覧へ</a></p>
</section>`;
}

/**
 * The same 説明員 on several items in one step (a department explaining each of its cases):
 * tick the items, name the explainers once.
 */
function explainersForm(v: MeetingView, at: MeetingAt): SafeHtml {
  const items = v.agenda.filter((i) => i.kind === 'deliberation');
  if (items.length < 2) return html``;
  const labels = outlineLabels(agendaOutline(v.meeting, v.agenda));
  const s = v.problem?.target === 'explainers' ? v.problem.state : emptyForm();
  const chosen = new Set([s.values['itemIds'] ?? []].flat());
  const scope = 'bulk';
  const id = fieldId('itemIds', scope);
  return html`<h2 id="bulk-explainers">説明員をまとめて設定する</h2>
<form method="post" action="${href('AgendaExplainers', at)}" class="stacked" novalidate aria-labelledby="bulk-explainers">${csrfField()}
${errorSummary(s, { scope })}
<fieldset id="${id}"${s.errors['itemIds'] ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}><legend>議題 <span class="hint">(必須・複数選択可)</span></legend>
${items.map(
  (item) =>
    html`<label class="choice"><input type="checkbox" name="itemIds" value="${item.itemId}"${chosen.has(item.itemId) ? html` checked` : ''}> ${labels.get(item.itemId) ?? ''} ${item.title}${item.explainers ? html` <span class="muted">(現在:${item.explainers})</span>` : ''}</label>`,
)}
${fieldError(s, 'itemIds', scope)}</fieldset>
${textField(s, { name: 'explainers', label: '説明員', hint: '例:福祉部生活福祉課長 ○○、同課 係長 △△', required: true, scope })}
<button type="submit" class="secondary">選んだ議題の説明員を設定する</button>
</form>`;
}

/**
 * 全員挙手 for every item still to decide, from one roll of who is present: the step a clerk
 * repeats most at a meeting. Items with conditions, a carry-over or hands member by member are
 * recorded on their own forms first.
 */
function allHandsForm(v: MeetingView, at: MeetingAt): SafeHtml {
  const open = v.agenda.filter((i) => i.kind === 'deliberation' && !i.decision);
  if (open.length < 2) return html``;
  const s = v.problem?.target === 'all' ? v.problem.state : emptyForm({ present: rollDefault(v) });
  const present = new Set([s.values['present'] ?? []].flat());
  const scope = 'all';
  return html`<h2 id="all-hands">残りの議題をまとめて記録する</h2>
<form method="post" action="${href('DecisionsAllHands', at)}" class="stacked" novalidate aria-labelledby="all-hands">${csrfField()}
${errorSummary(s, { scope })}
<p>結果がまだない議題(${open.length}件:${open.map((i) => i.title).join('、')})を、議題の順に、すべて全員挙手(可・条件なし)として記録します。条件を付す議題、継続審議、委員ごとの記録は、先に各議題のフォームで記録してください。</p>
<fieldset id="${fieldId('present', scope)}"${s.errors['present'] ? html` aria-invalid="true" aria-describedby="${fieldId('present', scope)}-error"` : ''}><legend>出席している委員(すべての議題に共通)</legend>
${v.members.map((m) => html`<label class="choice"><input type="checkbox" name="present" value="${m.memberId}"${present.has(m.memberId) ? html` checked` : ''}> ${m.name}</label>`)}
${fieldError(s, 'present', scope)}</fieldset>
<button type="submit">残りの${open.length}件をすべて全員挙手(可)で記録する</button>
</form>`;
}
