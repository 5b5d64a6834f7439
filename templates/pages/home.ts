import { type Consultation, formatConsultationNumber } from '#shared/domain/consultation.ts';
import type { Council } from '#shared/domain/council.ts';
import { fiscalYear, formatEraDate, formatFiscalYear, formatWesternDate } from '#shared/domain/era.ts';
import type { FollowUp } from '#shared/domain/followups.ts';
import type { HomeView, IncidentWaiting, ItemOnMeeting } from '#shared/domain/home.ts';
import { PPC_REPORTS } from '#shared/domain/incidents.ts';
import { MEETING_STATUS_LABELS, type Meeting, meetingName, meetingWhen } from '#shared/domain/meeting.ts';
import { formatCount } from '#shared/domain/schema.ts';
import { href } from '#shared/routes.ts';

import { html, type SafeHtml } from '../html.ts';
import { layout } from '../layout.ts';

/** How many of a group's entries the home page lists; the rest are a link away. */
const SHOWN = 5;

/** One kind of work that waits: a heading with its count, the first entries, and where the rest are. */
interface Group {
  id: string;
  title: string;
  entries: SafeHtml[];
  /** The page that lists them all. */
  all?: { href: string; label: string } | undefined;
  /** Shown as a warning (stalled cases, overdue reports). */
  alarm?: boolean;
}

const count = (n: number) => `${formatCount(n)}件`;
/** A calendar date ('YYYY-MM-DD'), or the Tokyo date of an instant. */
const day = (date: string) => formatEraDate(date.length > 10 ? new Date(date) : date, { weekday: false });

function groupSection(g: Group): SafeHtml {
  const rest = g.entries.length - SHOWN;
  return html`<section class="waiting${g.alarm ? ' alarm' : ''}" aria-labelledby="${g.id}">
<h2 id="${g.id}">${g.title}(${count(g.entries.length)})</h2>
<ul>${g.entries.slice(0, SHOWN).map((e) => html`<li>${e}</li>`)}</ul>
${rest > 0 || g.all ? html`<p>${rest > 0 ? `ほか${count(rest)}。` : ''}${g.all ? html`<a href="${g.all.href}">${g.all.label}</a>` : ''}</p>` : ''}
</section>`;
}

/** The count of every group that has something, each a link to its section; or that nothing waits. */
function summary(groups: Group[]): SafeHtml {
  const waiting = groups.filter((g) => g.entries.length);
  if (!waiting.length) return html`<p class="notice" role="status">いま、あなたを待っている作業はありません。</p>`;
  return html`<nav aria-label="あなたを待っていること" class="notice"><p><strong>あなたを待っていること</strong></p>
<ul>${waiting.map((g) => html`<li><a href="#${g.id}">${g.title}:${count(g.entries.length)}</a></li>`)}</ul></nav>
${waiting.map(groupSection)}`;
}

const caseEntry = (c: Consultation, note: string, target = href('ConsultationView', c)) =>
  html`<a href="${target}">${c.number ? `${formatConsultationNumber(c.number)} ` : ''}${c.form.title}</a> <span class="muted">${note}</span>`;

const followUpEntry = (f: FollowUp, today: string) =>
  html`<a href="${href('FollowUpView', f)}">${f.title}:${f.condition}</a> <span class="muted">(${f.ownerName}・期限 ${day(f.due)}${
    f.due < today ? html`・<strong class="overdue">期限切れ</strong>` : ''
  })</span>`;

const meetingEntry = (council: Council, m: Meeting) =>
  html`<a href="${href('MeetingView', { councilId: council.councilId, meetingId: m.meetingId })}">${meetingName(council, m)}</a> <span class="muted">${
    m.kind === 'written' ? '表決期限 ' : ''
  }${meetingWhen(m)}・${MEETING_STATUS_LABELS[m.status]}</span>`;

const itemEntry = (council: Council, { meeting, item }: ItemOnMeeting, target: string, note: string) =>
  html`<a href="${target}">${item.title}</a> <span class="muted">(${meetingName(council, meeting)}・${note})</span>`;

const incidentEntry = (w: IncidentWaiting) =>
  html`<a href="${href('IncidentView', w.incident)}">${w.incident.title}</a> <span class="muted">(${PPC_REPORTS[w.report]}・期限 ${day(w.due)}${
    w.overdue ? html`・<strong class="overdue">期限切れ</strong>` : ''
  })</span>`;

/** 漏えい等事案 whose report to the 個人情報保護委員会 is owed (the secretariat's all, a department's own). */
const incidentGroup = (council: Council, incidents: IncidentWaiting[]): Group => ({
  id: 'w-incidents',
  title: '個人情報保護委員会への報告を待つ漏えい等事案',
  entries: incidents.map(incidentEntry),
  all: { href: href('IncidentsList', council), label: '漏えい等事案の一覧' },
  alarm: incidents.some((w) => w.overdue),
});

/** 評価書の第三者点検 waiting for the person, whatever their role. */
const piaGroup = (v: Exclude<HomeView, { kind: 'anonymous' }>): Group => ({
  id: 'w-pia',
  title: '特定個人情報保護評価書の第三者点検',
  entries: (v.pia ?? []).map((p) => html`<a href="${href('PiaView', p.review)}">${p.review.businessName}</a> <span class="muted">(${p.note})</span>`),
  all: { href: href('PiaList', v.council), label: '点検の一覧' },
  alarm: (v.pia ?? []).some((p) => p.alarm),
});

