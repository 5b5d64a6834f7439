import * as z from 'zod/mini';
import { ConflictError, DomainError } from '#shared/errors.ts';
import { compareKana } from './collation.ts';
import { atLeastOneKind, type ConsultationKind, type LegalBasis, legalBasisInput, type ReportKind } from './legal-basis.ts';
import { kanaField, optionalEmail, requiredText } from './schema.ts';

/** How a member was appointed (委員の区分). */
export const MEMBER_CATEGORIES = {
  scholar: '学識経験者',
  lawyer: '弁護士',
  citizen: '市民委員',
  other: 'その他',
} as const;
export type MemberCategory = keyof typeof MEMBER_CATEGORIES;

const optionalText = (label: string, max: number) =>
  z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(max, `${label}は${max}文字以内で入力してください。`))),
    z.transform((v) => (v ? v : undefined)),
  );

/** The member form (委員の登録・編集): one schema for the page, the API and the tests. */
export const memberInput = z.object({
  name: requiredText('氏名', 40),
  kana: kanaField(),
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

export const NUMBERING = { fiscal_year: '年度ごと(令和N年度諮問第M号。4月1日に第1号から)', running: '通し番号(諮問第M号。年度が替わっても続く)' } as const;
export type Numbering = keyof typeof NUMBERING;
export const MAJORITY_RULES = {
  cast: '表決した委員(棄権を除く)の過半数',
  present: '出席した委員(棄権を含む)の過半数',
  all: '委員全員(除斥を除く)の過半数',
} as const;

/** The counter a running series keeps its last number in (the counters of a fiscal year are keyed by that year). */
export const RUNNING_SERIES = 0;
/** Which counter the council's next 諮問番号 comes from, given the fiscal year it is given in. */
export const consultationSeries = (council: Pick<Council, 'numbering'>, fiscalYear: number) => (council.numbering === 'running' ? RUNNING_SERIES : fiscalYear);

/** Voting and meeting rules differ by city, so they are the council's settings. */
export const councilRules = z.lazy(() =>
  z.object({
    /** Members needed for a valid meeting or vote, as a fraction of all members (過半数 = 0.5 exclusive). */
    quorum: z.enum(['majority', 'two_thirds']),
    /** Whether the chair breaks ties (可否同数のときは会長の決するところによる). */
    chairBreaksTie: z.boolean(),
    /**
     * Whose majority decides (absent: 'cast'): of the votes cast (可 and 条件付き可 against 否,
     * abstentions left out), of the members present (those who took part: an abstention counts
     * as not for), or of all members (less those recused).
     */
    majority: z.optional(z.enum(['cast', 'present', 'all'])),
  }),
);
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
  /** The lines that close every mail (defaults to the council's name and contact). */
  mailSignature?: string | undefined;
  /** The sender's display name on mails (defaults to the council's name). */
  senderName?: string | undefined;
  /** The sender address, on the council's own verified domain (defaults to the deployment's MAIL_FROM). */
  senderAddress?: string | undefined;
  /** Where replies go (defaults to the secretariat's address). */
  replyTo?: string | undefined;
  /** When the operator suspended the council: nobody signs in to it, its sessions were ended. */
  suspendedAt?: string | undefined;
  /** When the operator started deleting the council (its archive taken): it is being removed. */
  deletingAt?: string | undefined;
  /** 諮問番号 per fiscal year (令和N年度諮問第M号, restarting each 1 April; the default) or running (諮問第M号, never restarting). */
  numbering?: Numbering | undefined;
  /** The answer's document number (文書番号), `{n}` standing for the number within the fiscal year; defaults to answerNumberPattern(). */
  answerNumberPattern?: string;
  /** The law the council works under (absent: its ordinance); see councilBasis(). */
  legalBasis?: LegalBasis | undefined;
  /** The kinds of consultation it takes (absent: those of its basis). */
  consultationKinds?: ConsultationKind[] | undefined;
  /** The kinds of report it hears (absent: those of its basis). */
  reportKinds?: ReportKind[] | undefined;
  version: number;
}

const optionalLong = (label: string, max: number) =>
  z.pipe(
    z.optional(z.string().check(z.trim(), z.maxLength(max, `${label}は${max}文字以内で入力してください。`))),
    z.transform((v) => (v ? v : undefined)),
  );
const optionalNumber = (label: string) =>
  z
    .pipe(
      z.optional(
        z.string().check(
          z.trim(),
          z.refine((v) => !v || /^\d+$/.test(v), `${label}は半角数字で入力してください。`),
        ),
      ),
      z.transform((v) => (v ? Number(v) : undefined)),
    )
    .check(z.refine((v) => v === undefined || (v >= 1 && v <= 99999), `${label}は1から99999までで入力してください。`));

/** The secretariat's settings form (審議会の設定): profile, rules, wordings, mail, and where numbering continues. */
export const councilSettingsInput = z.lazy(() =>
  z
    .object({
      name: requiredText('審議会の名称', 80),
      contact: requiredText('問い合わせ先', 200),
      secretariatEmail: z.pipe(
        z.string({ error: '事務局のメールアドレスを入力してください。' }).check(z.trim(), z.minLength(1, '事務局のメールアドレスを入力してください。')),
        z.email('事務局のメールアドレスの形式が正しくありません。'),
      ),
      quorum: z.enum(['majority', 'two_thirds'], { error: '定足数を選んでください。' }),
      chairBreaksTie: z.pipe(
        z.optional(z.string()),
        z.transform((v) => v === 'on'),
      ),
      majority: z._default(z.enum(['cast', 'present', 'all'], { error: '可決に要する賛成を選んでください。' }), 'cast'),
      numbering: z._default(z.enum(['fiscal_year', 'running'], { error: '諮問番号の付け方を選んでください。' }), 'fiscal_year'),
      conditionLibrary: z.pipe(
        z.pipe(
          z.optional(z.string()),
          z.transform((v) =>
            (v ?? '')
              .split(/\r?\n/)
              .map((l) => l.trim())
              .filter(Boolean),
          ),
        ),
        z.array(z.string().check(z.maxLength(500, '定型の条件は1行500文字以内で入力してください。'))).check(z.maxLength(100, '定型の条件は100件までです。')),
      ),
      mailSignature: optionalLong('メールの署名', 500),
      senderName: optionalLong('差出人の表示名', 60),
      senderAddress: optionalEmail('差出人のアドレス'),
      replyTo: optionalEmail('返信先(Reply-To)'),
      nextConsultationNumber: optionalNumber('次の諮問番号'),
      nextMeetingNumber: optionalNumber('次の会議の回'),
      ...legalBasisInput,
      version: z.coerce.number().check(z.int(), z.positive()),
    })
    .check(atLeastOneKind),
);
export type CouncilSettingsInput = z.output<typeof councilSettingsInput>;

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
  return [...members].sort((a, b) => rank(a) - rank(b) || compareKana(a.kana, b.kana));
}

