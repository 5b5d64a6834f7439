import type { Principal } from '#shared/domain/principal.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';

const TITLES: Record<number, string> = {
  400: '入力内容に誤りがあります',
  401: 'サインインが必要です',
  403: '権限がありません',
  404: 'ページが見つかりません',
  409: '他の操作と重なりました',
  410: 'このリンクは使えなくなりました',
  413: '送信内容が大きすぎます',
  429: 'アクセスが集中しています',
  500: 'エラーが発生しました',
  502: '応答を読み取れませんでした',
};

export function errorPage(status: number, message: string, principal?: Principal): string {
  return layout({
    title: TITLES[status] ?? 'エラー',
    principal,
    // Only the page that asks for a sign-in offers one; a link's holder may have no account.
    signIn: status === 401,
    body: html`<div class="notice error" role="alert">${message}</div>
<p><a href="/">トップページへ戻る</a></p>`,
  });
}