function groupsOf(v: Exclude<HomeView, { kind: 'anonymous' }>): Group[] {
  return [...workGroupsOf(v), piaGroup(v)];
}

function workGroupsOf(v: Exclude<HomeView, { kind: 'anonymous' }>): Group[] {
  const at = (x: ItemOnMeeting) => ({ councilId: v.council.councilId, meetingId: x.meeting.meetingId });
  const list = href('ConsultationsList', v.council);
  switch (v.kind) {
    case 'department':
      return [
        // Reports to the 個人情報保護委員会 are counted in days from the day the city knew: first.
        incidentGroup(v.council, v.incidents),
        {
          id: 'w-returned',
          title: '差し戻された諮問(修正して再提出)',
          entries: v.returned.map((c) => caseEntry(c, `差し戻し ${c.returns}回目`, href('ConsultationEdit', c))),
          all: { href: list, label: '諮問一覧を開く' },
        },
        { id: 'w-drafts', title: '提出していない下書き', entries: v.drafts.map((c) => caseEntry(c, `更新 ${day(c.updatedAt)}`, href('ConsultationEdit', c))) },
        {
          id: 'w-followups',
          title: '報告の期限が近い条件',
          entries: v.followUps.map((f) => followUpEntry(f, v.today)),
          alarm: v.followUps.some((f) => f.due < v.today),
        },
      ];
    case 'secretariat':
      return [
        { id: 'w-stalled', title: '処理が止まっている諮問', entries: v.stalled.map((c) => caseEntry(c, '再実行か取り下げを')), alarm: true },
        incidentGroup(v.council, v.incidents),
        {
          id: 'w-screen',
          title: '受付審査を待つ諮問',
          entries: v.toScreen.map((c) => caseEntry(c, c.submittedAt ? `提出 ${day(c.submittedAt)}` : '')),
          all: { href: list, label: '諮問一覧を開く' },
        },
        {
          id: 'w-schedule',
          title: '議題に入れる諮問(受付済み)',
          entries: v.toSchedule.map((c) => caseEntry(c, '日程調整待ち')),
          all: { href: href('MeetingsList', v.council), label: '会議を開いて議題に入れる' },
        },
        {
          id: 'w-meetings',
          title: '今後の会議・書面審議',
          entries: v.meetings.map((m) => meetingEntry(v.council, m)),
          all: { href: href('MeetingsList', v.council), label: '会議の一覧' },
        },
        {
          id: 'w-chair',
          title: '会長の条件確定を待つ議題',
          entries: v.awaitingChair.map((x) => itemEntry(v.council, x, href('MeetingView', at(x)), '表決終了')),
        },
        {
          id: 'w-answers',
          title: '承認を待つ答申案',
          entries: v.answersToApprove.map((c) => caseEntry(c, '会長の承認待ち', href('AnswerView', c))),
        },
        {
          id: 'w-review',
          title: '確認を待つ条件の報告',
          entries: v.toReview.map((f) => followUpEntry(f, v.today)),
          all: { href: href('FollowUpsDashboard', v.council), label: '履行確認の一覧' },
        },
        { id: 'w-overdue', title: '報告の期限を過ぎた条件', entries: v.overdue.map((f) => followUpEntry(f, v.today)), alarm: true },
      ];
    case 'member':
      return [
        {
          id: 'w-votes',
          title: '表決をお願いしている議題',
          entries: v.votes.map((x) =>
            itemEntry(v.council, x, href('MeetingView', at(x)), `表決期限 ${day(x.item.voting!.deadline)}・メールのリンクから表決してください`),
          ),
        },
        {
          id: 'w-chair',
          title: '文言の確定を待つ条件(会長・議長)',
          entries: v.awaitingChair.map((x) => itemEntry(v.council, x, href('ConditionsView', { ...at(x), itemId: x.item.itemId }), '表決終了')),
        },
        {
          id: 'w-answers',
          title: '承認を待つ答申案(会長・議長)',
          entries: v.answersToApprove.map((c) => caseEntry(c, '答申案', href('AnswerView', c))),
        },
        {
          id: 'w-meetings',
          title: '今後の会議・書面審議',
          entries: v.meetings.map((m) => meetingEntry(v.council, m)),
          all: { href: href('MeetingsList', v.council), label: '会議の一覧' },
        },
      ];
  }
}

export function homePage(v: HomeView, now: Date): string {
  const today = now;
  const intro = html`<p>本日は ${formatEraDate(today)}(${formatWesternDate(today)})、${formatFiscalYear(fiscalYear(today), today)}です。</p>`;
  if (v.kind === 'anonymous') {
    return layout({
      title: '個人情報保護審議会 審議システム',
      signIn: true,
      body: html`${intro}
<p>所管課からの諮問の受付、審議会の開催、委員の表決、答申、条件の履行確認までを一つの記録として管理します。職員の方はサインインしてください。</p>
<p><a class="button" href="${href('AuthSignIn', {})}">サインイン</a></p>`,
    });
  }
  return layout({
    title: v.council.name,
    principal: v.viewer,
    body: html`${intro}
${v.kind === 'department' ? html`<p><a class="button" href="${href('ConsultationNew', v.council)}">新しい諮問を作成する</a></p>` : ''}
${summary(groupsOf(v))}`,
  });
}
