import { agendaOutline, outlineLabels } from '#shared/domain/agenda.ts';
import type { Council, Department, Member } from '#shared/domain/council.ts';
import { officeOf, rosterOrder } from '#shared/domain/council.ts';
import type { AgendaItem, Meeting } from '#shared/domain/meeting.ts';
import type { Principal } from '#shared/domain/principal.ts';
import {
  ATTENDANCE,
  ATTENDEE_ROLES,
  attendeeLine,
  automaticPresiding,
  departmentShortName,
  EXPLAINER,
  entriesOf,
  type MeetingEntry,
  type Proceedings,
  presidingOf,
  quorumOnRoll,
  SECRETARIAT,
  speakerOffice,
} from '#shared/domain/proceedings.ts';
import type { StaffMember } from '#shared/domain/staff.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, fieldId, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

type MeetingAt = { councilId: string; meetingId: string };

/** What the roll section of the meeting page is drawn from. */
export interface RollView {
  viewer: Principal;
  council: Council;
  meeting: Meeting;
  members: Member[];
  departments: Department[];
  proceedings?: Proceedings | undefined;
  staff?: StaffMember[] | undefined;
  problem?: { target: string; state: FormState } | undefined;
}

const officeLabel = (council: Council, memberId: string) => ({ chair: '会長', vice_chair: '副会長', member: '委員' })[officeOf(council, memberId)];

/** The roll form's values from what was recorded (everyone present, the chair presiding, before the roll is taken). */
export function rollValues(v: Pick<RollView, 'council' | 'members' | 'proceedings'>): FormState['values'] {
  const p = v.proceedings;
  const values: FormState['values'] = {
    version: String(p?.version ?? 0),
    // 自動 while the presiding officer is the one the roll implies (the chair, or the vice-chair when the chair is absent).
    presidingMemberId: p?.presidingMemberId && p.presidingMemberId !== automaticPresiding(v.council, p.roll) ? p.presidingMemberId : '',
    openedAt: p?.openedAt ?? '',
    closedAt: p?.closedAt ?? '',
  };
  for (const m of v.members) {
    const r = p?.roll.find((x) => x.memberId === m.memberId);
    values[`roll.${m.memberId}.status`] = r?.status ?? 'present';
    values[`roll.${m.memberId}.time`] = r?.time ?? '';
  }
  return values;
}

/**
 * 出欠・議長・出席者: the roll (present, absent, 遅参 / 早退 with the time), who presides, the actual
 * opening and closing times, and the secretariat attendees and explainers — each listed once.
 * The secretariat edits it; everyone else reads it.
 */
