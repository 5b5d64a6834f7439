import type { FollowUpRef } from '#shared/adapters/followup-repository.ts';
import { DomainError } from '#shared/errors.ts';
import { checkForm, type FormOutcome } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import {
  businessHistory,
  councilCommand,
  councilOnFollowUp,
  followUpDashboard,
  followUpEvidence,
  planCommand,
  planFollowUp,
  reviewCommand,
  reviewFollowUp,
  viewFollowUp,
} from '#shared/use-cases/followups.ts';
import { businessHistoryPage, FOLLOW_UP_NOTICES, followUpDashboardPage, followUpPage } from '#templates/pages/followups.ts';
import { type Form, noticeOf, page, type Request, type RouteHandler, seeOther } from '../kit.ts';

const refOf = (req: Request): FollowUpRef => ({
  councilId: req.param('councilId'),
  consultationId: req.param('consultationId'),
  followUpId: req.param('followUpId'),
});

/** The secretariat's three acts on a follow-up, each with its form and the page notice it ends with. */
const ACTIONS = {
  review: { read: (f: Form) => checkForm(reviewCommand, f), act: reviewFollowUp, notice: 'reviewed' },
  council: { read: (f: Form) => checkForm(councilCommand, f), act: councilOnFollowUp, notice: 'council' },
  plan: { read: (f: Form) => checkForm(planCommand, f), act: planFollowUp, notice: 'planned' },
} as const;

/** 条件の履行確認: the dashboard, one condition with its reports and the secretariat's acts, evidence files, a business's history. */
export const followUpRoutes = {
  FollowUpsDashboard: async (req) => page(followUpDashboardPage(await followUpDashboard(req.deps, req.principal, req.param('councilId')))),

  FollowUpView: async (req) => page(followUpPage({ ...(await viewFollowUp(req.deps, req.principal, refOf(req))), notice: noticeOf(req, FOLLOW_UP_NOTICES) })),

  /** The secretariat's review of a report, the council's word on the condition, or a change of plan. */
  FollowUpAct: async (req) => {
    const ref = refOf(req);
    const name = req.param('action');
    if (!Object.hasOwn(ACTIONS, name)) throw new DomainError('この操作はありません。');
    const key = name as keyof typeof ACTIONS;
    const action = ACTIONS[key];
    const command = action.read(req.form()) as FormOutcome<never>;
    if (command.ok) {
      await action.act(req.deps, req.principal, ref, command.value);
      return seeOther(href('FollowUpView', ref, { notice: action.notice }));
    }
    return page(followUpPage({ ...(await viewFollowUp(req.deps, req.principal, ref)), problem: { target: key, state: command } }), 400);
  },

  FollowUpEvidence: async (req) =>
    seeOther(await followUpEvidence(req.deps, req.principal, refOf(req), Number(req.param('answer')), Number(req.param('file')))),

  BusinessHistory: async (req) =>
    page(businessHistoryPage(await businessHistory(req.deps, req.principal, req.param('councilId'), req.param('businessKey'), req.query('after')))),
} satisfies Record<string, RouteHandler>;
