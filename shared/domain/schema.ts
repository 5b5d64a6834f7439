import * as z from 'zod/mini';

/** A required calendar date typed as 年-月-日 (YYYY-MM-DD), refusing dates that do not exist (2/30). */
export const isoDate = (label: string) =>
  z.string({ error: `${label}を入力してください。` }).check(
    z.trim(),
    z.minLength(1, `${label}を入力してください。`),
    z.regex(/^\d{4}-\d{2}-\d{2}$/, `${label}は年-月-日の形で入力してください。`),
    z.refine((v) => isRealDate(v), `${label}が正しい日付ではありません。`),
  );

/** Whether 'YYYY-MM-DD' names a day that exists. */
export const isRealDate = (v: string) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);

/** A required text field: trimmed, not empty, at most `max` characters. */
export const requiredText = (label: string, max: number) =>
  z
    .string({ error: `${label}を入力してください。` })
    .check(z.trim(), z.minLength(1, `${label}を入力してください。`), z.maxLength(max, `${label}は${max}文字以内で入力してください。`));

/** ふりがな: required, in hiragana (spaces and ー allowed). */
export const kanaField = () =>
  z
    .string({ error: 'ふりがなを入力してください。' })
    .check(
      z.trim(),
      z.minLength(1, 'ふりがなを入力してください。'),
      z.maxLength(60, 'ふりがなは60文字以内で入力してください。'),
      z.regex(/^[\p{Script=Hiragana}ー\s　]+$/u, 'ふりがなはひらがなで入力してください。'),
    );

/** An e-mail address that may be left empty (undefined then). */
export const optionalEmail = (label: string) =>
  z.pipe(
    z.pipe(
      z.optional(z.string().check(z.trim())),
      z.transform((v) => v || undefined),
    ),
    z.optional(z.email(`${label}の形式が正しくありません。`)),
  );

/** 「12,345」: a whole number with thousands separators, as `toLocaleString('ja-JP')` writes it, without loading ICU's number formatter. */
export const formatCount = (n: number) => (Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : n.toLocaleString('ja-JP'));
