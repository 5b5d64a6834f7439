import { AGENDA_KIND_LABELS, agendaOutline, FREE_KINDS, type OutlineSection, WRITTEN_KINDS } from '#shared/domain/agenda.ts';
import type { Department } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, fieldId, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';

/** Which meeting a link points into. */
type MeetingAt = { councilId: string; meetingId: string };

/** What the agenda's part of the meeting page needs from the page. */
export interface AgendaPageView {
  meeting: Meeting;
  agenda: AgendaItem[];
  departments: Department[];
  secretariat: boolean;
  at: MeetingAt;
  /** A form that failed, by its target: the item id (edit), `request-<id>`, `next-<id>`. */
  problem?: { target: string; state: FormState } | undefined;
  /** Draws a deliberation item (its cases, explainers, hands …) with its number label. */
  deliberation: (item: AgendaItem, label: string, numbers: readonly number[]) => SafeHtml;
}

/**
 * 会議次第 on the meeting page, numbered as the Word file, the mail and the minutes number it:
 * top-level sections, deliberations (1), (2) … (a bundle's cases keeping their own numbers),
 * 次第外 items unnumbered. Each item not a deliberation shows its text, explainers, requests or
 * next meeting, and — for the secretariat, on a planned or open meeting — its edit, move and
 * remove forms.
 */
export function agendaList(v: AgendaPageView): SafeHtml {
  const outline = agendaOutline(v.meeting, v.agenda);
  const none = !v.agenda.some((i) => i.kind === 'deliberation');
  return html`<ol class="agenda">
${outline.map((s) => section(v, s))}
</ol>
${none ? html`<p class="muted">審議する諮問はまだ議題にありません。</p>` : ''}`;
}

function section(v: AgendaPageView, s: OutlineSection): SafeHtml {
  const number = s.number ? `${s.number} ` : '(次第外) ';
  if (s.item && !s.entries.length) return freeItem(v, s.item, `${number}${s.heading}`, s.kind === s.item.kind ? AGENDA_KIND_LABELS[s.kind] : '');
  return html`<li><span class="agenda-heading">${s.continued ? `${s.number} ${s.heading}(続き)` : `${number}${s.heading}`}</span>
<ol class="items">${s.entries.map((e) => (e.item.kind === 'deliberation' ? v.deliberation(e.item, e.label, e.numbers) : freeItem(v, e.item, `${e.label} ${e.item.title}`, '')))}</ol></li>`;
}

const editable = (m: Meeting) => m.status === 'planned' || m.status === 'in_session';

/**
 * The scope that makes the ids of an item's forms unique on the page (see fieldId). Items that
 * are not deliberations are `line-<id>` (their list entry too): `item-<id>` are the deliberations.
 */
const scopeOf = (item: AgendaItem, form = 'line') => `${form}-${item.itemId}`;

/** An item that is not a deliberation: its heading, text, explainers, requests or next meeting, and the secretariat's forms. */
function freeItem(v: AgendaPageView, item: AgendaItem, heading: string, kindLabel: string): SafeHtml {
  const scope = scopeOf(item);
  const badge = [kindLabel && kindLabel !== item.title ? kindLabel : '', item.outsideAgenda ? '次第外' : ''].filter(Boolean).join('・');
  const dept = (id: string) => v.departments.find((d) => d.departmentId === id)?.name ?? '';
  return html`<li id="${scope}"><h3 id="${scope}-heading">${heading}${badge ? html` <span class="status">${badge}</span>` : ''}</h3>
${item.text ? html`<p class="pre">${item.text}</p>` : ''}
${item.explainers ? html`<p>説明員:${item.explainers}</p>` : ''}
${
  item.requests?.length
    ? html`<p>求めた報告</p><ul>${item.requests.map(
        (r) =>
          html`<li><a href="${href('FollowUpView', { councilId: v.at.councilId, consultationId: item.itemId, followUpId: r.followUpId })}">${r.text}</a>(${dept(r.departmentId)}・期限 ${formatEraDate(r.due, { weekday: false })})</li>`,
      )}</ul>`
    : ''
}
${
  item.next
    ? html`<p>次回:${formatEraDate(item.next.date)} ${item.next.startTime}〜 ${item.next.venue} ・ <a href="${href('MeetingView', { councilId: v.at.councilId, meetingId: item.next.meetingId })}">次回の会議</a></p>`
    : ''
}
${v.secretariat && editable(v.meeting) ? editForms(v, item) : ''}
${v.secretariat && item.kind === 'report' && v.meeting.status !== 'cancelled' ? requestForm(v, item) : ''}
${v.secretariat && item.kind === 'next_meeting' && v.meeting.status !== 'cancelled' ? nextForm(v, item) : ''}
</li>`;
}

