import { ANSWER_CONCLUSIONS, type Answer } from '#shared/domain/answer.ts';
import { formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council } from '#shared/domain/council.ts';
import type { Mail } from './compose.ts';
import { toContact } from './compose.ts';
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
      { kind: 'table', rows: [['結論', ANSWER_CONCLUSIONS[a.outcome]]] },
      a.conditions.length > 0 && { kind: 'list', label: '条件', ordered: true, items: a.conditions },
      a.conditions.length > 0 && { kind: 'paragraph', text: '付された条件は、履行状況を審議会に報告していただきます。' },
      { kind: 'link', label: '答申書はこちらから確認・印刷できます', url: v.url },
    ],
  });
}
