import { html } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import type { Council, Member } from '#shared/domain/council.ts';
import { letter } from './layout.ts';

/** 委員登録のお知らせ: sent to a member when the secretariat registers them. */
export function memberRegisteredMail({ council, member, rosterUrl }: { council: Council; member: Member; rosterUrl: string }): Mail {
  const subject = `【${council.name}】委員として登録しました`;
  const text = `${member.name} 様

${council.name}の委員として、審議システムに登録しました。
今後、諮問の資料や表決のご依頼はこのアドレスにお送りします。

委員名簿:${rosterUrl}

お心当たりのない場合や登録内容に誤りがある場合は、お手数ですが事務局までご連絡ください。
`;
  return letter(council, { to: [member.email], subject, text, html: html`<p>${member.name} 様</p>
<p>${council.name}の委員として、審議システムに登録しました。<br>今後、諮問の資料や表決のご依頼はこのアドレスにお送りします。</p>
<p><a href="${rosterUrl}">委員名簿を開く</a></p>
<p>お心当たりのない場合や登録内容に誤りがある場合は、お手数ですが事務局までご連絡ください。</p>` });
}
