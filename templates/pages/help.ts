import { type Principal, ROLE_LABELS, ROLES, type Role } from '#shared/domain/principal.ts';
import { href } from '#shared/routes.ts';
import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

interface Step {
  title: string;
  text: string;
}

/** What each person does, in the order the work comes to them, in plain words. */
const GUIDES: Record<Role, { lead: string; steps: Step[]; notes: string[] }> = {
  department: {
    lead: '所管課の方は、個人情報を扱う事務を始めるときや変えるときに、審議会へ諮問します。このシステムで審議票を作り、事務局に提出します。',
    steps: [
      { title: '審議票を作る', text: '「諮問一覧」の「新しい諮問を作成する」から審議票を入力します。途中で「下書き保存」すれば、あとから続けられます。' },
      { title: '資料を添付する', text: '仕様書や契約書の案などを PDF・Word・Excel で添付します。委員はこの資料を読んで審議します。' },
      { title: '提出する', text: '「提出する」を押すと事務局に届きます。入力漏れがあれば、画面の上に一覧で表示されます。リンクを押すと、その項目に移ります。' },
      { title: '差し戻しに答える', text: '事務局から差し戻されたときはメールが届きます。コメントを読み、審議票を直して、回答を書いてから再提出します。' },
      { title: '答申を受け取る', text: '審議会の結論(答申書)はメールでお知らせします。諮問のページから答申書を開き、Word ファイルで保存することもできます。' },
      {
        title: '条件の履行を報告する',
        text: '条件付きで認められたときは、期限までに履行状況を報告します。委託先からの報告が必要なときは、届いたメールを委託先に転送してください。',
      },
    ],
    notes: ['審議票を印刷すると、入力した内容が書類の形で出力されます。課内の決裁にお使いください。', '他の課の諮問は表示されません。'],
  },
  secretariat: {
    lead: '事務局の方は、諮問の受付から会議の運営、答申、条件の履行確認までを進めます。ホーム画面に、いま対応が必要なものが表示されます。',
    steps: [
      {
        title: '受付審査',
        text: '「諮問一覧」の受付審査の欄で内容を確認します。問題がなければ、まとめて選んで受け付けると、諮問番号が順に付きます。直してほしいときは、諮問のページから差し戻します。',
      },
      { title: '会議を登録する', text: '「会議」で会議(または書面審議)を登録し、受付済みの諮問を議題に入れます。同じシステムの諮問は一括諮問にできます。' },
      {
        title: '会議次第を組み立てる',
        text: '開会・挨拶・諮問書授受・報告・説明・その他・次回開催日程・閉会を議題として追加し、件名や内容を直し、「上へ」「下へ」で並べ替え、不要なものは削除できます(会議中も追加できます)。番号は自動で付き、一括諮問の諮問もそれぞれの番号((6)〜(8)など)を持ちます。事前に配った会議次第にない説明は「次第外」にすると番号が付かず、送る会議次第と Word の会議次第には載りません。諮問の議題を削除すると、その諮問は日程調整待ちに戻ります。',
      },
      {
        title: '報告を求める・次回の会議を決める',
        text: '報告の議題では、所管課に「次回報告してください」と求めると、期限付きの履行確認として所管課に依頼が届き、「条件の履行確認」に載ります。次回開催日程の議題に日時と場所を入れると、次回の会議(この会議の次の回、年度が変われば第1回)が登録されます。日時を変えると、開催前であればその会議も変わり、委員にお知らせします。',
      },
      {
        title: '会議次第を送る',
        text: '会議次第と資料の案内を委員にメールで送ります。メールには予定表に登録できるファイル(.ics)が付きます。会議次第は Word ファイルでも保存できます。',
      },
      {
        title: '審議の結果を記録する',
        text: '審議を始めたら、議題ごとに出席者と挙手の結果を記録します。全員が賛成した議題は「残りの議題をまとめて記録する」で一度に記録できます。',
      },
      { title: '会議録を作る', text: '会議録を入力し、確定したら Word・HTML・CSV で出力します。公開用では、非公開の部分が自動で除かれます。' },
      { title: '条件の履行を確認する', text: '「条件の履行確認」で、所管課や委託先からの報告を確認し、審議会に報告します。' },
    ],
    notes: ['操作の記録は諮問ごとに残り、CSV で出力できます。ファイル名は諮問番号です。'],
  },
  member: {
    lead: '委員の方には、会議の案内や表決のお願いをメールでお送りします。表決はメールのリンクから行い、サインインは要りません。サインインすると、会議の一覧や資料も見られます。',
    steps: [
      { title: '会議の案内を受け取る', text: '会議次第と資料の案内がメールで届きます。添付の予定表ファイル(.ics)を開くと、カレンダーに会議が登録されます。' },
      { title: '資料を読む', text: 'メールのリンクから、諮問ごとの審議票と資料を読めます。' },
      {
        title: '書面審議で表決する',
        text: '書面審議のときは、メールのリンクから「可」「条件付き可」「否」を選び、送信します。期限までは何度でも変更できます。',
      },
      { title: '会議録を確認する', text: '会議録が確定すると、メールでお知らせします。' },
    ],
    notes: ['リンクはあなた専用です。他の方に転送しないでください。', 'キーボードだけでも操作できます(Tab で移動、Space で選択、Enter で送信)。'],
  },
  chair: {
    lead: '会長の方は、委員としての表決に加えて、答申に付す条件の文言を確定します。',
    steps: [
      { title: '会議の案内と資料', text: '委員の皆様と同じく、会議次第と資料の案内がメールで届きます。' },
      {
        title: '条件の文言を確定する',
        text: '書面審議で条件付き可となったときは、委員から出された条件をとりまとめ、答申に付す文言を確定します。お知らせのメールのリンクか、ホーム画面から操作します。',
      },
      { title: '答申書', text: '答申書は会長名で所管課に送られます。内容は会議のページから確認できます。' },
    ],
    notes: ['ホーム画面に、文言の確定を待つ条件が表示されます。'],
  },
  operator: {
    lead: '運用管理者の方は、このシステムを使う審議会を開設し、必要なときは利用を停止します。審議会の中の記録は開けません。',
    steps: [
      { title: '審議会を開設する', text: '「審議会の管理」で名称・自治体・問い合わせ先・表決の規則・差出人と、最初の事務局の担当者を入力します。' },
      { title: '仮パスワードを伝える', text: '開設の直後に一度だけ表示される仮パスワードを、事務局の担当者に安全な方法で伝えます。' },
      { title: '利用を停止する', text: '「利用を停止する」を押すと、その審議会の職員はサインインできなくなり、開いていた画面も使えなくなります。' },
    ],
    notes: ['部・課、職員、設定は、それぞれの審議会の事務局が登録します。'],
  },
};

