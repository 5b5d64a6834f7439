import type { Council, Department } from '#shared/domain/council.ts';
import { formatEraDate, formatTokyoDateTime } from '#shared/domain/era.ts';
import {
  changeDays,
  FILE_FIELDS,
  type FieldSpec,
  fieldText,
  HISTORY_ACTIONS,
  PERIOD_KINDS,
  type PersonalInfoFile,
  REGISTER_TEXT,
  type RegisterVariant,
  YES_NO,
} from '#shared/domain/personal-info-files.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

export const FILE_NOTICES = {
  created: '登録しました。',
  changed: '変更を保存しました。',
  abolished: '廃止として記録しました。',
  reported: '会議の議題(報告)に、この期間の作成・変更・廃止の一覧を載せました。',
  updated: '会議の議題(報告)の一覧を、いまの内容に更新しました。',
} as const;
export type FileNotice = keyof typeof FILE_NOTICES;

const era = (d: string) => formatEraDate(d, { weekday: false });

/** 現行, or 廃止(令和7年9月30日). */
const statusOf = (f: PersonalInfoFile) => (f.abolished ? `廃止(${era(f.abolished.on)})` : '現行');

export interface FilesView {
  viewer: Principal;
  council: Council;
  variant: RegisterVariant;
  files: PersonalInfoFile[];
  departmentName: (id: string) => string;
  meetings: { meetingId: string; name: string }[];
  departments: Department[];
  /** The department the secretariat narrowed the list to. */
  departmentId?: string | undefined;
  notice?: FileNotice | undefined;
  /** Where the last report went: the meeting page to open. */
  reportedTo?: string | undefined;
  reportForm?: FormState | undefined;
}

/** The register: a department's own entries, or every department's for the secretariat, with the public exports and the yearly report. */
export function filesPage(v: FilesView): string {
  const text = REGISTER_TEXT[v.variant];
  const councilId = v.council.councilId;
  const secretariat = v.viewer.role === 'secretariat';
  const report = v.reportForm ?? emptyForm({ periodKind: 'fiscal' });
  return layout({
    title: `${text.register}`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${FILE_NOTICES[v.notice]}${v.reportedTo ? html` <a href="${v.reportedTo}">会議のページを開く</a>` : ''}</div>` : ''}
<p>${secretariat ? `各課が登録した${text.file}の一覧です。` : `この課の${text.file}の一覧です。他の課のものは表示されません。`}</p>
<p><a class="button" href="${href('FileNew', { councilId })}">${text.file}を登録する</a></p>
${
  secretariat
    ? html`<form method="get" action="${href('FilesList', { councilId })}" class="filters" role="search" aria-label="絞り込み"><div class="filter-row">
<label for="f-department">所管課</label>
<select id="f-department" name="department"><option value="">すべて</option>${v.departments.map(
        (d) => html`<option value="${d.departmentId}"${d.departmentId === v.departmentId ? html` selected` : ''}>${d.name}</option>`,
      )}</select>
<button type="submit">絞り込む</button></div></form>`
    : ''
}
${
  v.files.length
    ? html`<table>
<thead><tr><th scope="col">${FILE_FIELDS[v.variant][0]!.label}</th><th scope="col">所管課</th><th scope="col">${text.started}</th><th scope="col">変更日</th><th scope="col">状態</th></tr></thead>
<tbody>
${v.files.map(
  (f) => html`<tr>
<td><a href="${href('FileView', { councilId, fileId: f.fileId })}">${f.content.name}</a></td><td>${v.departmentName(f.departmentId)}</td><td class="nowrap">${era(f.startedOn)}</td>
<td>${changeDays(f).map(era).join('、')}</td><td>${statusOf(f)}</td>
</tr>`,
)}
</tbody>
</table>`
    : html`<p class="muted">まだ登録されていません。</p>`
}
${
  secretariat
    ? html`<h2 id="public">公表用の${text.register}</h2>
<p>市のウェブサイトに載せる形で出力します(現行のものだけ。廃止したものは載りません)。</p>
<ul>
<li><a href="${href('FilesPublicHtml', { councilId })}">印刷できる HTML で保存する</a></li>
<li><a href="${href('FilesPublicCsv', { councilId })}">CSV(Excel 用)で保存する</a></li>
</ul>
<h2 id="report">審議会への報告(年次)</h2>
<p>期間内の作成・変更・廃止の一覧を、開催予定の会議の議題(報告)として載せます。同じ期間でもう一度行うと、その議題の一覧が更新されます。</p>
<form method="post" action="${href('FilesReport', { councilId })}" class="stacked" novalidate>${csrfField()}
${errorSummary(report)}
${selectField(report, { name: 'periodKind', label: '期間の区切り', options: Object.entries(PERIOD_KINDS), required: true })}
${textField(report, { name: 'year', label: '年', required: true, hint: '西暦4桁。年度なら始まる年(例:2025 → 令和7年度)' })}
${selectField(report, { name: 'meetingId', label: '報告する会議', options: v.meetings.map((m) => [m.meetingId, m.name] as const), blank: '(選んでください)', required: true })}
<button type="submit">議題に載せる</button>
</form>`
    : ''
}`,
  });
}

