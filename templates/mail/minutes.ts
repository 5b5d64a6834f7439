import type { Council, Member } from '#shared/domain/council.ts';
import type { Mail } from './compose.ts';
import { TO_MEMBERS, toMember } from './compose.ts';
import { letter } from './layout.ts';

/**
 * To the members: the minutes are final. With `member` (and `to: [member.email]`) the copy
 * is addressed to that member by name; without it, to the council as a whole (委員各位).
 */
export function minutesFinalMail(v: {
  council: Council;
  name: string;
  to: string[];
  url: string;
  member?: Pick<Member, 'memberId' | 'name'> | undefined;
}): Mail {
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】会議録の確定:${v.name}`,
    addressee: v.member ? toMember(v.council, v.member) : TO_MEMBERS,
    blocks: [
      { kind: 'paragraph', text: `${v.name}の会議録を確定しました。内容はこちらからご確認ください(Word・HTML・CSV で出力できます)。` },
      { kind: 'link', label: '会議録を開く', url: v.url },
    ],
  });
}
