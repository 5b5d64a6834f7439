import { type Council, type Member, STANDARD_CONDITIONS } from '#shared/domain/council.ts';
import type { AgendaItem } from '#shared/domain/meeting.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { CHOICES, type Tally } from '#shared/domain/voting.ts';
import { href } from '#shared/routes.ts';
import { csrfField } from '../context.ts';
import { emptyForm, errorSummary, type FormState, textArea } from '../form.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

/** The chair settles the wording of the conditions a written vote approved, with the council's standard wordings at hand. */
export function conditionsPage(v: {
  viewer: Principal;
  council: Council;
  meetingId: string;
  name: string;
  item: AgendaItem;
  members: Member[];
  tally: Tally | undefined;
  /** Whether this person may settle the wording now: the chair, or the member presiding the meeting. */
  canSettle?: boolean;
  state?: FormState;
}): string {
  const ballots = Object.values(v.item.ballots ?? {});
  const memberName = (id: string) => v.members.find((m) => m.memberId === id)?.name ?? id;
  const proposed = ballots.filter((b) => b.choice === 'approve_with_conditions');
  const wording = v.item.chairWording;
  const awaiting = v.item.voting?.status === 'awaiting_chair' || wording?.status === 'awaiting';
  const s =
    v.state ??
    emptyForm(
      wording
        ? { conditions: wording.conditions.join('\n'), opinions: wording.opinions.join('\n') }
        : { conditions: (v.tally?.proposedConditions ?? []).join('\n') },
    );
  const library = v.council.conditionLibrary ?? [...STANDARD_CONDITIONS];
  return layout({
    title: `条件の確定:${v.item.title}`,
    principal: v.viewer,
    body: html`<p>${v.name}</p>
${v.tally ? html`<p>表決の結果:可 ${v.tally.for}(うち条件付き可を含む)・否 ${v.tally.against}・棄権 ${v.tally.abstained}・表決に加わらない ${v.tally.recused}(定足数 ${v.tally.quorumMet ? '充足' : '不足'})</p>` : ''}
${
  wording
    ? html`<p>会議で可決され、条件・意見の文言は議長が確定することになりました。</p>`
    : html`<h2>委員から出された条件</h2>
${proposed.length ? html`<ul>${proposed.map((b) => html`<li>${memberName(b.memberId)} 委員(${CHOICES[b.choice]})<ul>${b.conditions.map((c) => html`<li>${c}</li>`)}</ul></li>`)}</ul>` : html`<p class="muted">ありません。</p>`}`
}
${
  awaiting && (v.canSettle ?? v.viewer.role === 'chair')
    ? html`<h2>答申に付す条件</h2>
<form method="post" action="${href('ConditionsConfirm', { councilId: v.council.councilId, meetingId: v.meetingId, itemId: v.item.itemId })}" class="stacked" novalidate>${csrfField()}
${errorSummary(s)}
${textArea(s, { name: 'conditions', label: '条件(1行に1つ。すべて消すと「可」になります)', rows: 8 })}
${textArea(s, { name: 'opinions', label: '意見・要望(条件ではないもの。1行に1つ。条件がなく意見だけなら「可(意見付き)」になります)', rows: 4 })}
<fieldset><legend>定型の条件から加える</legend>
${library.map((c, i) => html`<label class="choice"><input type="checkbox" name="library" value="${String(i)}"> ${c}</label>`)}
</fieldset>
<button type="submit">この文言で確定し、答申する</button>
</form>`
    : html`<p class="notice">${awaiting ? '会長(議長)が条件の文言を確定するのを待っています。' : '条件は確定済みです。'}</p>`
}`,
  });
}
