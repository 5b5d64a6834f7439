import { html } from '../html.ts';
import type { Mail } from '#shared/adapters/mailer.ts';
import type { Council } from '#shared/domain/council.ts';
import { letter } from './layout.ts';

/** To the members: the minutes are final. */
export function minutesFinalMail(v: { council: Council; name: string; to: string[]; url: string }): Mail {
  return letter(v.council, {
    to: v.to,
    subject: `【${v.council.name}】会議録の確定:${v.name}`,
    text: `委員各位\n\n${v.name}の会議録を確定しました。内容はこちらからご確認ください(Word・HTML・CSV で出力できます)。\n${v.url}`,
    html: html`<p>委員各位</p><p>${v.name}の会議録を確定しました。</p><p><a href="${v.url}">会議録を開く</a>(Word・HTML・CSV で出力できます)</p>`,
  });
}
