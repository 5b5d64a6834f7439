import type { MinutesDocument } from '#shared/domain/minutes.ts';
import { html } from '../html.ts';

/** The minutes as one self-contained, print-ready HTML file for the city's website. */
export function minutesHtml(doc: MinutesDocument): string {
  return html`<!doctype html>
<html lang="ja">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${doc.title}</title>
<style>
body { font-family: "Noto Serif CJK JP","Yu Mincho","Hiragino Mincho ProN",serif; line-height:1.8; max-width:46rem; margin:2rem auto; padding:0 1rem; color:#111; }
h1 { font-size:1.4rem; text-align:center; } h2 { font-size:1.15rem; margin-top:2rem; border-bottom:1px solid #333; } h3 { font-size:1.05rem; margin-top:1.4rem; }
table { border-collapse:collapse; width:100%; } th, td { border:1px solid #333; padding:.35rem .55rem; vertical-align:top; text-align:left; white-space:pre-wrap; } th { width:22%; background:#f3f3f3; }
p { white-space:pre-wrap; margin:.4rem 0; } p.withheld { font-style:italic; color:#444; }
@media print { body { margin:0; max-width:none; } a { color:inherit; } }
</style></head>
<body>
<h1>${doc.title}</h1>
<table>${doc.header.map(([label, value]) => html`<tr><th scope="row">${label}</th><td>${value}</td></tr>`)}</table>
<h2>会議経過</h2>
${doc.sections.map((s) => html`<h3>${s.heading}</h3>${s.blocks.filter((b) => b.text).map((b) => html`<p${b.withheld ? html` class="withheld"` : ''}>${b.text}</p>`)}`)}
</body></html>`.value;
}
