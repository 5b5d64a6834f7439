import type { Council, Member } from '#shared/domain/council.ts';
import { formatTokyoTime } from '#shared/domain/era.ts';
import type { AgendaItem } from '#shared/domain/meeting.ts';
import type { MinutesExport } from '#shared/domain/minutes.ts';
import { type Minutes, NON_PUBLIC_REASONS } from '#shared/domain/minutes.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, fieldError, fieldId, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

/** The saved minutes as the flat values their form posts. */
export function minutesFormValues(m: Minutes): FormState['values'] {
  const values: FormState['values'] = {
    version: String(m.version),
    memberNaming: m.memberNaming,
    present: m.present,
    explainers: m.explainers,
    secretariat: m.secretariat,
    opening: m.opening,
    reports: m.reports,
    other: m.other,
    nextMeeting: m.nextMeeting,
    closing: m.closing,
    materialsNote: m.materialsNote ?? '',
  };
  m.items.forEach((item, i) => {
    values[`items.${i}.explanation`] = item.explanation;
    values[`items.${i}.explanationNonPublic`] = item.explanationNonPublic ?? '';
    values[`items.${i}.decision`] = item.decision;
    item.qa.forEach((qa, j) => {
      values[`items.${i}.qa.${j}.asker`] = qa.asker;
      values[`items.${i}.qa.${j}.question`] = qa.question;
      values[`items.${i}.qa.${j}.answerer`] = qa.answerer;
      values[`items.${i}.qa.${j}.answer`] = qa.answer;
      values[`items.${i}.qa.${j}.nonPublic`] = qa.nonPublic ?? '';
    });
  });
  return values;
}

function nonPublicSelect(s: FormState, name: string, label: string): SafeHtml {
  const current = String(s.values[name] ?? '');
  return html`<label for="f-${name.replaceAll('.', '-')}">${label}</label>
<select id="f-${name.replaceAll('.', '-')}" name="${name}"><option value="">公開する</option>${Object.entries(NON_PUBLIC_REASONS).map(
    ([value, text]) => html`<option value="${value}"${value === current ? html` selected` : ''}>非公開:${text}</option>`,
  )}</select>`;
}

const EXPORTS: [string, string][] = [
  ['docx', 'Word(.docx)'],
  ['html', 'HTML(ホームページ掲載用)'],
  ['csv', 'CSV(決定事項と条件、Excel 用)'],
];

