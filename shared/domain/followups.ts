import * as z from 'zod/mini';
import type { Answer } from './answer.ts';
import { type Consultation, currentVendorName } from './consultation.ts';
import { businessesOf, type ConsultationDraft } from './consultation-form.ts';
import type { Department } from './council.ts';

/**
 * Conditions and their follow-ups (付帯条件の履行確認). Every condition of an answer becomes
 * a follow-up with an owner, a due date or a recurrence, and the evidence it needs; owners
 * answer until the council closes it — so what was approved is not forgotten when staff change.
 */
export const FOLLOW_UP_TYPES = {
  spec_clause: { label: '契約仕様書への明記', evidence: '条件を明記した契約仕様書の該当ページ', days: 60 },
  revised_documents: { label: '受託者決定後の仕様書・運用規定の報告', evidence: '改定後の契約仕様書及び運用規定', days: 90 },
  documents_returned: { label: '書類の返還と市による廃棄', evidence: '返還の記録と市の廃棄記録', days: 30 },
  erasure_certificate: { label: 'データ消去証明書', evidence: 'データ消去証明書', days: 30 },
  disposal_certificate: { label: '媒体の廃棄証明書', evidence: '廃棄証明書', days: 30 },
  subcontract_approval: { label: '再委託の承認', evidence: '再委託承認書と再委託先の認証の写し', days: 60 },
  certification_renewal: { label: 'プライバシーマーク・ISMSの更新確認', evidence: '更新後の認証の写しと組織体制図', days: 0 },
  near_miss_counts: { label: 'ヒヤリハット件数の定期報告', evidence: '期間中のヒヤリハット件数とその概要', days: 0 },
  onsite_check: { label: '立入検査', evidence: '検査の記録', days: 90 },
  free: { label: 'その他', evidence: '条件を満たしたことが分かる資料', days: 60 },
  council_request: { label: '審議会からの報告の求め', evidence: '求められた事項の報告と資料', days: 0 },
  incident_measure: { label: '漏えい等事案の再発防止策', evidence: '実施したことが分かる資料(改めた規程・手順、研修の記録など)', days: 0 },
} as const;
export type FollowUpType = keyof typeof FOLLOW_UP_TYPES;

export type FollowUpStatus = 'open' | 'submitted' | 'accepted' | 'closed';
export const FOLLOW_UP_STATUS_LABELS: Record<FollowUpStatus, string> = {
  open: '回答待ち',
  submitted: '事務局確認中',
  accepted: '審議会への報告待ち',
  closed: '完了',
};

export interface FollowUp {
  followUpId: string;
  councilId: string;
  /**
   * The case it belongs to (and whose partition holds it). For a request raised at a meeting
   * (`source`), the report item's id: no case has it, the follow-up stands on its own.
   */
  consultationId: string;
  /** A request raised under a meeting's report item (「次回報告してください」), not a condition of an answer. */
  source?: { meetingId: string; itemId: string };
  /** A recurrence-prevention measure (再発防止策) of an incident: its id (also `consultationId`, whose partition holds it). */
  incidentId?: string;
  /** The consultation's title and business, so lists need no extra reads. */
  title: string;
  businessKey: string;
  conditionIndex: number;
  /** The condition's wording — or the opinion's, when not binding. */
  condition: string;
  /** false for an opinion or request (意見・要望) of a 可(意見付き) answer: followed up, but not a condition. */
  binding?: boolean;
  type: FollowUpType;
  owner: 'department' | 'vendor';
  /** Vendor name, or the department's. */
  ownerName: string;
  departmentId: string;
  /** Where the answer link goes: the vendor's contact if known, else the department (which forwards it). */
  ownerEmail: string;
  evidence: string;
  due: string;
  /** Months between reports for recurring conditions (e.g. near-miss counts every 6 months). */
  everyMonths?: number;
  status: FollowUpStatus;
  /** Answers so far (each occurrence of a recurring condition adds one). */
  answers: FollowUpAnswer[];
  /** Files uploaded through the link but not yet sent with an answer. */
  pendingEvidence: Evidence[];
  /** The secretariat's or council's last comment to the owner (差し戻し・追加の求め). */
  comment?: string;
  /** Notices already sent, as `<due>:<kind>`, so a job run twice mails once. */
  notified: string[];
  createdAt: string;
  closedAt?: string;
  version: number;
}

export interface Evidence {
  fileName: string;
  objectKey: string;
  size: number;
  contentType: string;
}

