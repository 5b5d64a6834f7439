import * as z from 'zod/mini';
import { ConflictError, DomainError } from '#shared/errors.ts';

/** How a member was appointed (委員の区分). */
export const MEMBER_CATEGORIES = {
  scholar: '学識経験者',
  lawyer: '弁護士',
  citizen: '市民委員',
  other: 'その他',
} as const;
export type MemberCategory = keyof typeof MEMBER_CATEGORIES;

const required = (label: string, max: number) =>
  z
    .string({ error: `${label}を入力してください。` })
    .check(z.trim(), z.minLength(1, `${label}を入力してください。`), z.maxLength(max, `${label}は${max}文字以内で入力してください。`));

const optionalText = (label: string, max: number) =>
  z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(max, `${label}は${max}文字以内で入力してください。`))),
    z.transform((v) => (v ? v : undefined)),
  );

/** The member form (委員の登録・編集): one schema for the page, the API and the tests. */
export const memberInput = z.object({
  name: required('氏名', 40),
  kana: z
    .string({ error: 'ふりがなを入力してください。' })
    .check(
      z.trim(),
      z.minLength(1, 'ふりがなを入力してください。'),
      z.maxLength(60, 'ふりがなは60文字以内で入力してください。'),
      z.regex(/^[\p{Script=Hiragana}ー\s　]+$/u, 'ふりがなはひらがなで入力してください。'),
    ),
  category: z.enum(Object.keys(MEMBER_CATEGORIES) as [MemberCategory, ...MemberCategory[]], {
    error: '区分を選んでください。',
  }),
  affiliation: optionalText('所属・役職', 80),
  email: z.pipe(
    z.string({ error: 'メールアドレスを入力してください。' }).check(z.trim(), z.minLength(1, 'メールアドレスを入力してください。')),
    z.email('メールアドレスの形式が正しくありません。'),
  ),
});
export type MemberInput = z.infer<typeof memberInput>;

export interface Member extends MemberInput {
  memberId: string;
  /** Optimistic-lock counter: an edit names the version it started from. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** Voting and meeting rules differ by city, so they are the council's settings. */
export const councilRules = z.object({
  /** Members needed for a valid meeting or vote, as a fraction of all members (過半数 = 0.5 exclusive). */
  quorum: z.enum(['majority', 'two_thirds']),
  /** Whether the chair breaks ties (可否同数のときは会長の決するところによる). */
  chairBreaksTie: z.boolean(),
});
export type CouncilRules = z.infer<typeof councilRules>;

export interface Council {
  councilId: string;
  /** e.g. 調布市個人情報保護審査会 */
  name: string;
  municipality: string;
  /** Secretariat's contact shown on pages and in mails (問い合わせ先). */
  contact: string;
  /** Where mails for the secretariat go (new submissions, resubmissions). */
  secretariatEmail: string;
  rules: CouncilRules;
  chairMemberId?: string;
  viceChairMemberId?: string;
  /** Standard wordings of conditions the chair can insert (定型の付帯条件); defaults to STANDARD_CONDITIONS. */
  conditionLibrary?: string[];
  /** The answer's document number (文書番号), `{n}` standing for the number within the fiscal year; defaults to answerNumberPattern(). */
  answerNumberPattern?: string;
  version: number;
}

/** 「さくら市個審第{n}号」: the council's pattern for its answers' document numbers. */
export const answerNumberPattern = (council: Pick<Council, 'municipality' | 'answerNumberPattern'>) =>
  council.answerNumberPattern ?? `${council.municipality}個審第{n}号`;

/** 「さくら市個審第12号」 */
export const formatAnswerNumber = (pattern: string, n: number) => pattern.replaceAll('{n}', String(n));

/** Conditions councils commonly attach, worded as real answers word them. */
export const STANDARD_CONDITIONS = [
  '契約終了時には、受託者は個人情報が記録された書類等を市に返還し、市がこれを廃棄すること。また、その旨を契約仕様書に明記すること。',
  '受託者は、個人情報をパソコン等に入力しないこと。また、その旨を契約仕様書に明記すること。',
  '受託者からの報告では、個人を氏名ではなく通し番号で特定すること。',
  '受託者には、業務に必要な個人情報のみを提供すること。',
  '受託者の点検方法を含む運用規定を定めること。',
  '受託者の決定後、改定した契約仕様書及び運用規定を審議会に報告すること。',
  '受託者のプライバシーマーク又はISMS認証の更新時に更新を確認し、更新後の組織体制図を提出させること。',
  '受託者に、ヒヤリハットの件数を期間ごとに報告させること。',
  '再委託は、書面による承認を得た場合に限り、認証を取得した事業者に対してのみ行うこと。',
  '業務終了後、受託者からデータ消去証明書及び媒体の廃棄証明書を提出させること。',
  '受託者へのデータの受渡しはファイル転送サービスにより行い、USBメモリ等の電子媒体を用いないこと。',
  '電子媒体の持出しはすべて持出管理簿に記録すること。',
] as const;

export type Office = 'chair' | 'vice_chair' | 'member';
export const OFFICE_LABELS: Record<Office, string> = { chair: '会長', vice_chair: '副会長', member: '委員' };

export function officeOf(council: Pick<Council, 'chairMemberId' | 'viceChairMemberId'>, memberId: string): Office {
  if (council.chairMemberId === memberId) return 'chair';
  if (council.viceChairMemberId === memberId) return 'vice_chair';
  return 'member';
}

/** Roster order used on every page and in minutes: chair, vice-chair, then by kana. */
export function rosterOrder(council: Council, members: readonly Member[]): Member[] {
  const rank = (m: Member) => ({ chair: 0, vice_chair: 1, member: 2 })[officeOf(council, m.memberId)];
  return [...members].sort((a, b) => rank(a) - rank(b) || a.kana.localeCompare(b.kana, 'ja'));
}

/** The offices form: who is chair and vice-chair (either may be left vacant). */
export const officesInput = z.object({
  chairMemberId: z.pipe(
    z.optional(z.string().check(z.trim())),
    z.transform((v) => v || undefined),
  ),
  viceChairMemberId: z.pipe(
    z.optional(z.string().check(z.trim())),
    z.transform((v) => v || undefined),
  ),
  version: z.coerce.number().check(z.int(), z.nonnegative()),
});
export type OfficesInput = z.infer<typeof officesInput>;

/** Checks an offices change against the current roster; returns the new offices. */
export function assignOffices(council: Council, members: readonly Member[], input: OfficesInput) {
  if (input.version !== council.version) {
    throw new ConflictError('他の方が先に審議会の設定を更新しました。最新の内容を確認してから、もう一度操作してください。');
  }
  const ids = new Set(members.map((m) => m.memberId));
  for (const id of [input.chairMemberId, input.viceChairMemberId]) {
    if (id && !ids.has(id)) throw new DomainError('選ばれた委員は名簿にいません。');
  }
  if (input.chairMemberId && input.chairMemberId === input.viceChairMemberId) {
    throw new DomainError('会長と副会長に同じ委員は選べません。');
  }
  return { chairMemberId: input.chairMemberId, viceChairMemberId: input.viceChairMemberId };
}

/** A submitting department (所管課), e.g. 市民部 市民課. */
export interface Department {
  departmentId: string;
  /** 市民部 市民課 */
  name: string;
  /** Where mails about the department's cases go. */
  email: string;
  /** The manager (課長) who hears of overdue follow-ups. */
  managerEmail: string;
}