/** 会議録の作成: the header facts, each item's explanation, Q&A and decision, non-public marks, and exports. */
export function minutesPage(v: {
  viewer: Principal;
  council: Council;
  name: string;
  agenda: AgendaItem[];
  members: Member[];
  minutes: Minutes;
  state?: FormState;
  /** The finalise form refused (its confirmation box not ticked). */
  finalize?: FormState;
  saved?: boolean;
}): string {
  const m = v.minutes;
  const s = v.state ?? emptyForm(minutesFormValues(m));
  const at = { councilId: v.council.councilId, meetingId: m.meetingId };
  const editable = v.viewer.role === 'secretariat' && m.status === 'draft';
  const fin = v.finalize ?? emptyForm();
  const present = new Set([s.values['present'] ?? []].flat());
  const deliberations = v.agenda.filter((i) => i.kind === 'deliberation');
  const qaRows = (i: number) => {
    let n = 0;
    while (s.values[`items.${i}.qa.${n}.question`] !== undefined) n++;
    return n + 2;
  };
  return layout({
    title: `会議録:${v.name}`,
    principal: v.viewer,
    body: html`${v.saved ? html`<div class="notice" role="status">保存しました。</div>` : ''}
<p><a href="${href('MeetingView', at)}">← 会議次第へ戻る</a> ・ 状態:<span class="status">${m.status === 'final' ? `確定(第${m.finalVersion}版)` : '作成中'}</span> ・ 最終更新 ${formatTokyoTime(m.updatedAt)}</p>
<section class="no-print"><h2>出力</h2>
<form method="post" action="${href('MinutesExportRequest', at)}" class="stacked">${csrfField()}
<fieldset><legend>形式</legend>${EXPORTS.map(([value, label], i) => html`<label class="choice"><input type="radio" name="format" value="${value}"${i === 0 ? html` checked` : ''}> ${label}</label>`)}</fieldset>
<fieldset><legend>版</legend>
<label class="choice"><input type="radio" name="edition" value="published" checked> 公開用(非公開の部分を除き、理由を記載)</label>
<label class="choice"><input type="radio" name="edition" value="internal"> 内部用(すべてを含む)</label></fieldset>
<button type="submit" class="secondary">出力する</button>
</form></section>
${
  editable
    ? html`<form method="post" action="${href('MinutesSave', at)}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
<input type="hidden" name="version" value="${String(s.values['version'] ?? m.version)}">
<h2>会議の概要</h2>
<fieldset><legend>出席した委員(チェックのない委員は欠席として記載)</legend>
${v.members.map((x) => html`<label class="choice"><input type="checkbox" name="present" value="${x.memberId}"${present.has(x.memberId) ? html` checked` : ''}> ${x.name}</label>`)}
</fieldset>
${textArea(s, { name: 'explainers', label: '説明員', rows: 2 })}
${textArea(s, { name: 'secretariat', label: '事務局', rows: 2 })}
<fieldset><legend>公開用の会議録での委員の表記</legend>
<label class="choice"><input type="radio" name="memberNaming" value="names"${s.values['memberNaming'] !== 'letters' ? html` checked` : ''}> 氏名で記載する</label>
<label class="choice"><input type="radio" name="memberNaming" value="letters"${s.values['memberNaming'] === 'letters' ? html` checked` : ''}> A委員、B委員…と記載する</label>
</fieldset>
<h2>会議経過</h2>
${textArea(s, { name: 'opening', label: '開会', rows: 2 })}
${deliberations.map(
  (item, i) => html`<fieldset><legend>議事(${i + 1}) ${item.title}</legend>
${textArea(s, { name: `items.${i}.explanation`, label: '説明', rows: 3 })}
${nonPublicSelect(s, `items.${i}.explanationNonPublic`, '説明の公開')}
<h3>質疑</h3>
${Array.from({ length: qaRows(i) }, (_, j) => {
  const p = `items.${i}.qa.${j}`;
  const asker = String(s.values[`${p}.asker`] ?? '');
  return html`<div class="qa">
<label for="f-${p.replaceAll('.', '-')}-asker">質問した委員</label>
<select id="f-${p.replaceAll('.', '-')}-asker" name="${p}.asker"><option value="">—</option>${v.members.map((x) => html`<option value="${x.memberId}"${x.memberId === asker ? html` selected` : ''}>${x.name}</option>`)}<option value="事務局"${asker === '事務局' ? html` selected` : ''}>事務局</option>${
    asker && asker !== '事務局' && !v.members.some((x) => x.memberId === asker) ? html`<option value="${asker}" selected>${asker}</option>` : ''
  }</select>
${textArea(s, { name: `${p}.question`, label: `質問 ${j + 1}`, rows: 2 })}
${textField(s, { name: `${p}.answerer`, label: '回答した人', hint: '例:説明員、事務局' })}
${textArea(s, { name: `${p}.answer`, label: '回答', rows: 2 })}
${nonPublicSelect(s, `${p}.nonPublic`, 'この質疑の公開')}
${fieldError(s, `${p}.question`)}
</div>`;
})}
<p class="hint">質疑が足りないときは「保存」すると空の欄が増えます。</p>
${textArea(s, { name: `items.${i}.decision`, label: '結果(採決と条件)', rows: 3 })}
</fieldset>`,
)}
${textArea(s, { name: 'reports', label: '報告', rows: 3 })}
${textArea(s, { name: 'other', label: 'その他', rows: 2 })}
${textField(s, { name: 'nextMeeting', label: '次回開催日程' })}
${textArea(s, { name: 'closing', label: '閉会', rows: 2 })}
${textField(s, { name: 'materialsNote', label: '会議資料を公開しない理由(ある場合)', hint: '例:個人情報及びセキュリティ上の情報を含む → 「会議資料は、個人情報及びセキュリティ上の情報を含むため非公開とする。」と記載' })}
<button type="submit">保存する</button>
</form>
<section class="no-print" aria-labelledby="finalize-h"><h2 id="finalize-h">確定</h2>
<form method="post" action="${href('MinutesFinalize', at)}" class="stacked" novalidate aria-labelledby="finalize-h">${csrfField()}
${errorSummary(fin, { scope: 'finalize' })}
<p>確定すると編集できなくなり、委員に確定のお知らせを送ります。先に「保存する」で内容を保存してください。</p>
<label class="choice"><input type="checkbox" id="${fieldId('confirm', 'finalize')}" name="confirm" value="yes"${fin.errors['confirm'] ? html` aria-invalid="true" aria-describedby="${fieldId('confirm', 'finalize')}-error"` : ''}> 内容を確認しました。この会議録を確定します。</label>
${fieldError(fin, 'confirm', 'finalize')}
<button type="submit" class="secondary">会議録を確定する</button></form></section>`
    : html`<p class="muted">${m.status === 'final' ? '確定した会議録です。出力して確認してください。' : '会議録は事務局が作成中です。'}</p>`
}`,
  });
}

/** An export's progress; refreshes itself until done (no script needed). */
export function exportPage(v: { viewer: Principal; job: MinutesExport; download: string | undefined; at: { councilId: string; meetingId: string } }): string {
  const running = v.job.status === 'pending' || v.job.status === 'running';
  const body = html`<p><a href="${href('MinutesEdit', v.at)}">← 会議録へ戻る</a></p>
<p role="status">${v.job.progress}(${v.job.percent}%)</p>
<progress max="100" value="${v.job.percent}">${v.job.percent}%</progress>
${v.download ? html`<p><a class="button" href="${v.download}">${v.job.fileName}をダウンロード</a></p>` : ''}
${
  v.job.status === 'failed'
    ? html`<div class="notice error" role="alert">出力に失敗しました(${v.job.progress})。会議録の内容は失われていません。</div>
<form method="post" action="${href('MinutesExportRequest', v.at)}" class="no-print">${csrfField()}
<input type="hidden" name="format" value="${v.job.format}"><input type="hidden" name="edition" value="${v.job.edition}">
<button type="submit">もう一度出力する</button>
</form>`
    : ''
}`;
  const page = layout({ title: '会議録の出力', principal: v.viewer, body });
  return running ? page.replace('<meta charset="utf-8">', '<meta charset="utf-8">\n<meta http-equiv="refresh" content="2">') : page;
}
