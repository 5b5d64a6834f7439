import { type Consultation, type ConsultationNumber, formatConsultationNumber, type VendorReport } from '#shared/domain/consultation.ts';
import type { ConsultationForm } from '#shared/domain/consultation-form.ts';
import { businessSummary, FIELD_LABELS } from '#shared/domain/consultation-form.ts';
import { kindLabel, kindSummary } from '#shared/domain/consultation-kinds.ts';
import type { Council } from '#shared/domain/council.ts';
import { eraDateOrAsTyped } from '#shared/domain/era.ts';
import { type Meeting, meetingWhen } from '#shared/domain/meeting.ts';
import type { Mail } from './compose.ts';
import { TO_SECRETARIAT, toContact } from './compose.ts';
import { letter } from './layout.ts';

/** Who a mail to a department is for: the form's contact person, when the caller knows them. */
interface DepartmentContact {
  /** e.g. 福祉部 生活福祉課 */
  departmentName?: string | undefined;
  /** The form's 担当者; without it the mail goes to the department's ご担当者. */
  contactName?: string | undefined;
}

/** To the secretariat: a department submitted (or resubmitted) a consultation. */
export function consultationSubmittedMail(v: {
  council: Council;
  departmentName: string;
  form: ConsultationForm;
  url: string;
  resubmission: boolean;
  response?: string | undefined;
  /** The department's address: replies to this notice go to the department, not back to the secretariat. */
  departmentEmail?: string | undefined;
}): Mail {
  const what = v.resubmission ? '再提出' : '提出';
  return letter(v.council, {
    to: [v.council.secretariatEmail],
    replyTo: v.departmentEmail ? [v.departmentEmail] : undefined,
    subject: `【${v.council.name}】諮問の${what}:${v.form.title}(${v.departmentName})`,
    addressee: TO_SECRETARIAT,
    blocks: [
      { kind: 'paragraph', text: `${v.departmentName || '所管課'}から、次の諮問が${what}されました。受付審査をお願いします。` },
      {
        kind: 'table',
        rows: [
          ['件名', v.form.title],
          ['諮問の種類', kindLabel(v.form)],
          ...kindSummary(v.form),
          ...(v.form.vendor?.selecting ? [['委託先', '選定中(審議の後に報告されます)'] as [string, string]] : []),
          ...(v.form.plannedStart ? [['開始予定日', eraDateOrAsTyped(v.form.plannedStart)] as [string, string]] : []),
          [FIELD_LABELS.contactName, v.form.contactName],
          [FIELD_LABELS.contactPhone, v.form.contactPhone],
        ],
      },
      v.resubmission && { kind: 'quote', label: '差し戻しへの回答', text: v.response ?? '' },
      { kind: 'link', label: '内容の確認と受付・差し戻しはこちらから', url: v.url },
    ],
  });
}

/** To the department: the secretariat returned the consultation for revision. */
export function consultationReturnedMail(
  v: { council: Council; to: string[]; title: string; comment: string; round: number; url: string } & DepartmentContact,
): Mail {
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】諮問の差し戻し:${v.title}`,
    addressee: toContact({ organization: v.departmentName, contactName: v.contactName }),
    blocks: [
      { kind: 'paragraph', text: `提出いただいた諮問「${v.title}」について、事務局から修正をお願いしたい点があります(第${v.round}回)。` },
      { kind: 'quote', label: '事務局からのコメント', text: v.comment },
      { kind: 'paragraph', text: '内容を修正し、コメントへの回答を添えて再提出してください。' },
      { kind: 'link', label: '修正と再提出はこちらから', url: v.url },
    ],
  });
}

/** To the department: the consultation was accepted and numbered. */
export function consultationAcceptedMail(
  v: {
    council: Council;
    to: string[];
    title: string;
    number: ConsultationNumber;
    url: string;
    /** 「住民基本台帳事務 他3件」 (businessSummary), when known. */
    businesses?: string | undefined;
  } & DepartmentContact,
): Mail {
  const number = formatConsultationNumber(v.number);
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】諮問の受付:${number} ${v.title}`,
    addressee: toContact({ organization: v.departmentName, contactName: v.contactName }),
    blocks: [
      { kind: 'paragraph', text: `提出いただいた諮問「${v.title}」を受け付けました。` },
      { kind: 'table', rows: [['諮問番号', number], ...(v.businesses ? [['個人情報取扱事務', v.businesses] as [string, string]] : [])] },
      { kind: 'paragraph', text: '審議の日程が決まりましたら、あらためてお知らせします。' },
      { kind: 'link', label: '諮問の内容と状況はこちらから', url: v.url },
    ],
  });
}

