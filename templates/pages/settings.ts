import { type Council, MAJORITY_RULES, NUMBERING } from '#shared/domain/council.ts';
import { formatFiscalYear } from '#shared/domain/era.ts';
import { CONSULTATION_KINDS, councilBasis, LEGAL_BASES, REPORT_KINDS } from '#shared/domain/legal-basis.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { checkboxGroup, emptyForm, errorSummary, type FormState, fieldError, selectField, textArea, textField } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

export const SETTINGS_NOTICES = { saved: '審議会の設定を保存しました。' } as const;
export type SettingsNotice = keyof typeof SETTINGS_NOTICES;

export interface SettingsView {
  viewer: Principal;
  council: Council;
  fiscalYear: number;
  last: { consultation: number; meeting: number };
  standardConditions: string[];
  notice?: SettingsNotice | undefined;
  form?: FormState | undefined;
}

/** The form as the council's record fills it. */
export function settingsForm(v: Pick<SettingsView, 'council' | 'standardConditions'>): FormState {
  const c = v.council;
  return emptyForm({
    name: c.name,
    contact: c.contact,
    secretariatEmail: c.secretariatEmail,
    quorum: c.rules.quorum,
    chairBreaksTie: c.rules.chairBreaksTie ? 'on' : undefined,
    majority: c.rules.majority ?? 'cast',
    numbering: c.numbering ?? 'fiscal_year',
    conditionLibrary: v.standardConditions.join('\n'),
    mailSignature: c.mailSignature,
    senderName: c.senderName,
    senderAddress: c.senderAddress,
    replyTo: c.replyTo,
    ...basisValues(c),
    version: String(c.version),
  });
}

/** The basis and kinds as the form shows them: the council's, or the defaults of its basis. */
function basisValues(c: Council) {
  const b = councilBasis(c);
  return { legalBasis: b.legalBasis, consultationKinds: b.consultationKinds, reportKinds: b.reportKinds };
}

/** 根拠法令: the law the council works under, and the kinds of consultation and report it takes. */
function basisSection(state: FormState) {
  const current = String(state.values['legalBasis'] ?? '');
  const error = state.errors['legalBasis'];
  return html`<h2>根拠法令と扱う案件</h2>
<fieldset id="f-legalBasis" class="choices"${error ? html` aria-invalid="true" aria-describedby="f-legalBasis-error"` : ''}><legend>根拠法令 <span class="hint">(必須)</span></legend>
${Object.entries(LEGAL_BASES).map(
  ([value, label]) =>
    html`<label class="choice"><input type="radio" name="legalBasis" value="${value}"${value === current ? html` checked` : ''}> ${label}</label>`,
)}
${fieldError(state, 'legalBasis')}
</fieldset>
${checkboxGroup(state, {
  name: 'consultationKinds',
  legend: '受け付ける諮問の種類',
  options: Object.entries(CONSULTATION_KINDS),
  required: true,
  hint: '所管課の「新しい諮問」で選べる種類です。一つだけのときは種類を尋ねません。令和5年4月以降は、個別諮問(施行条例・法第129条)、評価書の第三者点検、条例・規則の制定改廃が主になります。',
})}
${checkboxGroup(state, {
  name: 'reportKinds',
  legend: '報告を受ける事項',
  options: Object.entries(REPORT_KINDS),
  hint: '包括諮問に基づく事後報告は、包括諮問を受け付けるか、ここで選んだときに所管課が提出できます。',
})}`;
}

/** 審議会の設定: the secretariat's page for its council's profile, rules, wordings, mail and numbering. */
export function settingsPage(v: SettingsView): string {
  const state = v.form ?? settingsForm(v);
  const year = formatFiscalYear(v.fiscalYear);
  const running = v.council.numbering === 'running';
  return layout({
    title: `${v.council.name} 設定`,
    principal: v.viewer,
    body: html`${v.notice ? html`<div class="notice" role="status">${SETTINGS_NOTICES[v.notice]}</div>` : ''}
<form method="post" action="${href('SettingsSave', v.council)}" class="stacked" novalidate>${csrfField()}
${errorSummary(state)}
<input type="hidden" name="version" value="${String(state.values['version'] ?? v.council.version)}">
<h2>審議会</h2>
${textField(state, { name: 'name', label: '審議会の名称', required: true })}
${textArea(state, { name: 'contact', label: '問い合わせ先', required: true, rows: 3, hint: 'ページとメールに載せる事務局の連絡先' })}
${textField(state, { name: 'secretariatEmail', label: '事務局のメールアドレス', type: 'email', required: true })}
${basisSection(state)}
<h2>表決の規則</h2>
${selectField(state, {
  name: 'quorum',
  label: '定足数',
  required: true,
  options: [
    ['majority', '委員の過半数'],
    ['two_thirds', '委員の3分の2以上'],
  ],
})}
<label class="choice"><input type="checkbox" id="f-chairBreaksTie" name="chairBreaksTie"${state.values['chairBreaksTie'] === 'on' ? html` checked` : ''}> 可否同数のときは会長が決する</label>
${fieldError(state, 'chairBreaksTie')}
${selectField(state, { name: 'majority', label: '可決に要する賛成', required: true, options: Object.entries(MAJORITY_RULES) })}
<p class="hint">利害関係のある委員(除斥)は、その議題の表決に加わらず、定足数と過半数の母数にも数えません(表決画面で「利害関係のため表決に加わらない」を選びます)。</p>
<h2>定型の条件</h2>
${textArea(state, { name: 'conditionLibrary', label: '定型の条件', rows: 8, hint: '1行に1つ。会長が答申の条件に挿入できます' })}
<h2>メール</h2>
${textField(state, { name: 'senderName', label: '差出人の表示名', hint: `空欄なら「${v.council.name}」` })}
${textField(state, { name: 'senderAddress', label: '差出人のアドレス', type: 'email', hint: 'SES で検証済みの、自治体のドメインのアドレス。空欄ならシステムの既定' })}
${textField(state, { name: 'replyTo', label: '返信先(Reply-To)', type: 'email', hint: '空欄なら事務局のメールアドレス' })}
${textArea(state, { name: 'mailSignature', label: 'メールの署名', rows: 4, hint: '空欄なら審議会の名称と問い合わせ先' })}
<h2>番号</h2>
${selectField(state, { name: 'numbering', label: '諮問番号の付け方', required: true, options: Object.entries(NUMBERING) })}
<p>${running ? html`諮問は通し番号で第${v.last.consultation}号まで、会議は${year}の第${v.last.meeting}回まで付番済みです。` : html`${year}は、諮問を第${v.last.consultation}号まで、会議を第${v.last.meeting}回まで付番済みです。`}紙で付番してきた番号を続けるときは、次に付ける番号を入力します(付番済みの番号には戻せません)。</p>
${textField(state, { name: 'nextConsultationNumber', label: running ? '次の諮問番号(通し番号)' : `${year}の次の諮問番号`, type: 'number' })}
${textField(state, { name: 'nextMeetingNumber', label: `${year}の次の会議の回`, type: 'number' })}
<button type="submit">設定を保存する</button>
</form>`,
  });
}
