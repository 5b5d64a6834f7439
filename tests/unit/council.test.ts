import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKana } from '#shared/domain/collation.ts';
import { assignOffices, type Council, type Member, memberInput, rosterOrder } from '#shared/domain/council.ts';
import { ConflictError, DomainError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';

const valid = { name: '小林 千尋', kana: 'こばやし ちひろ', category: 'scholar', affiliation: 'さくら大学', email: 'k@example.jp' };

const council: Council = {
  councilId: 'c',
  name: 'さくら市個人情報保護審議会',
  municipality: 'さくら市',
  contact: '総務課',
  secretariatEmail: 'jimukyoku@example.jp',
  rules: { quorum: 'majority', chairBreaksTie: true },
  chairMemberId: 'b',
  viceChairMemberId: 'c',
  version: 3,
};
const m = (memberId: string, kana: string): Member => ({ ...valid, category: 'scholar', memberId, kana, version: 1, createdAt: '', updatedAt: '' });

describe('member form', () => {
  it('accepts a complete member and trims what was typed', () => {
    const r = checkForm(memberInput, { ...valid, name: '  小林 千尋 ', affiliation: '' });
    expect(r).toEqual({ ok: true, value: { ...valid, affiliation: undefined } });
  });

  it.each([
    ['name', '氏名を入力してください。'],
    ['kana', 'ふりがなを入力してください。'],
    ['category', '区分を選んでください。'],
    ['email', 'メールアドレスを入力してください。'],
  ])('reports a missing %s next to that field, keeping every value typed', (field, message) => {
    const form = { ...valid, [field]: '' };
    const r = checkForm(memberInput, form);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toEqual({ [field]: message });
    expect(r.values).toEqual(form);
  });

  it('explains kana and address mistakes in Japanese', () => {
    const r = checkForm(memberInput, { ...valid, kana: 'Kobayashi', email: 'kobayashi@' });
    expect(r.ok ? {} : r.errors).toEqual({
      kana: 'ふりがなはひらがなで入力してください。',
      email: 'メールアドレスの形式が正しくありません。',
    });
  });

  it('limits lengths', () => {
    const r = checkForm(memberInput, { ...valid, name: 'あ'.repeat(41) });
    expect(r.ok ? {} : r.errors).toEqual({ name: '氏名は40文字以内で入力してください。' });
  });
});

describe('offices', () => {
  const members = [m('a', 'あ'), m('b', 'い'), m('c', 'う'), m('d', 'え')];

  it('orders the roster chair, vice-chair, then by kana', () => {
    expect(rosterOrder(council, [m('d', 'え'), m('a', 'あ'), m('c', 'う'), m('b', 'い')]).map((x) => x.memberId)).toEqual(['b', 'c', 'a', 'd']);
  });

  it('refuses the same member as chair and vice-chair', () => {
    expect(() => assignOffices(council, members, { chairMemberId: 'a', viceChairMemberId: 'a', version: 3 })).toThrow(DomainError);
  });

  it('refuses someone not on the roster', () => {
    expect(() => assignOffices(council, members, { chairMemberId: 'zz', viceChairMemberId: undefined, version: 3 })).toThrow('名簿にいません');
  });

  it('refuses a change made from a stale page', () => {
    expect(() => assignOffices(council, members, { chairMemberId: 'a', viceChairMemberId: 'b', version: 2 })).toThrow(ConflictError);
  });

  it('allows a vacancy', () => {
    expect(assignOffices(council, members, { chairMemberId: 'a', viceChairMemberId: undefined, version: 3 })).toEqual({
      chairMemberId: 'a',
      viceChairMemberId: undefined,
    });
  });
});

describe('ふりがな order', () => {
  const collator = new Intl.Collator('ja');
  const letters =
    'ぁあぃいぅうぇえぉおかがきぎくぐけげこごさざしじすずせぜそぞただちぢっつづてでとどなにぬねのはばぱひびぴふぶぷへべぺほぼぽまみむめもゃやゅゆょよらりるれろゎわゐゑをんゔ 　';
  const kana = fc.array(fc.constantFrom(...letters), { minLength: 1, maxLength: 8 }).map((cs) => cs.join(''));

  it('orders kana names as ICU’s Japanese collation does, without loading it', () => {
    fc.assert(
      fc.property(kana, kana, (a, b) => {
        expect(Math.sign(compareKana(a, b))).toBe(Math.sign(collator.compare(a, b)));
      }),
      { numRuns: 5000 },
    );
    // 清音 before 濁音 before 半濁音 at the same letter; the base letters decide first.
    expect(['はは', 'ばば', 'ぱぱ', 'はば', 'ひ'].sort(compareKana)).toEqual(['はは', 'はば', 'ばば', 'ぱぱ', 'ひ']);
  });

  it('leaves a name with ー to the collator', () => {
    expect(Math.sign(compareKana('ほーむ', 'ほむ'))).toBe(Math.sign(collator.compare('ほーむ', 'ほむ')));
  });
});