/** To the secretariat and the department: a consultation was withdrawn (取り下げ). */
export function caseWithdrawnMail(v: { council: Council; to: string[]; title: string; departmentName: string; reason: string; by: string; url: string }): Mail {
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】諮問の取り下げ:${v.title}(${v.departmentName})`,
    // The same notice goes to the department and the secretariat: a group, hence 各位.
    addressee: '関係者 各位',
    blocks: [
      { kind: 'paragraph', text: `次の諮問は、${v.by}により取り下げられました。審議は行われません。` },
      {
        kind: 'table',
        rows: [
          ['件名', v.title],
          ['所管課', v.departmentName],
        ],
      },
      { kind: 'quote', label: '取り下げの理由', text: v.reason },
      { kind: 'link', label: '記録はこちらで確認できます', url: v.url },
    ],
  });
}

/**
 * To the department (its contact by name): its case is on a meeting's agenda — when and where, and
 * that its explainers attend (説明員) — or on a written decision, with the members' deadline.
 */
export function consultationScheduledMail(
  v: { council: Council; to: string[]; consultation: Consultation; meeting: Meeting; name: string; url: string } & DepartmentContact,
): Mail {
  const c = v.consultation;
  const number = c.number ? formatConsultationNumber(c.number) : '';
  const written = v.meeting.kind === 'written';
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】審議日程のお知らせ:${number} ${c.form.title}`,
    addressee: toContact({ organization: v.departmentName, contactName: v.contactName }),
    blocks: [
      { kind: 'paragraph', text: `諮問「${c.form.title}」${number ? `(${number})` : ''}は、次の${written ? '書面審議' : '会議'}で審議されます。` },
      {
        kind: 'table',
        rows: [
          ...(businessSummary(c.form) ? [['個人情報取扱事務', businessSummary(c.form)] as [string, string]] : []),
          ...(written
            ? [
                ['審議', v.name],
                ['表決期限', meetingWhen(v.meeting)],
              ]
            : [
                ['会議', v.name],
                ['日時', meetingWhen(v.meeting)],
                ['場所', v.meeting.venue ?? ''],
              ]),
        ] as [string, string][],
      },
      {
        kind: 'paragraph',
        text: written
          ? '委員は書面で表決します。委員から質問があった場合は、事務局からご連絡します。'
          : '当日は、諮問の内容を説明していただく方(説明員)の出席をお願いします。出席者と説明の順番は、事務局からあらためてご連絡します。',
      },
      { kind: 'link', label: '諮問の内容と状況はこちらから', url: v.url },
    ],
  });
}

/** To the secretariat: a department reports the vendor it chose after the decision (its form said 「選定中」). */
export function vendorReportedMail(v: {
  council: Council;
  departmentName: string;
  consultation: Consultation;
  report: VendorReport;
  url: string;
  departmentEmail?: string | undefined;
}): Mail {
  const c = v.consultation;
  const number = c.number ? formatConsultationNumber(c.number) : '';
  return letter(v.council, {
    to: [v.council.secretariatEmail],
    replyTo: v.departmentEmail ? [v.departmentEmail] : undefined,
    subject: `【${v.council.name}】委託先の報告:${number} ${c.form.title}(${v.departmentName})`,
    addressee: TO_SECRETARIAT,
    blocks: [
      { kind: 'paragraph', text: `${v.departmentName || '所管課'}から、審議の時点で選定中だった委託先の報告がありました。` },
      {
        kind: 'table',
        rows: [
          ['諮問', `${number} ${c.form.title}`.trim()],
          ['個人情報取扱事務', businessSummary(c.form)],
          ['委託先の名称', v.report.name],
          ['所在地', v.report.address],
          ['選定日', eraDateOrAsTyped(v.report.chosenOn)],
        ],
      },
      { kind: 'paragraph', text: '条件の履行報告は、今後この委託先の名称でお願いします。' },
      { kind: 'link', label: '諮問の内容と報告はこちらから', url: v.url },
    ],
  });
}
