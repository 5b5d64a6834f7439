import type { Principal } from '#shared/domain/principal.ts';
import { ROLE_LABELS } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { html, type SafeHtml, trusted } from './html.ts';

/** Plain, printable styles; no client-side framework, pages work without scripts. */
const STYLES = trusted(`
:root { --ink:#1d2733; --muted:#5b6675; --line:#c9d1db; --accent:#1f5fa8; --error:#b3261e; --bg:#f6f8fa; }
* { box-sizing: border-box; }
body { margin:0; font-family: "Noto Sans CJK JP","Hiragino Sans","Yu Gothic UI",sans-serif; color:var(--ink); background:#fff; line-height:1.7; }
header.site { background:var(--accent); color:#fff; padding:.6rem 1.2rem; display:flex; gap:1rem; align-items:baseline; flex-wrap:wrap; }
header.site a { color:#fff; }
header.site .who { margin-left:auto; font-size:.9rem; }
header.site ul.menu { display:flex; flex-wrap:wrap; gap:.2rem 1.2rem; list-style:none; margin:0; padding:0; }
section.waiting.alarm h2 { color:var(--error); }
.overdue { color:var(--error); }
.overdue-row td { background:#fdecea; }
main { max-width:60rem; margin:0 auto; padding:1.2rem; }
h1 { font-size:1.5rem; margin:.4rem 0 1rem; }
h2 { font-size:1.2rem; margin:1.6rem 0 .6rem; border-bottom:2px solid var(--line); }
table { border-collapse:collapse; width:100%; margin:.6rem 0; }
th, td { border:1px solid var(--line); padding:.35rem .55rem; text-align:left; vertical-align:top; }
th { background:var(--bg); font-weight:600; }
form.stacked label { display:block; font-weight:600; margin-top:.8rem; }
form.stacked .hint { color:var(--muted); font-size:.85rem; font-weight:normal; }
input[type=text], input[type=email], input[type=date], input[type=tel], input[type=number], select, textarea { width:100%; max-width:32rem; padding:.4rem; font:inherit; border:1px solid var(--line); border-radius:3px; }
input[aria-invalid=true], select[aria-invalid=true], textarea[aria-invalid=true] { border-color:var(--error); border-width:2px; }
.field-error { color:var(--error); font-size:.9rem; margin:.2rem 0 0; }
.notice { padding:.6rem .8rem; border-left:4px solid var(--accent); background:var(--bg); margin:.8rem 0; }
.notice.error { border-color:var(--error); }
button, .button { display:inline-block; margin-top:1rem; padding:.45rem 1.2rem; font:inherit; background:var(--accent); color:#fff; border:0; border-radius:3px; cursor:pointer; text-decoration:none; }
.muted { color:var(--muted); }
nav.links ul { padding-left:1.2rem; }
ol.agenda { list-style:none; padding-left:.5rem; }
ol.agenda > li { margin:.4rem 0; }
ol.agenda > li > .agenda-heading { font-weight:bold; }
ol.items > li { margin:.8rem 0; padding:.4rem .6rem; border-left:3px solid var(--line); list-style:none; }
article.answer { max-width:44rem; margin:1rem auto; font-family:"Noto Serif CJK JP","Yu Mincho",serif; }
fieldset { border:1px solid var(--line); border-radius:4px; margin:1rem 0; padding:.4rem 1rem 1rem; }
legend { font-weight:600; padding:0 .3rem; }
fieldset[aria-invalid=true] { border-color:var(--error); border-width:2px; }
label.choice { display:block; font-weight:normal; margin:.2rem 0; }
textarea { width:100%; max-width:48rem; }
table.rows input[type=text], table.rows select { max-width:none; }
.status { display:inline-block; padding:0 .5rem; border-radius:3px; background:#e8eef6; font-size:.9rem; }
.number { font-weight:700; }
dl.sheet { display:grid; grid-template-columns: 14rem 1fr; border-top:1px solid var(--line); }
dl.sheet dt, dl.sheet dd { margin:0; padding:.35rem .55rem; border-bottom:1px solid var(--line); }
dl.sheet dt { background:var(--bg); font-weight:600; }
.pre { white-space:pre-wrap; }
.actions { display:flex; gap:1rem; flex-wrap:wrap; }
.visually-hidden { position:absolute; width:1px; height:1px; overflow:hidden; clip-path:inset(50%); white-space:nowrap; }
form.filters { background:var(--bg); border:1px solid var(--line); border-radius:4px; padding:.4rem .8rem .8rem; }
form.filters .filter-row { display:flex; flex-wrap:wrap; gap:.4rem .8rem; align-items:center; margin-top:.4rem; }
form.filters label { font-weight:600; }
form.filters select, form.filters input { width:auto; max-width:16rem; }
form.filters button { margin-top:0; }
nav.pager { display:flex; gap:1.5rem; margin:.6rem 0; }
.actions button.secondary { background:#fff; color:var(--accent); border:1px solid var(--accent); }
form.inline { display:inline; }
form.inline button { margin:0 0 0 .5rem; padding:.1rem .7rem; }
/* Sections that apply only to some triggers appear when those triggers are ticked; no script needed. */
form .when-outsourcing, form .when-online-link, form .when-abroad { display:none; }
form:has(input[name=triggers][value=outsourcing]:checked) .when-outsourcing,
form:has(input[name=triggers][value=online_link]:checked) .when-online-link,
form:has(input[name=triggers][value=abroad]:checked) .when-abroad,
form .when-outsourcing:has([aria-invalid=true]), form .when-online-link:has([aria-invalid=true]), form .when-abroad:has([aria-invalid=true]) { display:block; }
/* A vendor still being chosen (選定中) has no name or certification to type. */
form:has(input[name="vendor.selecting"]:checked) .vendor-chosen { display:none; }
.nowrap { white-space:nowrap; }
/* A form prints as the filled document beside it (.print-only): values, not controls. */
.print-only { display:none; }
@media print {
  header.site, form, button, .no-print { display:none !important; }
  .print-only { display:block; }
  main { max-width:none; padding:0; } a { color:inherit; text-decoration:none; }
  dl.sheet { grid-template-columns: 9rem 1fr; } dl.sheet dt, dl.sheet dd { break-inside:avoid; }
  table { font-size:.9rem; } th, td { padding:.2rem .35rem; }
}
`);

