import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import type { AgendaItem } from '#shared/domain/meeting.ts';
import type { Mail } from './compose.ts';
import { type ListItem, toMember } from './compose.ts';
import { letter } from './layout.ts';

const LINK_NOTE =
  'このリンクはあなた専用です。転送しないでください。リンクを開いただけでは表決は記録されません。ページで内容を確認し「表決する」を押してください。';
const PURPOSE_CHARS = 120;

// Cut by code points, never through a surrogate pair.
const excerpt = (text: string) => {
  const chars = [...text];
  return chars.length > PURPOSE_CHARS ? `${chars.slice(0, PURPOSE_CHARS).join('')}…` : text;
};

const caseItems = (cases: Consultation[]): ListItem[] =>
  cases.map((c) => ({
    text: [c.number && formatConsultationNumber(c.number), c.form.title].filter(Boolean).join(' '),
    detail: `目的:${excerpt(c.form.purpose ?? '')}`,
  }));

/** To a member: a written decision (書面審議) asks for their vote through a personal link. */
export function voteInvitationMail(v: {
  council: Council;
  member: Member;
  meetingName: string;
  deadline: string;
  item: AgendaItem;
  cases: Consultation[];
  url: string;
  /** The secretariat sends a new link to a vote still open (after the member's links were revoked, or a mail was lost). */
  again?: boolean | undefined;
}): Mail {
  return letter(v.council, {
    to: [v.member.email],
    subject: `【${v.council.name}】${v.again ? '【再送】' : ''}書面審議のお願い:${v.item.title}(期限 ${formatEraDate(v.deadline, { weekday: false })})`,
    addressee: toMember(v.council, v.member),
    blocks: [
      v.again && {
        kind: 'paragraph',
        text: '表決のリンクをあらためてお送りします。以前のメールのリンクが開けない場合は、こちらのリンクをお使いください。既に表決された場合も、期限までは変更できます。',
      },
      { kind: 'paragraph', text: `${v.meetingName}として、次の諮問について書面による表決をお願いします。` },
      {
        kind: 'table',
        rows: [
          ['議題', `${v.item.title}${v.cases.length > 1 ? '(一括諮問)' : ''}`],
          ['表決期限', formatEraDate(v.deadline)],
        ],
      },
      { kind: 'list', items: caseItems(v.cases) },
      { kind: 'link', label: '資料の確認と表決はこちらから(可・条件付き可・否・棄権、利害関係の申出)', url: v.url },
      { kind: 'note', text: LINK_NOTE },
    ],
  });
}

/** To a member who has not voted yet: the deadline is near (two days before, and on the day). */
export function voteReminderMail(v: {
  council: Council;
  member: Member;
  meetingName: string;
  deadline: string;
  item: AgendaItem;
  milestone: '2days' | 'dayof';
  url: string;
}): Mail {
  const when = v.milestone === 'dayof' ? '本日が表決期限です' : `表決期限(${formatEraDate(v.deadline, { weekday: false })})が近づいています`;
  return letter(v.council, {
    to: [v.member.email],
    subject: `【${v.council.name}】書面審議のお願い(再送):${v.item.title} ― ${when}`,
    addressee: toMember(v.council, v.member),
    blocks: [
      { kind: 'paragraph', text: `${v.meetingName}の書面審議について、${when}。まだ表決をいただいていないため、あらためてご案内します。` },
      {
        kind: 'table',
        rows: [
          ['議題', v.item.title],
          ['表決期限', formatEraDate(v.deadline)],
        ],
      },
      { kind: 'link', label: '資料の確認と表決はこちらから', url: v.url },
      { kind: 'note', text: LINK_NOTE },
    ],
  });
}

/** To the chair: the vote approved with conditions; the final wording is theirs to settle. */
export function chairReviewMail(v: {
  council: Council;
  chair: Member;
  meetingName: string;
  item: AgendaItem;
  proposed: string[];
  url: string;
  /** At a meeting, left to the presiding officer: addressed by their own office, and said so. */
  atMeeting?: boolean;
}): Mail {
  return letter(v.council, {
    to: [v.chair.email],
    subject: `【${v.council.name}】条件の確定のお願い:${v.item.title}`,
    // Written to the chair as chair, whatever the roster says at this moment; a presiding officer by their own office.
    addressee: v.atMeeting ? `${toMember(v.council, v.chair)}(議長)` : toMember(v.council, v.chair, 'chair'),
    blocks: [
      {
        kind: 'paragraph',
        text: v.atMeeting
          ? `${v.meetingName}で「${v.item.title}」は可とされ、付す条件・意見の文言は議長が確定することとされました。\n会議で示された内容をもとに、答申に付す文言を確定してください。`
          : `${v.meetingName}の書面審議で、「${v.item.title}」は条件付きで可とされました。\n委員から出された条件をとりまとめ、答申に付す条件の文言を確定してください。`,
      },
      { kind: 'list', label: v.atMeeting ? '会議で示された条件・意見' : '委員から出された条件', items: v.proposed },
      { kind: 'link', label: '確定はこちらから(サインインが必要です)', url: v.url },
    ],
  });
}
