const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Every other spelling of a token (`payload.signature`, base64url) that a lenient base64
 * decoder — Node's among them — reads as the same bytes: the unused low bits of each part's
 * last character set, `=` padding, and the base64 alphabet's `+`/`/` for `-`/`_`. The tests
 * check that none of them is accepted anywhere a token is.
 */
export function reencodings(token: string): string[] {
  const variants = new Set<string>();
  const parts = token.split('.');
  parts.forEach((part, i) => {
    const at = (replacement: string) => parts.map((p, j) => (j === i ? replacement : p)).join('.');
    // A part of length 3 mod 4 has 2 unused bits in its last character; of length 2 mod 4, 4.
    const unused = part.length % 4 === 3 ? 2 : part.length % 4 === 2 ? 4 : 0;
    const last = ALPHABET.indexOf(part.at(-1)!);
    if (last >= 0) for (let bits = 1; bits < 1 << unused; bits++) variants.add(at(part.slice(0, -1) + ALPHABET[last ^ bits]));
    if (part.length % 4) variants.add(at(part + '='.repeat(4 - (part.length % 4))));
    variants.add(at(`${part}=`));
    if (/[-_]/.test(part)) variants.add(at(part.replace(/-/g, '+').replace(/_/g, '/')));
  });
  variants.delete(token);
  return [...variants];
}

/** The variants that decode to exactly the same bytes as the token (what makes them dangerous), for the tests to show they are real. */
export function sameBytes(token: string, variant: string): boolean {
  const decode = (t: string) => t.split('.').map((p) => Buffer.from(p, 'base64'));
  const [a, b] = [decode(token), decode(variant)];
  return a.length === b.length && a.every((x, i) => x.equals(b[i]!));
}