/** One field of the entry form, drawn by its kind. */
function field(state: FormState, f: FieldSpec): SafeHtml {
  const common = { name: f.key, label: f.label, required: f.required, hint: f.hint };
  if (f.kind === 'text' || f.kind === 'number') return textField(state, common);
  if (f.kind === 'yesno') return selectField(state, { ...common, options: Object.entries(YES_NO), blank: '(選んでください)' });
  return textArea(state, { ...common, rows: f.kind === 'list' ? 6 : 3 });
}

export interface FileFormView {
  viewer: Principal;
  council: Council;
  variant: RegisterVariant;
  departments: Department[];
  /** The entry being changed; none for a new one. */
  file?: PersonalInfoFile | undefined;
  state: FormState;
}

/** A new entry, or a change to one (with its 変更日 and the version it was read at). */
export function fileFormPage(v: FileFormView): string {
  const text = REGISTER_TEXT[v.variant];
  const councilId = v.council.councilId;
  const action = v.file ? href('FileSave', { councilId, fileId: v.file.fileId }) : href('FileCreate', { councilId });
  return layout({
    title: v.file ? `${v.file.content.name} の変更` : `${text.file}の登録`,
    principal: v.viewer,
    body: html`<form method="post" action="${action}" class="stacked" novalidate>${csrfField()}
${errorSummary(v.state)}
${
  v.file
    ? html`<input type="hidden" name="version" value="${String(v.state.values['version'] ?? v.file.version)}">
${textField(v.state, { name: 'changedOn', label: '変更日', type: 'date', required: true, hint: '変更が効力を持つ日' })}`
    : html`${
        v.viewer.role === 'secretariat'
          ? selectField(v.state, {
              name: 'departmentId',
              label: '所管課',
              options: v.departments.map((d) => [d.departmentId, d.name] as const),
              blank: '(選んでください)',
              required: true,
            })
          : ''
      }
${textField(v.state, { name: 'startedOn', label: text.started, type: 'date', required: true })}`
}
${FILE_FIELDS[v.variant].map((f) => field(v.state, f))}
<button type="submit">${v.file ? '変更を保存する' : '登録する'}</button>
</form>
<p><a href="${v.file ? href('FileView', { councilId, fileId: v.file.fileId }) : href('FilesList', { councilId })}">戻る</a></p>`,
  });
}

export interface FileView {
  viewer: Principal;
  council: Council;
  file: PersonalInfoFile;
  departmentName: (id: string) => string;
  notice?: FileNotice | undefined;
  abolishForm?: FormState | undefined;
}