export interface FollowUpAnswer {
  n: number;
  /** The occurrence it answers (its due date). */
  forDue: string;
  answeredBy: string;
  text: string;
  /** For near-miss reports: the count in the period. */
  count?: number;
  evidence: Evidence[];
  submittedAt: string;
  review?: { outcome: 'accepted' | 'returned'; comment?: string; at: string; by: string };
}

/** Calendar arithmetic on 'YYYY-MM-DD', months clamped to the month's end (1/31 + 1 month = 2/28 or 2/29). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Today's date in Tokyo. */
export const tokyoDate = (now: Date) => new Date(now.getTime() + 9 * 3600_000).toISOString().slice(0, 10);

/** Guesses the kind of follow-up from a condition's wording; the secretariat can change it. */
export function inferType(condition: string): FollowUpType {
  const rules: [RegExp, FollowUpType][] = [
    [/ヒヤリハット/, 'near_miss_counts'],
    [/(プライバシーマーク|ISMS|Pマーク).*(更新)|更新.*(プライバシーマーク|ISMS)/, 'certification_renewal'],
    [/消去証明/, 'erasure_certificate'],
    [/廃棄証明/, 'disposal_certificate'],
    [/返還/, 'documents_returned'],
    [/再委託/, 'subcontract_approval'],
    [/(受託者|事業者).*決定後|改定した|運用規定.*報告/, 'revised_documents'],
    [/立入|現地.*確認|実地/, 'onsite_check'],
    [/仕様書/, 'spec_clause'],
  ];
  return rules.find(([re]) => re.test(condition))?.[1] ?? 'free';
}

/** Follow-ups a vendor answers (through the department); the rest the department answers itself. */
const VENDOR_TYPES: FollowUpType[] = ['erasure_certificate', 'disposal_certificate', 'certification_renewal', 'near_miss_counts'];
export const isVendorType = (type: FollowUpType) => VENDOR_TYPES.includes(type);

/** A registered business (個人情報取扱事務) as a key: its registration number, else its name. */
export function keyOfBusiness(b: { registration?: string | undefined; name?: string | undefined }): string {
  const raw = (b.registration || b.name || '未登録').normalize('NFKC').trim();
  return Buffer.from(raw, 'utf8').toString('base64url').slice(0, 60);
}

type FormBusinesses = Pick<ConsultationDraft, 'businesses' | 'businessName' | 'businessRegistration'>;

/** The key of the first business a case names (its place in the history index, and its follow-ups'). */
export function businessKeyOf(form: Partial<FormBusinesses>): string {
  return keyOfBusiness(form.businesses?.[0] ?? { name: form.businessName, registration: form.businessRegistration });
}

/** The keys of every business a case names, each once, the first first: a case is in each one's history. */
export function businessKeysOf(form: Partial<FormBusinesses>): string[] {
  return [...new Set([businessKeyOf(form), ...businessesOf(form).map(keyOfBusiness)])];
}

/**
 * Plans the follow-ups of an answer: one per condition, typed from its wording, owned by
 * the vendor or the department, due a typical time after the answer — at the vendor's
 * certification expiry for renewals, and every six months for near-miss counts.
 */
/**
 * One follow-up per condition of an answer, then one per opinion (not binding); due dates count
 * from the answer's date (its 答申日), not from the day the plan is made.
 */
export function planFollowUps(v: { answer: Answer; consultation: Consultation; department: Department | undefined; now: string }): FollowUp[] {
  const today = v.answer.issuedOn;
  const vendor = v.consultation.form.vendor;
  // 選定中 on the form: the vendor reported since, if any; none yet, the department answers (until it reports one).
  const vendorName = currentVendorName(v.consultation);
  const wordings = [...v.answer.conditions.map((text) => ({ text, binding: true })), ...(v.answer.opinions ?? []).map((text) => ({ text, binding: false }))];
  return wordings.map(({ text: condition, binding }, i) => {
    const type = inferType(condition);
    const byVendor = Boolean(vendorName) && VENDOR_TYPES.includes(type);
    const spec = FOLLOW_UP_TYPES[type];
    const expiry = vendor?.certificationExpiry;
    const due =
      type === 'certification_renewal' && expiry && /^\d{4}-\d{2}-\d{2}$/.test(expiry)
        ? expiry
        : type === 'near_miss_counts'
          ? addMonths(today, 6)
          : type === 'certification_renewal'
            ? addMonths(today, 12)
            : addDays(today, spec.days);
    return {
      followUpId: `${v.consultation.consultationId}-${i + 1}`,
      councilId: v.consultation.councilId,
      consultationId: v.consultation.consultationId,
      title: v.consultation.form.title,
      businessKey: businessKeyOf(v.consultation.form),
      conditionIndex: i,
      condition,
      ...(binding ? {} : { binding: false }),
      type,
      owner: byVendor ? 'vendor' : 'department',
      ownerName: byVendor ? vendorName! : (v.department?.name ?? ''),
      departmentId: v.consultation.departmentId,
      ownerEmail: v.department?.email ?? '',
      evidence: spec.evidence,
      due,
      ...(type === 'near_miss_counts' ? { everyMonths: 6 } : type === 'certification_renewal' ? { everyMonths: 12 } : {}),
      status: 'open',
      answers: [],
      pendingEvidence: [],
      notified: [],
      createdAt: v.now,
      version: 1,
    };
  });
}

