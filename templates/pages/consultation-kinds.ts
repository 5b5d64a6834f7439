/**
 * The parts of the 審議票 that differ by kind (諮問の種類): the new-case page's first question,
 * the fields of an individual consultation, a change of rules and a blanket approval, and how the
 * printed sheet shows them. The ordinance's form is drawn by consultations.ts as it always was.
 */
import { type ConsultationDraft, KIND_SECTION_LABELS, ORDINANCE_ACTIONS, TRIGGERS } from '#shared/domain/consultation-form.ts';
import { formKind } from '#shared/domain/consultation-kinds.ts';
import type { Council, Department } from '#shared/domain/council.ts';
import { eraDateOrAsTyped } from '#shared/domain/era.ts';
import { CONSULTATION_KINDS, type FormKind } from '#shared/domain/legal-basis.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { type FormState, fieldError, selectField, textArea, textField } from '../form.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

/** What each kind is for, in a line a department can choose by. */
const KIND_HINTS: Record<FormKind, string> = {
  ordinance_trigger: '本人外収集・目的外利用・委託・オンライン結合など、条例が定める事由に当たる取扱い',
  individual: '施行条例に基づき、個人情報の取扱いについて審議会の専門的な意見を求めるもの(法第129条)',
  ordinance_change: '個人情報保護に関する条例・規則を制定・改正・廃止するもの',
  blanket: '同じ類型の取扱いをまとめて認めてもらい、個々の取扱いは事後に報告するもの',
};

/** 新しい諮問: which kind of consultation, asked first when the council takes more than one. */
export function kindChoicePage(v: { viewer: Principal; council: Council; department: Department | undefined; kinds: FormKind[]; error?: string | undefined }) {
  return layout({
    title: '新しい諮問:諮問の種類',
    principal: v.viewer,
    body: v.kinds.length
      ? html`<p>所管課:${v.department?.name ?? ''}</p>
<form method="get" action="${href('ConsultationNew', v.council)}" class="stacked">
<fieldset id="f-kind" class="choices"${v.error ? html` aria-invalid="true" aria-describedby="f-kind-error"` : ''}><legend>諮問の種類 <span class="hint">(必須)</span></legend>
${v.kinds.map(
  (k) =>
    html`<label class="choice"><input type="radio" name="kind" value="${k}"> ${CONSULTATION_KINDS[k]} <span class="hint">— ${KIND_HINTS[k]}</span></label>`,
)}
${v.error ? html`<p class="field-error" id="f-kind-error">${v.error}</p>` : ''}
</fieldset>
<p class="hint">特定個人情報保護評価書の第三者点検は、<a href="${href('PiaList', v.council)}">評価書の点検</a>のページから依頼します。</p>
<button type="submit">次へ(審議票を入力する)</button>
</form>`
      : html`<p>この審議会が受け付ける諮問は、このフォームでは作成できません(評価書の第三者点検は、<a href="${href('PiaList', v.council)}">評価書の点検</a>のページから依頼します)。事務局にお問い合わせください。</p>`,
  });
}

/** 個別諮問: what the city asks the council's opinion on, and why expert opinion is needed. */
export function individualFields(s: FormState): SafeHtml {
  return html`${textArea(s, { name: 'question', label: '諮問する事項', required: true, rows: 3, hint: '審議会の意見を求める事項(例:〇〇システムのクラウド化に伴う個人情報の取扱いについて)' })}
${textArea(s, { name: 'reason', label: '諮問の理由(専門的知見が特に必要な理由)', required: true, rows: 4, hint: '施行条例の定めにより、審議会の専門的な知見に基づく意見を聴くことが特に必要と判断した理由' })}`;
}

/** 条例・規則の制定改廃: which rules, what changes, from when. */
export function ordinanceFields(s: FormState): SafeHtml {
  const l = KIND_SECTION_LABELS.ordinance;
  return html`<h2>条例・規則</h2>
${textField(s, { name: 'ordinance.name', label: l.name, required: true, hint: '例:さくら市個人情報の保護に関する法律施行条例' })}
${selectField(s, { name: 'ordinance.action', label: l.action, required: true, options: Object.entries(ORDINANCE_ACTIONS), blank: '選んでください' })}
${textArea(s, { name: 'ordinance.summary', label: '改正の概要', required: true, rows: 5, hint: '制定・改正・廃止の内容と理由' })}
${textField(s, { name: 'ordinance.effectiveOn', label: l.effectiveOn, type: 'date', required: true })}`;
}

/** 包括諮問: the class of handling, what later cases must match, its conditions and how they are reported. */
export function blanketFields(s: FormState): SafeHtml {
  const l = KIND_SECTION_LABELS.blanket;
  return html`${textArea(s, { name: 'purpose', label: '目的', required: true, rows: 3 })}
<h2>包括諮問の類型</h2>
${textField(s, { name: 'blanket.name', label: l.name, required: true, hint: '例:災害時における避難行動要支援者名簿の関係機関への提供' })}
${textArea(s, { name: 'blanket.scope', label: l.scope, required: true, rows: 4, hint: '後の個々の取扱いがこの類型に当たるための要件(対象となる事務・情報・提供先など)' })}
${textArea(s, { name: 'blanket.conditions', label: l.conditions, required: true, rows: 3, hint: '類型に当たる取扱いで守る条件' })}
${textArea(s, { name: 'blanket.reportMethod', label: l.reportMethod, required: true, rows: 2, hint: '例:取扱いの後、次の審議会で事後報告する' })}`;
}

/** Outside the ordinance's form, a transfer abroad is the one trigger left: ticking it adds the country and measures. */
export function abroadTick(s: FormState): SafeHtml {
  const ticked = ([] as string[]).concat(s.values['triggers'] ?? []).includes('abroad');
  return html`<fieldset id="f-triggers" class="choices"><legend>外国にある第三者への提供</legend>
<label class="choice"><input type="checkbox" name="triggers" value="abroad"${ticked ? html` checked` : ''}> ${TRIGGERS.abroad}がある(提供先の国と措置の欄が加わります)</label>
${fieldError(s, 'triggers')}
</fieldset>`;
}

/** The kind's own rows of the printed sheet (the rows common to the kinds are drawn by sheet()). */
export function kindRows(f: ConsultationDraft, row: (label: string, value: string | undefined) => SafeHtml): SafeHtml {
  const kind = formKind(f);
  if (kind === 'individual') return html`${row('諮問する事項', f.question)}${row('諮問の理由(専門的知見が特に必要な理由)', f.reason)}`;
  if (kind === 'ordinance_change') {
    const o = f.ordinance ?? {};
    const l = KIND_SECTION_LABELS.ordinance;
    return html`${row(l.name, o.name)}${row(l.action, ORDINANCE_ACTIONS[o.action as keyof typeof ORDINANCE_ACTIONS] ?? o.action)}${row('改正の概要', o.summary)}${row(l.effectiveOn, o.effectiveOn ? eraDateOrAsTyped(o.effectiveOn) : '')}`;
  }
  if (kind === 'blanket') {
    const b = f.blanket ?? {};
    const l = KIND_SECTION_LABELS.blanket;
    return html`${row('目的', f.purpose)}${row(l.name, b.name)}${row(l.scope, b.scope)}${row(l.conditions, b.conditions)}${row(l.reportMethod, b.reportMethod)}`;
  }
  return html``;
}