function editForms(v: AgendaPageView, item: AgendaItem): SafeHtml {
  const scope = scopeOf(item);
  const problem = v.problem?.target === item.itemId ? v.problem.state : undefined;
  const s =
    problem ??
    emptyForm({ title: item.title, text: item.text ?? '', explainers: item.explainers ?? '', ...(item.outsideAgenda ? { outsideAgenda: 'yes' } : {}) });
  const at = { ...v.at, itemId: item.itemId };
  return html`<details class="no-print"${problem ? ' open' : ''}><summary>編集・移動・削除<span class="visually-hidden">(${item.title})</span></summary>
<form method="post" action="${href('AgendaItemUpdate', at)}" class="stacked" novalidate aria-labelledby="${scope}-heading">${csrfField()}
${errorSummary(s, { scope })}
<input type="hidden" name="edit" value="free">
${textField(s, { name: 'title', label: '件名', hint: '空欄なら区分の名前', scope })}
${textArea(s, { name: 'text', label: '内容(発言の要旨・報告の内容など)', rows: 3, scope })}
${textField(s, { name: 'explainers', label: '説明員', hint: '例:デジタル行政推進課長 ○○', scope })}
${
  item.kind === 'explanation'
    ? html`<label class="choice"><input type="checkbox" name="outsideAgenda" value="yes"${s.values['outsideAgenda'] === 'yes' ? html` checked` : ''}> 次第外(事前に配った会議次第にない説明)</label>`
    : ''
}
<div class="actions"><button type="submit" class="secondary">保存<span class="visually-hidden">(${item.title})</span></button>
<button type="submit" name="move" value="up" class="secondary" aria-label="「${item.title}」を上へ移動">上へ</button>
<button type="submit" name="move" value="down" class="secondary" aria-label="「${item.title}」を下へ移動">下へ</button></div>
</form>
${removeForm(v, item)}
</details>`;
}

/** Takes the item off the agenda (a deliberation only before the meeting opens). */
export function removeForm(v: Pick<AgendaPageView, 'at'>, item: AgendaItem): SafeHtml {
  return html`<form method="post" action="${href('AgendaItemRemove', { ...v.at, itemId: item.itemId })}" class="no-print">${csrfField()}
<button type="submit" class="danger" aria-label="「${item.title}」を議題から削除">議題から削除</button>${
    item.kind === 'deliberation' ? html` <span class="hint">諮問は日程調整待ちに戻ります</span>` : ''
  }</form>`;
}

/** 「次回報告してください」: a request to a department, followed up like a condition. */
function requestForm(v: AgendaPageView, item: AgendaItem): SafeHtml {
  const target = `request-${item.itemId}`;
  const scope = scopeOf(item, 'request');
  const s = v.problem?.target === target ? v.problem.state : emptyForm();
  return html`<form method="post" action="${href('AgendaItemRequest', { ...v.at, itemId: item.itemId })}" class="stacked no-print" novalidate aria-label="${item.title}について報告を求める">${csrfField()}
${errorSummary(s, { scope })}
${textArea(s, { name: 'text', label: `所管課に求める報告(${item.title})`, rows: 2, required: true, hint: '例:再委託先の管理状況を次回報告してください', scope })}
${selectField(s, { name: 'departmentId', label: '報告する所管課', required: true, blank: '選んでください', options: v.departments.map((d) => [d.departmentId, d.name] as const), scope })}
${textField(s, { name: 'due', label: '報告の期限', type: 'date', required: true, scope })}
<button type="submit" class="secondary">報告を求める<span class="visually-hidden">(${item.title})</span></button>
</form>`;
}

/** 次回開催日程: the next meeting's date, time and place; the first save registers it. */
function nextForm(v: AgendaPageView, item: AgendaItem): SafeHtml {
  const target = `next-${item.itemId}`;
  const scope = scopeOf(item, 'next');
  const s =
    v.problem?.target === target ? v.problem.state : emptyForm({ nextDate: item.next?.date, nextStartTime: item.next?.startTime, nextVenue: item.next?.venue });
  return html`<form method="post" action="${href('AgendaNextMeeting', { ...v.at, itemId: item.itemId })}" class="stacked no-print" novalidate aria-label="次回の開催日程">${csrfField()}
${errorSummary(s, { scope })}
${textField(s, { name: 'nextDate', label: '次回の開催日', type: 'date', required: true, scope })}
${textField(s, { name: 'nextStartTime', label: '次回の開始時刻', hint: '例:10:00', required: true, scope })}
${textField(s, { name: 'nextVenue', label: '次回の開催場所', required: true, scope })}
<button type="submit" class="secondary">${item.next ? '次回の日時・場所を変更する' : '次回の会議を登録する'}</button>
</form>`;
}

/** The form that adds an item of any kind but a deliberation (those come from the cases waiting for a meeting). */
export function addItemForm(at: MeetingAt, problem: FormState | undefined, kind: Meeting['kind'] = 'meeting'): SafeHtml {
  const s = problem ?? emptyForm({ kind: 'report' });
  const scope = 'note';
  const id = fieldId('kind', scope);
  return html`<h2 id="add-item">議題を追加する(挨拶・報告・説明・その他 …)</h2>
<form method="post" action="${href('AgendaAdd', at)}" class="stacked" novalidate aria-labelledby="add-item">${csrfField()}
${errorSummary(s, { scope })}
<fieldset id="${id}"><legend>区分</legend>
${(kind === 'written' ? WRITTEN_KINDS : FREE_KINDS).map(
  (k) =>
    html`<label class="choice"><input type="radio" name="kind" value="${k}"${s.values['kind'] === k ? html` checked` : ''}> ${AGENDA_KIND_LABELS[k]}</label>`,
)}
${fieldError(s, 'kind', scope)}</fieldset>
${textField(s, { name: 'title', label: '件名', hint: '空欄なら区分の名前(例:個人情報を含むデータの取扱いに関する注意喚起について)', scope })}
${textArea(s, { name: 'text', label: '内容', rows: 2, scope })}
${textField(s, { name: 'explainers', label: '説明員', scope })}
<label class="choice"><input type="checkbox" name="outsideAgenda" value="yes"${s.values['outsideAgenda'] === 'yes' ? html` checked` : ''}> 次第外(説明のうち、事前に配った会議次第にないもの)</label>
<button type="submit" class="secondary">追加する</button>
</form>`;
}
