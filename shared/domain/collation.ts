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
const baseLetters = (kana: string) => Array.from(kana.normalize('NFD').replace(VOICING, ''), (c) => SMALL[c] ?? c).join('');

let collator: Intl.Collator | undefined;

export function compareKana(a: string, b: string): number {
  if (!PLAIN.test(a) || !PLAIN.test(b)) return (collator ??= new Intl.Collator('ja')).compare(a, b);
  const x = baseLetters(a);
  const y = baseLetters(b);
  if (x !== y) return x < y ? -1 : 1;
  const p = a.normalize('NFD');
  const q = b.normalize('NFD');
  return p < q ? -1 : p > q ? 1 : 0;
}
