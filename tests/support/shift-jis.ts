/**
 * Text as Excel saves 「CSV (コンマ区切り)」 on a Japanese Windows: Shift_JIS (CP932). Node has a
 * Shift_JIS decoder but no encoder, so the encoder is the decoder read backwards: every one- and
 * two-byte code it knows, mapped from the character it decodes to.
 */
let table: Map<string, number[]> | undefined;

function encoderTable(): Map<string, number[]> {
  const decoder = new TextDecoder('shift_jis', { fatal: true });
  const map = new Map<string, number[]>();
  const learn = (bytes: number[]) => {
    try {
      const ch = decoder.decode(new Uint8Array(bytes));
      if ([...ch].length === 1 && !map.has(ch)) map.set(ch, bytes);
    } catch {
      // not a character in Shift_JIS
    }
  };
  for (let b = 0; b < 0x80; b++) learn([b]);
  for (let b = 0xa1; b <= 0xdf; b++) learn([b]);
  for (let lead = 0x81; lead <= 0xfc; lead++) {
    if (lead >= 0xa0 && lead < 0xe0) continue;
    for (let trail = 0x40; trail <= 0xfc; trail++) if (trail !== 0x7f) learn([lead, trail]);
  }
  return map;
}

export function shiftJis(text: string): Uint8Array {
  const map = (table ??= encoderTable());
  const out: number[] = [];
  for (const ch of text) {
    const bytes = map.get(ch);
    if (!bytes) throw new Error(`「${ch}」 has no Shift_JIS code`);
    out.push(...bytes);
  }
  return new Uint8Array(out);
}