/** 「ヘルプ」: the flow explained for one role, with the other roles' guides a link away. */
export function helpPage(v: { viewer?: Principal | undefined; role: Role }): string {
  const guide = GUIDES[v.role];
  return layout({
    title: `ヘルプ(${ROLE_LABELS[v.role]}の方へ)`,
    principal: v.viewer,
    body: html`<p>${guide.lead}</p>
<h2>仕事の流れ</h2>
<ol class="help-steps">${guide.steps.map((s) => html`<li><h3>${s.title}</h3><p>${s.text}</p></li>`)}</ol>
<h2>知っておくと便利なこと</h2>
<ul>${guide.notes.map((n) => html`<li>${n}</li>`)}</ul>
${otherGuides(v.role)}
<p>分からないことは事務局にお問い合わせください。</p>`,
  });
}

/** The guides of every role, for someone not signed in (a link page's holder, a visitor). */
export function helpIndexPage(v: { viewer?: Principal | undefined }): string {
  return layout({
    title: 'ヘルプ',
    principal: v.viewer,
    body: html`<p>個人情報保護審議会 審議システムの使い方を、立場ごとに説明しています。</p>
<ul>${ROLES.map((r) => html`<li><a href="${href('HelpRole', { role: r })}">${ROLE_LABELS[r]}の方へ</a>:${GUIDES[r].lead}</li>`)}</ul>`,
  });
}

const otherGuides = (current: Role): SafeHtml =>
  html`<nav aria-label="ほかの立場のヘルプ" class="no-print"><h2>ほかの立場の方へ</h2><ul>${ROLES.filter((r) => r !== current).map(
    (r) => html`<li><a href="${href('HelpRole', { role: r })}">${ROLE_LABELS[r]}の方へ</a></li>`,
  )}</ul></nav>`;