export function rollSection(v: RollView): SafeHtml {
  const m = v.meeting;
  if (m.kind !== 'meeting') return html``;
  const at: MeetingAt = { councilId: v.council.councilId, meetingId: m.meetingId };
  const p = v.proceedings;
  const roster = rosterOrder(v.council, v.members);
  const quorum = quorumOnRoll(v.council, p, v.members.length);
  const editable = v.viewer.role === 'secretariat' && m.status !== 'cancelled';
  const presiding = presidingOf(v.council, p);
  const nameOf = (id: string | undefined) => v.members.find((x) => x.memberId === id)?.name ?? '';
  const attendees = p?.attendees ?? [];
  const summary = html`<dl class="sheet">
<dt>議長</dt><dd>${presiding ? `${nameOf(presiding)}(${speakerOffice(v.council, presiding, presiding)})` : '(未定)'}</dd>
<dt>開会・閉会</dt><dd>${p?.openedAt ?? '—'}〜${p?.closedAt ?? '—'}</dd>
<dt>出欠</dt><dd>${
    p?.roll.length
      ? roster
          .map((x) => p.roll.find((r) => r.memberId === x.memberId))
          .filter((r) => r !== undefined)
          .map((r) => `${nameOf(r.memberId)}:${ATTENDANCE[r.status]}${r.time ? ` ${r.time}` : ''}`)
          .join('、')
      : '(まだ記録していません。記録するまでは全員出席として扱います)'
  }</dd>
${quorum ? html`<dt>定足数</dt><dd>出席 ${quorum.present}名/委員 ${quorum.total}名(${quorum.met ? '定足数に達しています' : '定足数に達していません'})</dd>` : ''}
${(['explainer', 'secretariat'] as const).map(
  (role) =>
    html`<dt>${ATTENDEE_ROLES[role]}</dt><dd>${
      attendees
        .filter((a) => a.role === role)
        .map((a) => attendeeLine(a, v.departments))
        .join('、') || '(なし)'
    }</dd>`,
)}
</dl>`;
  if (!editable) return html`<section aria-labelledby="roll-h"><h2 id="roll-h">出欠・議長・出席者</h2>${summary}</section>`;
  const s = v.problem?.target === 'roll' ? v.problem.state : emptyForm(rollValues(v));
  const scope = 'roll';
  const a = v.problem?.target === 'attendees' ? v.problem.state : emptyForm({ role: 'explainer' });
  const candidates = (v.staff ?? []).filter((x) => !x.disabled && (x.role === 'secretariat' || x.role === 'department'));
  const deptName = (id: string | undefined) => v.departments.find((d) => d.departmentId === id)?.name;
  return html`<section class="no-print" aria-labelledby="roll-h"><h2 id="roll-h">出欠・議長・出席者</h2>
${summary}
<details${v.problem?.target === 'roll' || !p?.roll.length ? ' open' : ''}><summary>出欠・議長・開会と閉会の時刻を記録する</summary>
<form method="post" action="${href('MeetingRoll', at)}" class="stacked" novalidate aria-label="出欠の記録">${csrfField()}
${errorSummary(s, { scope })}
<input type="hidden" name="version" value="${String(s.values['version'] ?? '0')}">
<table class="rows"><caption>出欠(遅参・早退は時刻も)</caption><thead><tr><th scope="col">委員</th><th scope="col">出欠</th><th scope="col">時刻(遅参・早退)</th></tr></thead><tbody>
${roster.map((x) => {
  const status = `roll.${x.memberId}.status`;
  const time = `roll.${x.memberId}.time`;
  const invalid = (name: string) => (s.errors[name] ? html` aria-invalid="true" aria-describedby="${fieldId(name, scope)}-error"` : '');
  return html`<tr><td>${x.name}(${officeLabel(v.council, x.memberId)})</td>
<td><select id="${fieldId(status, scope)}" name="${status}" aria-label="${x.name}の出欠"${invalid(status)}>${Object.entries(ATTENDANCE).map(
    ([value, label]) => html`<option value="${value}"${s.values[status] === value ? html` selected` : ''}>${label}</option>`,
  )}</select>${fieldError(s, status, scope)}</td>
<td><input id="${fieldId(time, scope)}" name="${time}" value="${String(s.values[time] ?? '')}" aria-label="${x.name}の遅参・早退の時刻" placeholder="14:20" size="6"${invalid(time)}>${fieldError(s, time, scope)}</td></tr>`;
})}
</tbody></table>
${selectField(s, {
  name: 'presidingMemberId',
  label: '議長',
  hint: '会長が欠席のときは副会長(または会長職務代理者)。空欄なら出席している会長、会長欠席なら副会長',
  blank: '(自動)',
  options: roster.map((x) => [x.memberId, `${x.name}(${officeLabel(v.council, x.memberId)})`] as const),
  scope,
})}
${textField(s, { name: 'openedAt', label: '開会時刻(実際)', hint: '例:10:00', scope })}
${textField(s, { name: 'closedAt', label: '閉会時刻(実際)', hint: '例:11:20', scope })}
<button type="submit">出欠と議長を保存する</button>
</form></details>
<h3 id="attendees-h">事務局・説明員</h3>
${
  attendees.length
    ? html`<ul>${attendees.map(
        (x) => html`<li>${ATTENDEE_ROLES[x.role]}:${attendeeLine(x, v.departments)}
<form method="post" action="${href('MeetingAttendees', at)}" class="inline">${csrfField()}<input type="hidden" name="remove" value="${x.attendeeId}"><button type="submit" class="secondary" aria-label="${x.name}を出席者から外す">外す</button></form></li>`,
      )}</ul>`
    : html`<p class="muted">まだいません。</p>`
}
<form method="post" action="${href('MeetingAttendees', at)}" class="stacked" novalidate aria-labelledby="attendees-h">${csrfField()}
${errorSummary(a, { scope: 'attendee' })}
${selectField(a, { name: 'role', label: '区分', options: Object.entries(ATTENDEE_ROLES), scope: 'attendee' })}
${selectField(a, {
  name: 'userId',
  label: '職員名簿から選ぶ',
  blank: '(名簿にない人は下に入力)',
  options: candidates.map(
    (x) => [x.userId, `${x.name}${x.title ? ` ${x.title}` : ''}${deptName(x.departmentId) ? `(${deptName(x.departmentId)})` : ''}`] as const,
  ),
  scope: 'attendee',
})}
${textField(a, { name: 'name', label: '氏名(名簿にない人)', hint: '例:鈴木 宏昌', scope: 'attendee' })}
${selectField(a, { name: 'departmentId', label: '部・課', blank: '(名簿のとおり、またはなし)', options: v.departments.map((d) => [d.departmentId, d.name] as const), scope: 'attendee' })}
${textField(a, { name: 'title', label: '職名', hint: '例:課長、副参事、係長', scope: 'attendee' })}
<button type="submit" class="secondary">出席者に加える</button>
</form>
<p><a class="button" href="${href('MeetingRecord', at)}">会議中の記録(質疑・意見・メモ)を開く</a></p>
</section>`;
}

