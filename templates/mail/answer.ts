import { type Answer, conclusionOf } from '#shared/domain/answer.ts';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import type { Mail } from './compose.ts';
import { toContact, toMember } from './compose.ts';
import { letter } from './layout.ts';

/** To the department: the council has answered its consultation. */
export function answerIssuedMail(v: {
  council: Council;
  to: string[];
  answer: Answer;
  url: string;
  /** e.g. 福祉部 生活福祉課 */
  departmentName?: string | undefined;
  /** The form's 担当者; without it the mail goes to the department's ご担当者. */
  contactName?: string | undefined;
}): Mail {
  const a = v.answer;
  const number = a.number ? formatConsultationNumber(a.number) : '';
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】答申:${number} ${a.title}`,
    addressee: toContact({ organization: v.departmentName, contactName: v.contactName }),
    blocks: [
      {
        kind: 'paragraph',
        text: `諮問「${a.title}」${number ? `(${number})` : ''}について、${a.meetingName ?? v.council.name}での審議の結果、次のとおり答申しました。`,
      },
      {
        kind: 'table',
        rows: [
          ...(a.documentNumber ? [['文書番号', a.documentNumber] as [string, string]] : []),
          ['答申日', formatEraDate(a.issuedOn, { weekday: false })],
          ['結論', conclusionOf(a)],
        ],
      },
      a.conditions.length > 0 && { kind: 'list', label: '条件', ordered: true, items: a.conditions },
      (a.opinions?.length ?? 0) > 0 && { kind: 'list', label: '意見', ordered: true, items: a.opinions ?? [] },
      a.conditions.length > 0 && { kind: 'paragraph', text: '付された条件は、履行状況を審議会に報告していただきます。' },
      (a.opinions?.length ?? 0) > 0 && { kind: 'paragraph', text: '付された意見は条件ではありませんが、対応の状況を審議会に報告していただきます。' },
      { kind: 'link', label: '答申書はこちらから確認・印刷できます', url: v.url },
    ],
  });
}

/** To the chair: the answer drafted from the council's decision awaits approval before it is sent. */
export function answerApprovalMail(v: { council: Council; chair: Member; answer: Answer; meetingName?: string | undefined; url: string }): Mail {
  const a = v.answer;
  const number = a.number ? formatConsultationNumber(a.number) : '';
  return letter(v.council, {
    to: [v.chair.email],
    subject: `【${v.council.name}】答申案の確認のお願い:${number} ${a.title}`,
    addressee: toMember(v.council, v.chair, 'chair'),
    blocks: [
      {
        kind: 'paragraph',
        text: `${v.meetingName ?? v.council.name}での審議の結果から、「${a.title}」${number ? `(${number})` : ''}の答申案を作成しました。\n内容を確認し、答申日を決めて承認してください。承認されると文書番号が付き、所管課へ送付されます。`,
      },
      { kind: 'table', rows: [['結論', conclusionOf(a)]] },
      { kind: 'link', label: '答申案の確認・承認はこちらから(サインインが必要です)', url: v.url },
    ],
  });
}
