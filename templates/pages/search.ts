import type { Department } from '#shared/domain/council.ts';
import { formatEraDate, formatFiscalYear } from '#shared/domain/era.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { SEARCH_KINDS, SEARCH_PAGE_SIZE, type SearchDocument, type SearchQuery, type SnippetPart } from '#shared/domain/search.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

export const SEARCH_NOTICES = {
  built: '索引を作成しました。これまでの諮問・答申・条件・会議録を検索できます。',
  partial: '索引の作成を途中まで進めました。「索引の作成を続ける」を押して続けてください。',
} as const;
export type SearchNotice = keyof typeof SEARCH_NOTICES;

export interface SearchView {
  viewer: Principal;
  query: SearchQuery;
  asked: boolean;
  departments: Department[];
  years: number[];
  build?: { doneAt?: string | undefined; indexed: number; position?: string | undefined } | undefined;
  total: number;
  hits: { doc: SearchDocument; all: boolean; snippet: SnippetPart[] }[];
  next?: number | undefined;
  prev?: number | undefined;
  notice?: SearchNotice | undefined;
}

/** The page of a found record: its case, answer, follow-up or meeting's minutes. */
export function recordHref(councilId: string, doc: SearchDocument): string {
  if (doc.kind === 'minutes' && doc.meetingId) return href('MinutesEdit', { councilId, meetingId: doc.meetingId });
  if (doc.kind === 'condition' && doc.consultationId && doc.followUpId)
    return href('FollowUpView', { councilId, consultationId: doc.consultationId, followUpId: doc.followUpId });
  if (doc.kind === 'file' && doc.fileId) return href('FileView', { councilId, fileId: doc.fileId });
  if (doc.kind === 'answer' && doc.consultationId) return href('AnswerView', { councilId, consultationId: doc.consultationId });
  return href('ConsultationView', { councilId, consultationId: doc.consultationId ?? doc.recordId });
}

/** A snippet with its matches in <mark>; every part is text, escaped. */
export const snippetHtml = (parts: readonly SnippetPart[]): SafeHtml => html`${parts.map((p) => (p.hit ? html`<mark>${p.text}</mark>` : p.text))}`;

const option = (value: string | number, label: string, current: string | number | undefined) =>
  html`<option value="${value}"${String(value) === String(current ?? '') ? html` selected` : ''}>${label}</option>`;

function buildSection(v: SearchView): SafeHtml {
  if (v.viewer.role !== 'secretariat') return html``;
  const b = v.build;
  const running = b && !b.doneAt;
  return html`<section class="no-print" aria-labelledby="index-heading"><h2 id="index-heading">索引</h2>
<p>${
    b?.doneAt
      ? `これまでの記録の索引は${formatEraDate(new Date(b.doneAt), { weekday: false })}に作成しました(${b.indexed}件)。その後の諮問・答申・条件・会議録は、書かれたときに索引に加わります。`
      : running
        ? `索引の作成を途中まで進めました(${b.indexed}件)。`
        : 'この審議会のこれまでの記録の索引はまだ作成していません。検索の前に一度「索引を作成」を押してください(新しい記録は書かれたときに加わります)。'
  }</p>
<form method="post" action="${href('SearchIndexBuild', { councilId: v.viewer.councilId })}">${csrfField()}
<button type="submit" class="${b?.doneAt ? 'secondary' : ''}">${running ? '索引の作成を続ける' : b?.doneAt ? '索引を作り直す' : '索引を作成'}</button>
</form></section>`;
}

/** 先例検索: the words and filters, the ranked results with highlighted snippets, and the pages. */
export function searchPage(v: SearchView): string {
  const q = v.query;
  const councilId = v.viewer.councilId;
  const department = v.viewer.role === 'department';
  const kinds = (Object.entries(SEARCH_KINDS) as [keyof typeof SEARCH_KINDS, string][]).filter(([k]) => !department || k !== 'minutes');
  const years = [...new Set([...v.years, ...(q.year ? [q.year] : [])])].sort((a, b) => b - a);
  const deptName = (id: string | undefined) => v.departments.find((d) => d.departmentId === id)?.name ?? '';
  const filters = { q: q.q, kind: q.kind, department: department ? undefined : q.department, vendor: q.vendor, year: q.year };
  const pageLink = (n: number) => href('SearchView', { councilId }, { ...filters, page: n === 1 ? undefined : n });
  const from = (q.page - 1) * SEARCH_PAGE_SIZE;
  return layout({
    title: '先例検索',
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${SEARCH_NOTICES[v.notice]}</div>` : ''}
<p>これまでの諮問・答申・条件${department ? '' : '・会議録'}を、件名や本文の言葉で探せます${department ? '(所管課の方は、自課の諮問とその答申・条件だけが対象です)' : ''}。言葉の一部(2文字ずつ)が合うものも、合う度合いの高い順に表示します。</p>
<form method="get" action="${href('SearchView', { councilId })}" class="filters no-print" role="search" aria-label="先例検索">
<div class="filter-row">
<label for="s-q">検索する言葉</label><input id="s-q" name="q" type="search" value="${q.q ?? ''}" maxlength="100">
<button type="submit">検索する</button> <a href="${href('SearchView', { councilId })}">条件をクリア</a>
</div>
<div class="filter-row">
<label for="s-kind">種類</label><select id="s-kind" name="kind">${option('', 'すべて', undefined)}${kinds.map(([k, label]) => option(k, label, q.kind))}</select>
${department ? '' : html`<label for="s-department">所管課</label><select id="s-department" name="department">${option('', 'すべて', undefined)}${v.departments.map((d) => option(d.departmentId, d.name, q.department))}</select>`}
<label for="s-vendor">委託先</label><input id="s-vendor" name="vendor" type="text" value="${q.vendor ?? ''}" maxlength="100">
<label for="s-year">年度</label><select id="s-year" name="year">${option('', 'すべての年度', undefined)}${years.map((y) => option(y, formatFiscalYear(y), q.year))}</select>
</div>
</form>
${buildSection(v)}
<section aria-labelledby="results-heading"><h2 id="results-heading">検索結果</h2>
${
  !v.asked
    ? html`<p class="muted">言葉を入れるか、種類・所管課・委託先・年度を選んで「検索する」を押してください。</p>`
    : v.total === 0
      ? html`<p role="status">条件に合う記録はありません。</p>`
      : html`<p role="status">${v.total}件見つかりました。${from + 1}〜${Math.min(from + SEARCH_PAGE_SIZE, v.total)}件目を表示しています。</p>
<ol class="search-results" start="${from + 1}">${v.hits.map(
          (
            h,
          ) => html`<li><p><span class="status">${SEARCH_KINDS[h.doc.kind]}</span> <a href="${recordHref(councilId, h.doc)}">${h.doc.label ? `${h.doc.label} ` : ''}${h.doc.title}</a>${
            h.all ? '' : html` <span class="muted">(一部一致)</span>`
          }</p>
<p class="muted">${[deptName(h.doc.departmentId), formatFiscalYear(h.doc.fiscalYear), h.doc.vendor ? `委託先:${h.doc.vendor}` : ''].filter(Boolean).join(' ・ ')}</p>
<p class="snippet">${snippetHtml(h.snippet)}</p></li>`,
        )}</ol>`
}
${
  v.prev || v.next
    ? html`<nav class="pager no-print" aria-label="検索結果のページ">
${v.prev ? html`<a href="${pageLink(v.prev)}" rel="prev">← 前へ</a>` : ''}
${v.next ? html`<a href="${pageLink(v.next)}" rel="next">次へ →</a>` : ''}
</nav>`
    : ''
}
</section>`,
  });
}
