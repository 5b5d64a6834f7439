/**
 * How a case of each kind (諮問の種類) reads where it is restated: the submission mail, the
 * printed 審議票, lists and the answer. The forms themselves are in consultation-form.ts.
 */
import {
  ABROAD_BASES,
  type AbroadBasis,
  businessSummary,
  type ConsultationDraft,
  KIND_SECTION_LABELS,
  ORDINANCE_ACTIONS,
  TRIGGERS,
} from './consultation-form.ts';
import { eraDateOrAsTyped } from './era.ts';
import { CONSULTATION_KINDS, type ConsultationKind } from './legal-basis.ts';

/** The kind a form was filed as; a form without one (filed before kinds existed) is the ordinance's. */
export const formKind = (form: Pick<ConsultationDraft, 'kind'>): ConsultationKind => form.kind ?? 'ordinance_trigger';

/** 「条例・規則の制定改廃」 */
export const kindLabel = (form: Pick<ConsultationDraft, 'kind'>) => CONSULTATION_KINDS[formKind(form)];

const abroadLine = (form: Partial<ConsultationDraft>): [string, string][] =>
  (form.triggers ?? []).includes('abroad') && form.abroad
    ? [[TRIGGERS.abroad, `${form.abroad.country ?? ''}(${ABROAD_BASES[form.abroad.basis as AbroadBasis] ?? form.abroad.basis ?? ''})`]]
    : [];

/** What a case is about in a few labelled lines, by kind: the mail to the secretariat and the answer restate these. */
export function kindSummary(form: Partial<ConsultationDraft>): [string, string][] {
  const o = form.ordinance ?? {};
  const b = form.blanket ?? {};
  switch (formKind(form)) {
    case 'ordinance_change':
      return [
        [KIND_SECTION_LABELS.ordinance.name, o.name ?? ''],
        [KIND_SECTION_LABELS.ordinance.action, ORDINANCE_ACTIONS[o.action as keyof typeof ORDINANCE_ACTIONS] ?? o.action ?? ''],
        [KIND_SECTION_LABELS.ordinance.effectiveOn, eraDateOrAsTyped(o.effectiveOn ?? '')],
      ];
    case 'blanket':
      return [[KIND_SECTION_LABELS.blanket.name, b.name ?? ''], [KIND_SECTION_LABELS.blanket.scope, b.scope ?? ''], ...abroadLine(form)];
    case 'individual':
      return [['個人情報取扱事務', businessSummary(form)], ['諮問する事項', form.question ?? ''], ...abroadLine(form)];
    default:
      return [['個人情報取扱事務', businessSummary(form)], ['諮問の区分', (form.triggers ?? []).map((t) => TRIGGERS[t]).join('、')], ...abroadLine(form)];
  }
}

/** How the list of cases names what a case concerns: its 事務, or for a change of rules the rules, for a blanket the class. */
export function subjectOf(form: Partial<ConsultationDraft>): string {
  switch (formKind(form)) {
    case 'ordinance_change':
      return form.ordinance?.name ?? '';
    case 'blanket':
      return form.blanket?.name ? `類型:${form.blanket.name}` : '';
    default:
      return businessSummary(form);
  }
}
