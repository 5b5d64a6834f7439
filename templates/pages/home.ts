import type { Council } from '#shared/domain/council.ts';
import { fiscalYear, formatEraDate, formatFiscalYear, formatWesternDate } from '#shared/domain/era.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export function homePage({ councils, principal, today }: { councils: Council[]; principal?: Principal | undefined; today: Date }): string {
  return layout({
    title: '個人情報保護審議会 審議システム',
    principal,
    body: html`<p>本日は ${formatEraDate(today)}(${formatWesternDate(today)})、${formatFiscalYear(fiscalYear(today), today)}です。</p>
<p>所管課からの諮問の受付、審議会の開催、委員の表決、答申、条件の履行確認までを一つの記録として管理します。</p>
<h2>審議会</h2>
${
  councils.length === 0
    ? html`<p class="muted">登録されている審議会はありません。</p>`
    : html`<table>
<thead><tr><th scope="col">審議会</th><th scope="col">自治体</th><th scope="col">ページ</th></tr></thead>
<tbody>
${councils.map((c) => html`<tr><td>${c.name}</td><td>${c.municipality}</td><td><a href="${href('MembersList', c)}">委員名簿</a></td></tr>`)}
</tbody></table>`
}`,
  });
}
