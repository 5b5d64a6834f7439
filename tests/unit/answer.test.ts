import { describe, expect, it } from 'vitest';
import { type Answer, actingChairOffice, signatureOf } from '#shared/domain/answer.ts';
import { answerDocument } from '#shared/domain/documents.ts';

const draft: Answer = {
  consultationId: 'c1',
  title: '介護保険システムのクラウド化',
  outcome: 'approved',
  conditions: [],
  state: 'draft',
  councilName: 'さくら市個人情報保護審議会',
  addressee: 'さくら市長',
  chairName: '小林 千尋',
  issuedOn: '2026-12-21',
};
/** The right-aligned block under the addressee: the council and who signs for it. */
const signatureBlock = (a: Answer) => answerDocument(a).lead!.at(-1)!.text;

describe('who signs the 答申書', () => {
  it('is the chair, as 会長, unless someone acting for the chair approved it', () => {
    expect(signatureOf(draft)).toBe('会長 小林 千尋');
    expect(signatureBlock(draft)).toBe('さくら市個人情報保護審議会\n会長 小林 千尋');
    const approved = { ...draft, state: 'approved' as const, approvedAs: '会長' };
    expect(signatureBlock(approved)).toBe('さくら市個人情報保護審議会\n会長 小林 千尋');
  });

  it('is the acting chair, in their own office, when the member who presided approved it', () => {
    const council = { viceChairMemberId: 'm-tanabe' };
    expect(actingChairOffice(council, 'm-tanabe')).toBe('会長職務代理者 副会長');
    expect(actingChairOffice(council, 'm-miura')).toBe('会長職務代理者');
    const byViceChair: Answer = { ...draft, state: 'approved', chairName: '田辺 和夫', signedAs: actingChairOffice(council, 'm-tanabe') };
    expect(signatureBlock(byViceChair)).toBe('さくら市個人情報保護審議会\n会長職務代理者 副会長 田辺 和夫');
    expect(signatureBlock(byViceChair)).not.toContain('小林');
  });

  it('leaves the line out when the council has no chair on record', () => {
    const { chairName: _, ...noChair } = draft;
    expect(signatureOf(noChair)).toBe('');
    expect(signatureBlock(noChair)).toBe('さくら市個人情報保護審議会');
  });
});
