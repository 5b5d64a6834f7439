import type { Council, Member } from '#shared/domain/council.ts';
import { type Meeting, meetingWhen } from '#shared/domain/meeting.ts';
import type { Mail } from './compose.ts';
import { toMember } from './compose.ts';
import { letter } from './layout.ts';

const where = (m: Meeting) => (m.kind === 'written' ? `表決期限 ${meetingWhen(m)}` : `${meetingWhen(m)} ${m.venue ?? ''}`.trim());

/** To each member, by name: a planned meeting's date, time or place (or a written decision's deadline) changed. */
export function meetingChangedMail(v: { council: Council; member: Member; meeting: Meeting; before: Meeting; name: string; url: string }): Mail {
  return letter(v.council, {
    to: [v.member.email],
    subject: `【${v.council.name}】開催日時等の変更:${v.name}`,
    addressee: toMember(v.council, v.member),
    blocks: [
      { kind: 'paragraph', text: `${v.name}の${v.meeting.kind === 'written' ? '表決期限' : '開催日時・場所'}を次のとおり変更しました。` },
      {
        kind: 'table',
        rows: [
          ['変更前', where(v.before)],
          ['変更後', where(v.meeting)],
        ],
      },
      { kind: 'link', label: '会議次第はこちらから(サインインが必要です)', url: v.url },
    ],
  });
}

/** To each member, by name: a planned meeting was cancelled (中止), and why; its cases wait for another meeting. */
export function meetingCancelledMail(v: { council: Council; member: Member; meeting: Meeting; name: string; url: string }): Mail {
  return letter(v.council, {
    to: [v.member.email],
    subject: `【${v.council.name}】開催中止のお知らせ:${v.name}`,
    addressee: toMember(v.council, v.member),
    blocks: [
      { kind: 'paragraph', text: `${where(v.meeting)}に予定していた${v.name}は、開催を中止します。` },
      { kind: 'table', rows: [['中止の理由', v.meeting.cancelledReason ?? '']] },
      { kind: 'paragraph', text: '予定していた諮問は、改めて会議の日程を調整します。' },
      { kind: 'link', label: '会議の記録はこちらから(サインインが必要です)', url: v.url },
    ],
  });
}
