import type { DirectUpload } from '#shared/domain/attachments.ts';
import { DECISION_OUTCOMES, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council } from '#shared/domain/council.ts';
import { formatEraDate, formatFiscalYear } from '#shared/domain/era.ts';
import { IMPORT_COLUMNS, IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, type ImportRow } from '#shared/domain/history-import.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { formatCount } from '#shared/domain/schema.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export interface HistoryImportView {
  viewer: Principal;
  council: Council;
  upload: DirectUpload;
  /** After an upload: the file's name and what it would write, or its problems. */
  preview?:
    | {
        key: string;
        fileName: string;
        /** The fiscal year now: the one the next acceptance numbers in. */
        currentFiscalYear: number;
        plan:
          | { ok: true; rows: { row: ImportRow; state: 'new' | 'done' }[]; nextNumbers: { fiscalYear: number; next: number }[] }
          | { ok: false; errors: string[] };
      }
    | undefined;
  /** After the confirm button: how many cases were written, and how many were there already. */
  done?: { written: number; skipped: number } | undefined;
  /** A big file not written in one request: how far it got, and the upload to go on with. */
  partial?: { written: number; remaining: number; key: string } | undefined;
}

const day = (d: string | undefined) => (d ? formatEraDate(d, { weekday: false }) : '—');

function rowsTable(rows: { row: ImportRow; state: 'new' | 'done' }[]) {
  return html`<table>
<caption>取り込む内容(${rows.length}件)</caption>
<thead><tr><th scope="col">行</th><th scope="col">諮問番号</th><th scope="col">件名</th><th scope="col">担当課</th><th scope="col">諮問日</th><th scope="col">審議日</th><th scope="col">答申日</th><th scope="col">結果</th><th scope="col">条件・意見</th><th scope="col">取込</th></tr></thead>
<tbody>${rows.map(
    ({ row, state }) =>
      html`<tr><td>${row.line}</td><td class="nowrap">${formatConsultationNumber(row.number)}</td><td>${row.title}${row.businessName !== row.title ? html`<br><span class="muted">事務:${row.businessName}</span>` : ''}</td><td>${row.departmentName}</td><td class="nowrap">${day(row.consultedOn)}</td><td class="nowrap">${day(row.decidedOn)}</td><td class="nowrap">${day(row.answeredOn)}</td><td class="nowrap">${DECISION_OUTCOMES[row.outcome]}</td><td>${
        row.conditions.length ? html`<ul>${row.conditions.map((c) => html`<li>${c.text}(${c.done ? '完了' : '対応中:履行確認に載せます'})</li>`)}</ul>` : '—'
      }</td><td class="nowrap">${state === 'new' ? '新規' : '取込済み(書き込みません)'}</td></tr>`,
  )}</tbody></table>`;
}

function previewSection(council: Council, preview: NonNullable<HistoryImportView['preview']>) {
  const { plan } = preview;
  if (!plan.ok) {
    return html`<section aria-labelledby="preview-heading"><h2 id="preview-heading">「${preview.fileName}」の確認結果</h2>
<div class="notice error" role="alert"><p>このファイルは取り込めません。次の${plan.errors.length}件を直して、もう一度アップロードしてください。何も書き込んでいません。</p>
<ul class="import-errors">${plan.errors.map((e) => html`<li>${e}</li>`)}</ul></div></section>`;
  }
  const fresh = plan.rows.filter((r) => r.state === 'new').length;
  return html`<section aria-labelledby="preview-heading"><h2 id="preview-heading">「${preview.fileName}」の確認結果</h2>
<div class="notice" role="status">${
    fresh
      ? `${plan.rows.length}件すべてを読み取れました。内容を確かめてから「取り込む」を押してください。まだ何も書き込んでいません。`
      : `${plan.rows.length}件はすべて取込済みです。書き込むものはありません。`
  }</div>
${rowsTable(plan.rows)}
<p>取込後の諮問番号:${plan.nextNumbers.map(
    (y, i) =>
      html`${i ? '、' : ''}${formatFiscalYear(y.fiscalYear)}は${y.fiscalYear === preview.currentFiscalYear ? `次に受け付ける諮問が第${y.next}号` : `第${y.next - 1}号まで`}`,
  )}になります。</p>
${
  fresh
    ? html`<form method="post" action="${href('ImportConfirm', council)}">${csrfField()}
<input type="hidden" name="key" value="${preview.key}">
<button type="submit">${fresh}件を取り込む</button>
</form>`
    : ''
}</section>`;
}

