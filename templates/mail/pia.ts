import type { Council, Department, Member } from '#shared/domain/council.ts';
import { formatEraDate } from '#shared/domain/era.ts';
import { PIA_REMINDER_LABELS, PIA_TYPES, PIA_VERDICTS, type PiaReminder, type PiaReview } from '#shared/domain/pia.ts';
import type { Mail } from './compose.ts';
import { toContact, toMember } from './compose.ts';
import { letter } from './layout.ts';

const current = (r: PiaReview) => r.versions.at(-1);

/** To a member: please review the 評価書 through this personal link. */
export function piaReviewRequestMail(v: {
  council: Council;
  member: Member;
  review: PiaReview;
  url: string;
  /** The secretariat sends a new link to a review under way (after the member's links were revoked, or a mail was lost). */
  again?: boolean | undefined;
}): Mail {
  const r = v.review;
  const version = current(r);
  return letter(v.council, {
    to: [v.member.email],
    subject: `【${v.council.name}】${v.again ? '【再送】' : ''}特定個人情報保護評価書の点検のお願い:${r.businessName}(期限 ${formatEraDate(r.review!.deadline, { weekday: false })})`,
    addressee: toMember(v.council, v.member),
    blocks: [
      v.again && {
        kind: 'paragraph',
        text: '点検のリンクをあらためてお送りします。以前のメールのリンクが開けない場合は、こちらのリンクをお使いください。入力済みのご意見はそのまま引き継がれます。',
      },
      {
        kind: 'paragraph',
        text: '番号法第28条に基づく特定個人情報保護評価書の第三者点検をお願いします。評価書をお読みいただき、項目ごとにご意見を入力してください。期限までは何度でも修正できます。',
      },
      {
        kind: 'table',
        rows: [
          ['評価対象の事務', r.businessName],
          ['評価書の種類', PIA_TYPES[r.evaluationType]],
          version && ['評価書', `第${version.n}版(${formatEraDate(version.date, { weekday: false })})`],
          ['点検の期限', formatEraDate(r.review!.deadline)],
        ],
      },
      { kind: 'link', label: '評価書の確認と意見の入力はこちらから', url: v.url },
      { kind: 'note', text: 'このリンクはあなた専用です。転送しないでください。アカウントは不要です。' },
    ],
  });
}

/** To the chair: the opinion's draft awaits approval. */
export function piaChairMail(v: { council: Council; chair: Member; review: PiaReview; url: string }): Mail {
  const r = v.review;
  return letter(v.council, {
    to: [v.chair.email],
    subject: `【${v.council.name}】評価書の点検の意見案の確認のお願い:${r.businessName}`,
    addressee: toMember(v.council, v.chair, 'chair'),
    blocks: [
      {
        kind: 'paragraph',
        text: `特定個人情報保護評価書「${r.businessName}」の第三者点検について、委員の意見から審議会の意見案を作成しました。\n内容を確認し、日付を決めて承認してください。承認されると文書番号が付き、所管課へ送付されます。`,
      },
      { kind: 'table', rows: [['意見(案)', r.opinion ? PIA_VERDICTS[r.opinion.verdict] : '']] },
      { kind: 'link', label: '意見案の確認・承認はこちらから(サインインが必要です)', url: v.url },
    ],
  });
}

/** To the department: the council's opinion on its 評価書. */
export function piaOpinionMail(v: { council: Council; department: Department; review: PiaReview; url: string }): Mail {
  const r = v.review;
  const o = r.opinion!;
  const findings = r.sections.map((s, i) => ({ section: s, text: o.findings[i] ?? '' })).filter((f) => f.text);
  return letter(v.council, {
    to: [v.department.email],
    subject: `【${v.council.name}】特定個人情報保護評価書の点検結果(意見):${r.businessName}`,
    addressee: toContact({ organization: v.department.name }),
    blocks: [
      { kind: 'paragraph', text: `特定個人情報保護評価書「${r.businessName}」について、審議会として点検した結果、次のとおり意見を述べます。` },
      {
        kind: 'table',
        rows: [
          o.documentNumber ? ['文書番号', o.documentNumber] : false,
          o.issuedOn ? ['日付', formatEraDate(o.issuedOn, { weekday: false })] : false,
          ['意見', PIA_VERDICTS[o.verdict]],
        ],
      },
      o.summary ? { kind: 'quote', label: '総評', text: o.summary } : false,
      findings.length > 0 && { kind: 'list', label: '項目ごとの指摘事項', items: findings.map((f) => ({ text: f.section, detail: f.text })) },
      {
        kind: 'paragraph',
        text: '評価書を個人情報保護委員会へ提出した日と公表した日は、点検の記録のページで記録してください。再評価の期限は提出日から5年後です(重要な変更があるときはその前)。',
      },
      { kind: 'link', label: '点検の記録と意見書はこちらから', url: v.url },
    ],
  });
}

/** To the department (copy to the secretariat): the 評価書 is due for re-evaluation. */
export function piaReminderMail(v: { council: Council; department: Department; review: PiaReview; milestone: PiaReminder; url: string }): Mail {
  const r = v.review;
  return letter(v.council, {
    to: [v.department.email, v.council.secretariatEmail],
    subject: `【${v.council.name}】特定個人情報保護評価の再評価の期限が近づいています(${PIA_REMINDER_LABELS[v.milestone]}):${r.businessName}`,
    addressee: [toContact({ organization: v.department.name }), '(写し:事務局)'],
    blocks: [
      {
        kind: 'paragraph',
        text: `特定個人情報保護評価書「${r.businessName}」の再評価の期限は${formatEraDate(r.reevaluationDue!)}です。期限までに再評価を行い、審議会の点検を受けてください。`,
      },
      {
        kind: 'table',
        rows: [
          ['評価書の種類', PIA_TYPES[r.evaluationType]],
          r.submittedOn ? ['前回の提出日', formatEraDate(r.submittedOn, { weekday: false })] : false,
          r.majorChange && ['重要な変更', `${formatEraDate(r.majorChange.on, { weekday: false })}:${r.majorChange.note}`],
          ['再評価の期限', formatEraDate(r.reevaluationDue!, { weekday: false })],
        ],
      },
      { kind: 'link', label: '点検の記録はこちらから', url: v.url },
    ],
  });
}
