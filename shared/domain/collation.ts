/**
 * ふりがな in Japanese order (五十音順) without ICU's Japanese collator: building it costs a cold
 * start more than the rest of a page's first request. Kana are compared on their base letters
 * (清音, large) first, then as written — the order `Intl.Collator('ja')` gives for kana and
 * spaces (a property test checks it against ICU). A name with ー (長音), which ICU reads as the
 * vowel before it, is left to the collator.
 */
const SMALL: Record<string, string> = {
  ぁ: 'あ',
  ぃ: 'い',
  ぅ: 'う',
  ぇ: 'え',
  ぉ: 'お',
  っ: 'つ',
  ゃ: 'や',
  ゅ: 'ゆ',
  ょ: 'よ',
  ゎ: 'わ',
  ゕ: 'か',
  ゖ: 'け',
};
const PLAIN = /^[\u3041-\u3096\s\u3000]*$/;
const VOICING = /[\u3099\u309A]/g;
/** ICU weighs the ideographic space as a space. */
const spaced = (kana: string) => kana.replaceAll('\u3000', ' ');
const baseLetters = (kana: string) => Array.from(spaced(kana).normalize('NFD').replace(VOICING, ''), (c) => SMALL[c] ?? c).join('');

/**
 * Machine strings — ISO dates and times, ids, periods, keys — in code-point order, which is their
 * order. Not `localeCompare`: its first call builds ICU's collator (≈ 9 ms of a cold start), and
 * its order follows the runtime's locale data rather than the strings' own.
 */
export const compareCodes = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

let collator: Intl.Collator | undefined;

export function compareKana(a: string, b: string): number {
  if (!PLAIN.test(a) || !PLAIN.test(b)) return (collator ??= new Intl.Collator('ja')).compare(a, b);
  const x = baseLetters(a);
  const y = baseLetters(b);
  if (x !== y) return x < y ? -1 : 1;
  const p = spaced(a).normalize('NFD');
  const q = spaced(b).normalize('NFD');
  return p < q ? -1 : p > q ? 1 : 0;
}