/** The offices form: who is chair and vice-chair (either may be left vacant). */
export const officesInput = z.lazy(() =>
  z.object({
    chairMemberId: z.pipe(
      z.optional(z.string().check(z.trim())),
      z.transform((v) => v || undefined),
    ),
    viceChairMemberId: z.pipe(
      z.optional(z.string().check(z.trim())),
      z.transform((v) => v || undefined),
    ),
    version: z.coerce.number().check(z.int(), z.nonnegative()),
  }),
);
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
  /** The manager's name (課長 ○○). */
  managerName?: string | undefined;
  /** A 課 belongs to a 部 (another department with no parent); a 部 has none. */
  parentId?: string | undefined;
  /** Optimistic-lock counter (absent on departments made before it: 1). */
  version?: number | undefined;
}

/** The department form (部・課の登録と編集). */
export const departmentInput = z.object({
  name: requiredText('名称', 60),
  parentId: z.pipe(
    z.optional(z.string().check(z.trim())),
    z.transform((v) => v || undefined),
  ),
  email: z.pipe(
    z.string({ error: 'メールアドレスを入力してください。' }).check(z.trim(), z.minLength(1, 'メールアドレスを入力してください。')),
    z.email('メールアドレスの形式が正しくありません。'),
  ),
  managerName: optionalText('所属長の氏名', 40),
  managerEmail: z.pipe(
    z.string({ error: '所属長のメールアドレスを入力してください。' }).check(z.trim(), z.minLength(1, '所属長のメールアドレスを入力してください。')),
    z.email('所属長のメールアドレスの形式が正しくありません。'),
  ),
});
export type DepartmentInput = z.output<typeof departmentInput>;

/** 部 first, each followed by its 課, by name; a 課 whose 部 is gone is listed at the end. */
export function departmentTree(departments: readonly Department[]): { department: Department; depth: 0 | 1 }[] {
  const byName = (a: Department, b: Department) => a.name.localeCompare(b.name, 'ja');
  const ids = new Set(departments.map((d) => d.departmentId));
  const tops = departments.filter((d) => !d.parentId || !ids.has(d.parentId)).sort(byName);
  return tops.flatMap((top) => [
    { department: top, depth: 0 as const },
    ...departments
      .filter((d) => d.parentId === top.departmentId)
      .sort(byName)
      .map((d) => ({ department: d, depth: 1 as const })),
  ]);
}