export const RECORD_NOTICES = { saved: '保存しました。', removed: '記録を削除しました。' } as const;
export type RecordNotice = keyof typeof RECORD_NOTICES;

export interface RecordView {
  viewer: Principal;
  council: Council;
  meeting: Meeting;
  name: string;
  agenda: AgendaItem[];
  members: Member[];
  departments: Department[];
  proceedings?: Proceedings | undefined;
  entries: MeetingEntry[];
  notice?: RecordNotice | undefined;
  /** A row that failed: its item and row ('new' for the blank one). */
  problem?: { itemId: string; entryId: string; state: FormState } | undefined;
}

/** The people who may ask, and who may answer, as the record's select lists offer them. */
function speakers(v: RecordView) {
  const roll = v.proceedings?.roll ?? [];
  const attending = v.members.filter((m) => !roll.some((r) => r.memberId === m.memberId && r.status === 'absent'));
  const presiding = presidingOf(v.council, v.proceedings);
  const memberOptions = attending.map((m) => [m.memberId, `${m.name}(${speakerOffice(v.council, m.memberId, presiding)})`] as const);
  const explainerDepts = [
    ...new Set(
      (v.proceedings?.attendees ?? [])
        .filter((a) => a.role === 'explainer' && a.departmentId)
        .map((a) => v.departments.find((d) => d.departmentId === a.departmentId))
        .filter((d): d is Department => Boolean(d))
        .map((d) => `${EXPLAINER}(${departmentShortName(d)})`),
    ),
  ];
  const askers = [...memberOptions, [SECRETARIAT, SECRETARIAT] as const, ['other', 'その他(名前を入力)'] as const];
  const answerers = [
    [EXPLAINER, EXPLAINER] as const,
    ...explainerDepts.map((x) => [x, x] as const),
    [SECRETARIAT, SECRETARIAT] as const,
    ...memberOptions,
    ['other', 'その他(名前を入力)'] as const,
  ];
  return { askers, answerers };
}

/** A stored row as the values of its form (a name typed by hand goes back into the "other" field). */
function entryValues(e: MeetingEntry, known: { askers: readonly (readonly [string, string])[]; answerers: readonly (readonly [string, string])[] }) {
  const pick = (value: string, options: readonly (readonly [string, string])[]) =>
    !value || options.some(([k]) => k === value) ? { choice: value, other: '' } : { choice: 'other', other: value };
  const asker = pick(e.asker, known.askers);
  const answerer = pick(e.answerer, known.answerers);
  return {
    itemId: e.itemId,
    entryId: e.entryId,
    kind: e.kind,
    asker: asker.choice,
    askerOther: asker.other,
    question: e.question,
    answerer: answerer.choice,
    answererOther: answerer.other,
    answer: e.answer,
    note: e.note,
  };
}

