import type { Council } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { FOLLOW_UP_TYPES, type FollowUp, subjectLabel, wordingLabel } from '#shared/domain/followups.ts';
import type { Mail } from './compose.ts';
import { TO_SECRETARIAT, toContact } from './compose.ts';
import { letter } from './layout.ts';

const LINK_NOTE = 'このリンクはこの条件の報告専用です。アカウントは不要です。';

/** What the owner reports on: a condition, or an incident's measure. */
const what = (fu: FollowUp) => (fu.incidentId ? '再発防止策' : '条件');

const dueText = (fu: FollowUp) => `${formatEraDate(fu.due)}${fu.everyMonths ? `(以後 ${fu.everyMonths}か月ごと)` : ''}`;

/**
 * To the owner (or to the department, to forward to its vendor): please report on a condition.
 * `contactName` is the owner's contact person, when known; otherwise the owner's ご担当者.
 */
export function followUpRequestMail(v: {
  council: Council;
  followUp: FollowUp;
  url: string;
  forward: boolean;
  reminder?: boolean;
  contactName?: string | undefined;
}): Mail {
  const fu = v.followUp;
  return letter(v.council, {
    to: [fu.ownerEmail],
    subject: `【${v.council.name}】${v.reminder ? '(期限が近づいています)' : ''}${fu.incidentId ? '再発防止策の実施報告のお願い' : fu.source ? '審議会から求められた報告のお願い' : '条件の履行報告のお願い'}:${fu.title}(期限 ${formatEraDate(fu.due, { weekday: false })})`,
    addressee: toContact({ organization: fu.ownerName, contactName: v.contactName }),
    blocks: [
      v.forward && {
        kind: 'note',
        strong: true,
        text: `この報告は委託先「${fu.ownerName}」にお願いするものです。このメールを委託先のご担当者に転送してください。`,
      },
      {
        kind: 'paragraph',
        text: fu.incidentId
          ? '漏えい等事案の次の再発防止策について、期限までに実施状況の報告をお願いします。'
          : fu.source
            ? '審議会の会議で、次の事項について報告が求められました。期限までに報告をお願いします。'
            : '審議会の答申に付された次の条件について、履行状況の報告をお願いします。',
      },
      {
        kind: 'table',
        rows: [
          [subjectLabel(fu), fu.title],
          [wordingLabel(fu), fu.condition],
          ['区分', FOLLOW_UP_TYPES[fu.type].label],
          ['必要な資料', fu.evidence],
          ['期限', dueText(fu)],
        ],
      },
      { kind: 'link', label: '報告と資料の提出はこちらから', url: v.url },
      { kind: 'note', text: LINK_NOTE },
    ],
  });
}

/** To the secretariat: an owner has reported. Replies go to the owner's address. */
export function followUpAnsweredMail(v: { council: Council; followUp: FollowUp; answeredBy: string; url: string }): Mail {
  const fu = v.followUp;
  return letter(v.council, {
    to: [v.council.secretariatEmail],
    replyTo: [fu.ownerEmail],
    subject: `【${v.council.name}】${fu.incidentId ? '再発防止策の実施報告' : '条件の履行報告'}が届きました:${fu.title}`,
    addressee: TO_SECRETARIAT,
    blocks: [
      { kind: 'paragraph', text: `${fu.ownerName}(${v.answeredBy})から、次の${what(fu)}について報告が届きました。内容を確認してください。` },
      {
        kind: 'table',
        rows: [
          [subjectLabel(fu), fu.title],
          [wordingLabel(fu), fu.condition],
        ],
      },
      { kind: 'link', label: '報告の確認はこちらから', url: v.url },
    ],
  });
}

/** To the owner: the report was returned, or the council asks for more. */
export function followUpReturnedMail(v: { council: Council; followUp: FollowUp; comment: string; url: string; contactName?: string | undefined }): Mail {
  const fu = v.followUp;
  return letter(v.council, {
    to: [fu.ownerEmail],
    subject: `【${v.council.name}】${fu.incidentId ? '再発防止策の実施報告' : '条件の履行報告'}について追加のお願い:${fu.title}`,
    addressee: toContact({ organization: fu.ownerName, contactName: v.contactName }),
    blocks: [
      { kind: 'paragraph', text: `次の${what(fu)}についての報告に、追加・修正をお願いします(期限 ${formatEraDate(fu.due)})。` },
      {
        kind: 'table',
        rows: [
          [subjectLabel(fu), fu.title],
          [wordingLabel(fu), fu.condition],
        ],
      },
      { kind: 'quote', label: 'コメント', text: v.comment },
      { kind: 'link', label: '報告はこちらから', url: v.url },
      { kind: 'note', text: LINK_NOTE },
    ],
  });
}

/**
 * To the department's manager, with a copy to the secretariat: a condition's report is
 * overdue. The secretariat is named as the copy's holder, not addressed by itself as 御中.
 */
export function followUpEscalationMail(v: { council: Council; followUp: FollowUp; to: string[]; url: string; departmentName?: string | undefined }): Mail {
  const fu = v.followUp;
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】期限超過:${fu.incidentId ? '再発防止策の実施報告' : '条件の履行報告'}が届いていません(${fu.title})`,
    addressee: [v.departmentName ? `${v.departmentName} 所属長 様` : '所属長 様', '(写し:事務局)'],
    blocks: [
      {
        kind: 'paragraph',
        text: `${fu.incidentId ? '漏えい等事案の次の再発防止策' : '審議会の答申に付された次の条件'}について、期限(${formatEraDate(fu.due)})を過ぎても報告が届いていません。`,
      },
      {
        kind: 'table',
        rows: [
          ['報告する人', fu.ownerName],
          [subjectLabel(fu), fu.title],
          [wordingLabel(fu), fu.condition],
        ],
      },
      { kind: 'link', label: '状況の確認をお願いします', url: v.url },
    ],
  });
}
