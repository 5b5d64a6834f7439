import type { Council } from '#shared/domain/council.ts';
import { ROLE_LABELS } from '#shared/domain/principal.ts';
import type { StaffMember } from '#shared/domain/staff.ts';
import type { Mail } from './compose.ts';
import { letter } from './layout.ts';

/**
 * 審議システムへのご招待: sent to a person the secretariat invited, from the council's sender,
 * replies going to the secretariat. It says where and with which user ID to sign in — never the
 * temporary password: the secretariat's page shows that once, and the secretariat hands it over
 * by another way (in person or by phone), so a forwarded or misdelivered mail opens nothing.
 */
export function staffInvitedMail({ council, staff, signInUrl }: { council: Council; staff: StaffMember; signInUrl: string }): Mail {
  return letter(council, {
    to: [staff.email],
    subject: `【${council.name}】審議システムの利用者として登録しました`,
    addressee: `${staff.name} 様`,
    blocks: [
      {
        kind: 'paragraph',
        text: `${council.name}の事務局です。審議システムの利用者(${ROLE_LABELS[staff.role]})として登録しました。\n次のページから、利用者IDと仮パスワードでサインインしてください。`,
      },
      { kind: 'table', rows: [['利用者ID', staff.userId]] },
      { kind: 'link', label: 'サインイン', url: signInUrl },
      {
        kind: 'note',
        strong: true,
        text: '仮パスワードは、このメールには記載していません。事務局から別の方法(対面または電話)でお伝えします。最初のサインインで、ご自分のパスワードに変更していただきます。',
      },
      { kind: 'paragraph', text: 'お心当たりのない場合は、このメールに返信して事務局にお知らせください。' },
    ],
  });
}