function entryForm(v: RecordView, at: MeetingAt, item: AgendaItem, state: FormState, rowId: string, n: number, heading: string): SafeHtml {
  const { askers, answerers } = speakers(v);
  const scope = `e-${item.itemId}-${rowId}`;
  const saved = !rowId.startsWith('new');
  const note = state.values['kind'] === 'note';
  const label = saved ? `${heading} ${note ? 'メモ' : '質疑'} ${n}` : `${heading} 新しい${note ? 'メモ' : '質疑・意見'}`;
  return html`<form method="post" action="${href('MeetingRecordEntry', at)}#${scope}" id="${scope}" class="stacked entry" novalidate aria-label="${label}">${csrfField()}
${errorSummary(state, { scope })}
<input type="hidden" name="itemId" value="${item.itemId}">${saved ? html`<input type="hidden" name="entryId" value="${rowId}">` : ''}
<input type="hidden" name="kind" value="${note ? 'note' : 'qa'}">
<fieldset><legend>${saved ? `${note ? 'メモ' : '質疑・意見'} ${n}` : `新しい${note ? 'メモ' : '質疑・意見'}`}</legend>
${
  note
    ? textArea(state, { name: 'note', label: saved ? `メモ ${n}` : 'メモ(経過や発言の要旨)', rows: 2, scope })
    : html`${selectField(state, { name: 'asker', label: saved ? `質問・意見をした人(${n})` : '質問・意見をした人', blank: '—', options: askers, scope })}
${textField(state, { name: 'askerOther', label: '名前(その他のとき)', scope })}
${textArea(state, { name: 'question', label: '質問・意見', rows: 2, scope })}
${selectField(state, { name: 'answerer', label: '回答した人', hint: '意見で回答がなければ空欄のまま', blank: '—', options: answerers, scope })}
${textField(state, { name: 'answererOther', label: '名前(その他のとき)', scope })}
${textArea(state, { name: 'answer', label: '回答', rows: 2, scope })}`
}
<div class="actions"><button type="submit">${saved ? '保存する' : '追加する'}<span class="visually-hidden">(${label})</span></button>
${saved ? html`<button type="submit" name="delete" value="yes" class="secondary">削除する<span class="visually-hidden">(${label})</span></button>` : ''}</div>
</fieldset>
</form>`;
}

/**
 * 会議中の記録: the clerk's page while the meeting runs. Under each agenda item, the questions
 * (asked by a member, the secretariat or anyone named), answers (an opinion has none) and notes,
 * one form per row saved as typed; a blank row is always there for the next one, so rows never
 * run out. The minutes draft is written from them.
 */
export function recordPage(v: RecordView): string {
  const at: MeetingAt = { councilId: v.council.councilId, meetingId: v.meeting.meetingId };
  const known = speakers(v);
  // Numbered as the 会議次第 numbers them: a bundle keeps its cases' numbers ((6)〜(8)), the next item is (9).
  const labels = outlineLabels(agendaOutline(v.meeting, v.agenda));
  return layout({
    title: `会議中の記録:${v.name}`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${RECORD_NOTICES[v.notice]}</div>` : ''}
<p><a href="${href('MeetingView', at)}">← 会議次第へ戻る</a> ・ <a href="${href('MinutesEdit', at)}">会議録へ</a></p>
<p class="hint">1行ずつ「追加する」「保存する」で保存されます(ページを読み込み直しても残ります)。意見で回答がないときは、回答を空欄のまま追加してください。会議録の案は、会議録をまだ保存していない間、この記録から作り直されます。</p>
${v.agenda.map((item) => {
  const heading = item.kind === 'deliberation' ? `議事${labels.get(item.itemId) ?? ''} ${item.title}` : item.title;
  const rows = entriesOf(v.entries, item.itemId);
  const stateOf = (entryId: string, values: FormState['values']) =>
    v.problem && v.problem.itemId === item.itemId && v.problem.entryId === entryId ? v.problem.state : emptyForm(values);
  let qaN = 0;
  let noteN = 0;
  return html`<section id="item-${item.itemId}" aria-labelledby="h-${item.itemId}"><h2 id="h-${item.itemId}">${heading}</h2>
${rows.map((e) => entryForm(v, at, item, stateOf(e.entryId, entryValues(e, known)), e.entryId, e.kind === 'note' ? ++noteN : ++qaN, heading))}
${entryForm(v, at, item, stateOf('new', { kind: 'qa' }), 'new', 0, heading)}
<details${v.problem?.itemId === item.itemId && v.problem.entryId === 'new-note' ? ' open' : ''}><summary>メモを追加する</summary>
${entryForm(v, at, item, stateOf('new-note', { kind: 'note' }), 'new-note', 0, heading)}
</details>
</section>`;
})}`,
  });
}