/** What a scheduled run should send for a follow-up today: a reminder a week before, an escalation once overdue. */
export function noticesDue(fu: Pick<FollowUp, 'status' | 'due' | 'notified'>, now: Date): ('reminder' | 'escalation')[] {
  if (fu.status !== 'open') return [];
  const today = tokyoDate(now);
  const out: ('reminder' | 'escalation')[] = [];
  if (today >= addDays(fu.due, -7) && today <= fu.due && !fu.notified.includes(`${fu.due}:reminder`)) out.push('reminder');
  if (today > fu.due && !fu.notified.includes(`${fu.due}:escalation`)) out.push('escalation');
  return out;
}

/** After an accepted answer: the next occurrence of a recurring condition, or nothing more to answer. */
export function nextDue(fu: Pick<FollowUp, 'due' | 'everyMonths'>): string | undefined {
  return fu.everyMonths ? addMonths(fu.due, fu.everyMonths) : undefined;
}

/** Consultations per page of a business's history (事務の履歴). */
export const HISTORY_PAGE_SIZE = 20;

/** The owner's answer form. */
export const followUpAnswerInput = z.lazy(() =>
  z.object({
    answeredBy: z
      .string()
      .check(z.trim(), z.minLength(1, '報告者の会社名・氏名を入力してください。'), z.maxLength(100, '報告者は100文字以内で入力してください。')),
    text: z.string().check(z.trim(), z.minLength(1, '報告の内容を入力してください。'), z.maxLength(4000, '報告は4000文字以内で入力してください。')),
    count: z.pipe(
      z.pipe(
        z.optional(z.string().check(z.trim())),
        z.transform((v) => (v ? v : undefined)),
      ),
      z.optional(z.pipe(z.string().check(z.regex(/^\d{1,6}$/, '件数は0以上の整数で入力してください。')), z.transform(Number))),
    ),
  }),
);

/** The secretariat's edit of a follow-up's plan. */
export const followUpPlanInput = z.lazy(() =>
  z.object({
    type: z.enum(Object.keys(FOLLOW_UP_TYPES) as [FollowUpType, ...FollowUpType[]], { error: '種類を選んでください。' }),
    owner: z.enum(['department', 'vendor'], { error: '回答する人を選んでください。' }),
    ownerName: z.string().check(z.trim(), z.minLength(1, '回答者(委託先または所管課)の名称を入力してください。'), z.maxLength(100)),
    ownerEmail: z.email('メールアドレスの形式が正しくありません。'),
    evidence: z.string().check(z.trim(), z.minLength(1, '必要な資料を入力してください。'), z.maxLength(400)),
    due: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, '期限を年-月-日の形で入力してください。')),
    everyMonths: z.pipe(
      z.pipe(
        z.optional(z.string()),
        z.transform((v) => (v ? Number(v) : undefined)),
      ),
      z.optional(z.number().check(z.int(), z.gte(1, '繰り返しの間隔は1か月以上にしてください。'), z.lte(60))),
    ),
    version: z.coerce.number().check(z.int(), z.positive()),
  }),
);

/** What a follow-up is called where it is shown: a condition (条件), or an opinion that binds no one (意見・要望). */
export const wordingLabel = (fu: Pick<FollowUp, 'binding' | 'source' | 'incidentId'>) =>
  fu.incidentId ? '再発防止策' : fu.source ? '審議会が求めた報告' : fu.binding === false ? '意見・要望(条件ではありません)' : '条件';

/** What a follow-up's title names: a case (諮問), a meeting's item, or an incident (漏えい等事案). */
export const subjectLabel = (fu: Pick<FollowUp, 'source' | 'incidentId'>) => (fu.incidentId ? '漏えい等事案' : fu.source ? '会議・議題' : '諮問');