/** One entry: its fields, its dates, its whole history, and — while in force — the change and abolish actions. */
export function fileViewPage(v: FileView): string {
  const f = v.file;
  const text = REGISTER_TEXT[f.variant];
  const councilId = v.council.councilId;
  const content = f.content as unknown as Record<string, unknown>;
  const abolish = v.abolishForm ?? emptyForm({ version: String(f.version) });
  return layout({
    title: f.content.name,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${FILE_NOTICES[v.notice]}</div>` : ''}
<p><a href="${href('FilesList', { councilId })}">${text.register}の一覧へ</a></p>
<dl class="sheet">
<dt>所管課</dt><dd>${v.departmentName(f.departmentId)}</dd>
${FILE_FIELDS[f.variant].map((s) => html`<dt>${s.label}</dt><dd class="pre">${fieldText(s, content[s.key], { listSeparator: '\n' })}</dd>`)}
<dt>${text.started}</dt><dd>${era(f.startedOn)}</dd>
<dt>変更日</dt><dd>${changeDays(f).map(era).join('、') || 'なし'}</dd>
<dt>状態</dt><dd>${statusOf(f)}${f.abolished ? html`<br>理由:${f.abolished.reason}` : ''}</dd>
</dl>
${
  f.abolished
    ? ''
    : html`<div class="actions no-print"><a class="button" href="${href('FileEdit', { councilId, fileId: f.fileId })}">内容を変更する</a></div>
<details${v.abolishForm ? html` open` : ''} class="no-print"><summary>廃止する</summary>
<form method="post" action="${href('FileAbolish', { councilId, fileId: f.fileId })}" class="stacked" novalidate>${csrfField()}
${errorSummary(abolish, { scope: 'abolish' })}
<input type="hidden" name="version" value="${String(abolish.values['version'] ?? f.version)}">
${textField(abolish, { name: 'abolishedOn', label: '廃止日', type: 'date', required: true, scope: 'abolish' })}
${textArea(abolish, { name: 'reason', label: '廃止の理由', required: true, rows: 2, scope: 'abolish' })}
<button type="submit">廃止する</button>
</form></details>`
}
<h2 id="history">履歴</h2>
<table>
<thead><tr><th scope="col">版</th><th scope="col">区分</th><th scope="col">効力日</th><th scope="col">内容</th><th scope="col">操作した人・日時</th></tr></thead>
<tbody>
${[...f.history].reverse().map(
  (h) => html`<tr>
<td>${h.version}</td><td>${HISTORY_ACTIONS[f.variant][h.action]}</td><td class="nowrap">${era(h.on)}</td>
<td>${
    h.changes?.length
      ? html`<ul>${h.changes.map((c) => html`<li>${c.label}:<span class="pre">${c.before || '(空欄)'}</span> → <span class="pre">${c.after || '(空欄)'}</span></li>`)}</ul>`
      : (h.reason ?? '')
  }</td>
<td>${h.by.name}<br><span class="muted">${formatTokyoDateTime(h.at)}</span></td>
</tr>`,
)}
</tbody>
</table>`,
  });
}

/**
 * The public register as a standalone page for the city's website: every entry in force, each
 * as a table of its fields, printable one entry to a block, without the app's navigation or
 * any internal id.
 */
export function publicRegisterHtml(v: { council: Council; variant: RegisterVariant; asOf: string; columns: string[]; rows: string[][] }): string {
  const title = REGISTER_TEXT[v.variant].publicTitle(v.council.municipality);
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>
body { font-family: "Noto Sans CJK JP","Hiragino Sans","Yu Gothic UI",sans-serif; color:#1d2733; line-height:1.7; max-width:60rem; margin:0 auto; padding:1rem; }
h1 { font-size:1.4rem; } h2 { font-size:1.1rem; margin-top:2rem; }
table { border-collapse:collapse; width:100%; margin:.4rem 0 1.2rem; break-inside:avoid; }
th, td { border:1px solid #888; padding:.3rem .5rem; text-align:left; vertical-align:top; white-space:pre-wrap; }
th { width:16rem; background:#f2f2f2; font-weight:600; }
@media print { body { max-width:none; padding:0; } section { break-inside:avoid; } }
</style>
</head>
<body>
<h1>${title}</h1>
<p>${v.council.name} 事務局 ${formatEraDate(v.asOf, { weekday: false })}現在(${v.rows.length}件)</p>
${v.rows.map(
  (row, k) => html`<section>
<h2>${k + 1}. ${row[0]}</h2>
<table>
<tbody>
${v.columns.map((c, i) => html`<tr><th scope="row">${c}</th><td>${row[i] ?? ''}</td></tr>`)}
</tbody>
</table>
</section>`,
)}
${v.rows.length ? '' : html`<p>現行の登録はありません。</p>`}
</body>
</html>`.value;
}
