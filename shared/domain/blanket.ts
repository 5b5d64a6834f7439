/**
 * 包括諮問と事後報告. A blanket consultation (包括諮問) the council approved defines a class of
 * handling; a department that later handles a case in that class files a post-report (事後報告)
 * citing it. A post-report is not voted on: the secretariat accepts it and it is heard as a report
 * item (報告) on the next planned meeting's agenda.
 */
import * as z from 'zod/mini';
import type { Answer } from './answer.ts';
import { type Consultation, DECIDED_STATUSES } from './consultation.ts';
import { ID_PATTERN } from './ids.ts';
import { isoDate, requiredText } from './schema.ts';

export const POST_REPORT_STATUSES = { filed: '受付待ち', accepted: '受付済み(会議で報告)' } as const;
export type PostReportStatus = keyof typeof POST_REPORT_STATUSES;

export interface PostReport {
  reportId: string;
  /** The approved blanket case it is filed under (its consultationId). */
  classId: string;
  departmentId: string;
  /** 実施した取扱い */
  done: string;
  /** 実施日 ('YYYY-MM-DD') */
  doneOn: string;
  /** 件数・対象者数 */
  count: number;
  vendor?: string | undefined;
  status: PostReportStatus;
  /** The meeting and its report item it was put on when accepted. */
  meetingId?: string;
  itemId?: string;
  filedBy: string;
  filedAt: string;
  acceptedBy?: string;
  acceptedAt?: string;
}

/** The department's post-report form (事後報告). */
export const postReportInput = z.lazy(() =>
  z.object({
    requestId: z.string({ error: 'フォームを開き直してください。' }).check(z.regex(ID_PATTERN, 'フォームを開き直してください。')),
    classId: z.string({ error: '包括諮問を選んでください。' }).check(z.regex(ID_PATTERN, '包括諮問を選んでください。')),
    done: requiredText('実施した取扱い', 2000),
    doneOn: isoDate('実施日'),
    count: z.pipe(
      z
        .string({ error: '件数・対象者数を入力してください。' })
        .check(z.trim(), z.minLength(1, '件数・対象者数を入力してください。'), z.regex(/^\d{1,9}$/, '件数・対象者数は半角数字で入力してください。')),
      z.transform(Number),
    ),
    vendor: z.pipe(
      z.optional(z.string().check(z.trim(), z.maxLength(80, '委託先は80文字以内で入力してください。'))),
      z.transform((v) => v || undefined),
    ),
  }),
);
export type PostReportInput = z.output<typeof postReportInput>;

/** A blanket consultation approved by an answer: a class later cases can be reported under. */
export interface BlanketClass {
  consultation: Consultation;
  answer: Answer;
}

/** Whether a case is an approved blanket consultation: decided, and its answer is not a rejection. */
export const isApprovedClass = (c: Consultation, answer: Answer | undefined): answer is Answer =>
  c.form.kind === 'blanket' && DECIDED_STATUSES.includes(c.status) && answer !== undefined && answer.outcome !== 'rejected';

/** The report item's title on the agenda: 「包括諮問に基づく事後報告(令和8年度諮問第3号 災害時の…)」 */
export const postReportItemTitle = (cls: Consultation, numberText: string) =>
  `包括諮問に基づく事後報告(${numberText} ${cls.form.blanket?.name ?? cls.form.title})`;