/** 過去の諮問の取込: the CSV's format and template, the upload form (straight to storage), the preview and the confirm button. */
export function historyImportPage(v: HistoryImportView): string {
  return layout({
    title: `${v.council.name} 過去の諮問の取込`,
    principal: v.viewer,
    body: html`${
      v.done
        ? html`<div class="notice" role="status">${
            v.done.skipped
              ? `取り込みが終わりました。ファイルの${v.done.written + v.done.skipped}件すべてが登録されています(このとき書き込んだのは${v.done.written}件、それまでに書き込み済みだったのは${v.done.skipped}件です)。`
              : `${v.done.written}件の諮問を取り込みました。`
          }<a href="${href('ConsultationsList', v.council)}">諮問一覧</a>で確かめられます。</div>`
        : ''
    }
${
  v.partial
    ? html`<div class="notice" role="status">${v.partial.written}件を書き込みました。残りが${v.partial.remaining}件あります。「続きを取り込む」を押してください(書き込んだ諮問を二重に登録することはありません)。</div>
<form method="post" action="${href('ImportConfirm', v.council)}">${csrfField()}
<input type="hidden" name="key" value="${v.partial.key}">
<button type="submit">続きを取り込む(残り${v.partial.remaining}件)</button>
</form>`
    : ''
}
${v.preview ? previewSection(v.council, v.preview) : ''}
<h2>CSVファイルの形</h2>
<p>これまでに答申した諮問を、1行に1件ずつ書いた CSV ファイルから取り込みます。取り込んだ諮問は諮問一覧と事務ごとの履歴に「完了」として載り、「対応中」の条件は条件の履行確認に載って所管課に期限が示されます。各年度の諮問番号は、取り込んだ最大の番号の次から続きます。</p>
<p><a href="${href('ImportTemplate', v.council)}" download>テンプレート(CSV、見出しの行だけ)をダウンロードする</a></p>
<dl class="sheet">
<dt>列</dt><dd>${IMPORT_COLUMNS.join('、')}(「事務の名称」は省略可。省略すると件名を事務の名称とします)</dd>
<dt>諮問番号</dt><dd>年度ごとの番号(「3」または「第3号」)。同じ年度で既に使われている番号は取り込めません。</dd>
<dt>年度</dt><dd>「令和5」「R5」「令和5年度」または西暦「2023」</dd>
<dt>担当課</dt><dd>「部・課」のページに登録した名前(例:市民部 市民課、または 市民課)</dd>
<dt>諮問日・審議日・答申日</dt><dd>「令和5年6月1日」「R5.6.1」または「2023-06-01」。答申日を省略すると審議日とします(継続審議では空欄)。</dd>
<dt>結果</dt><dd>可、条件付き可、可(意見付き)、否、継続審議 のどれか</dd>
<dt>条件</dt><dd>条件付き可の条件、または可(意見付き)の意見。複数あるときはセルの中で改行するか「;」で区切ります。</dd>
<dt>条件の状況</dt><dd>条件と同じ順に、一つずつ「完了」か「対応中」。対応中の条件は、答申日から条件の種類ごとの標準の期間(過ぎていれば今日から同じ期間、少なくとも30日)を期限として履行確認に載せます。</dd>
<dt>文字コード</dt><dd>UTF-8(BOM付き・なし)または Shift_JIS(Excel の「CSV(コンマ区切り)」)</dd>
<dt>大きさ</dt><dd>${IMPORT_MAX_BYTES / 1024 / 1024}MB、${formatCount(IMPORT_MAX_ROWS)}件まで</dd>
</dl>
<h2>ファイルを選んで確認する</h2>
<p>アップロードしただけでは何も書き込みません。確認結果を見てから「取り込む」を押すと書き込みます。一つでも問題のある行があれば、どの行も書き込みません。</p>
<form method="post" action="${v.upload.url}" enctype="multipart/form-data" class="stacked">
${Object.entries(v.upload.fields).map(([k, val]) => html`<input type="hidden" name="${k}" value="${val}">`)}
<label for="file">CSVファイル <span class="hint">拡張子 .csv</span></label>
<input id="file" type="file" name="file" accept=".csv,text/csv" required>
<button type="submit">アップロードして確認する</button>
</form>`,
  });
}
