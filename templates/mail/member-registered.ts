import type { Council, Member } from '#shared/domain/council.ts';
import type { Mail } from './compose.ts';
import { toMember } from './compose.ts';
import { letter } from './layout.ts';

/** 委員登録のお知らせ: sent to a member when the secretariat registers them. */
export function memberRegisteredMail({ council, member, rosterUrl }: { council: Council; member: Member; rosterUrl: string }): Mail {
  return letter(council, {
    to: [member.email],
    subject: `【${council.name}】委員として登録しました`,
    addressee: toMember(council, member),
    blocks: [
      { kind: 'paragraph', text: `${council.name}の委員として、審議システムに登録しました。\n今後、諮問の資料や表決のご依頼はこのアドレスにお送りします。` },
      { kind: 'link', label: '委員名簿', url: rosterUrl },
      { kind: 'paragraph', text: 'お心当たりのない場合や登録内容に誤りがある場合は、お手数ですが事務局までご連絡ください。' },
    ],
  });
}