export interface LayoutOptions {
  title: string;
  principal?: Principal | undefined;
  body: SafeHtml;
  /**
   * Offer 「サインイン」 to someone not signed in: only where staff arrive (the home page, the
   * page that asks them to sign in). Pages opened from a mailed link — members' votes, vendors'
   * reports — are for people who may have no account, so they never show it.
   */
  signIn?: boolean;
}

/** What each role's navigation offers: only the pages that role may open. */
function navigation(principal: Principal): SafeHtml {
  const links: [string, string][] = [];
  if (principal.role === 'operator') {
    return html`<nav aria-label="メインメニュー"><ul class="menu"><li><a href="${href('AdminCouncils', {})}">審議会の管理</a></li></ul></nav>`;
  }
  if (principal.role === 'department' || principal.role === 'secretariat') links.push([href('ConsultationsList', principal), '諮問一覧']);
  if (principal.role === 'department' || principal.role === 'secretariat') links.push([href('FilesList', principal), 'ファイル簿・届出']);
  if (principal.role === 'department' || principal.role === 'secretariat') links.push([href('IncidentsList', principal), '漏えい等事案']);
  if (principal.role !== 'department') {
    links.push([href('MeetingsList', principal), '会議']);
    links.push([href('FollowUpsDashboard', principal), '条件の履行確認']);
  }
  links.push([href('SearchView', principal), '先例検索']);
  if (principal.role !== 'member') links.push([href('PiaList', principal), '評価書の点検']);
  links.push([href('MembersList', principal), '委員名簿']);
  if (principal.role === 'secretariat') {
    links.push([href('StaffList', principal), '職員']);
    links.push([href('DepartmentsList', principal), '部・課']);
    links.push([href('SettingsView', principal), '設定']);
    links.push([href('ImportView', principal), '過去の諮問の取込']);
  }
  links.push([href('HelpRole', { role: principal.role }), 'ヘルプ']);
  return html`<nav aria-label="メインメニュー"><ul class="menu">${links.map(([to, label]) => html`<li><a href="${to}">${label}</a></li>`)}</ul></nav>`;
}

export function layout({ title, principal, body, signIn = false }: LayoutOptions): string {
  return html`<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} | 個人情報保護審議会</title>
<style>${STYLES}</style>
</head>
<body>
<header class="site">
  <a href="/"><strong>個人情報保護審議会 審議システム</strong></a>
  ${principal ? navigation(principal) : ''}
  ${
    principal
      ? html`<span class="who">${principal.name}(${ROLE_LABELS[principal.role]}) <a href="${href('AuthSignOut', {})}">サインアウト</a></span>`
      : html`<nav aria-label="メインメニュー"><ul class="menu"><li><a href="${href('Help', {})}">ヘルプ</a></li></ul></nav>${
          signIn ? html`<span class="who"><a href="${href('AuthSignIn', {})}">サインイン</a></span>` : ''
        }`
  }
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`.value;
}
