import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf, readForm, seeOther } from '#shared/adapters/http.ts';
import { DomainError } from '#shared/errors.ts';
import { councilOnFollowUp, planFollowUp, reviewFollowUp, viewFollowUp } from '#shared/use-cases/followups.ts';
import { followUpPage } from '#templates/pages/followups.ts';

const deps = createDeps();
const ACTIONS = { review: reviewFollowUp, council: councilOnFollowUp, plan: planFollowUp } as const;
const NOTICES = { review: 'reviewed', council: 'council', plan: 'planned' } as const;

/**
 * POST /c/{councilId}/consultations/{consultationId}/followups/{followUpId}/{action} — the
 * secretariat's review of a report, the council's word on the condition, or a change of plan.
 */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId'), followUpId: pathParam(event, 'followUpId') };
  const action = pathParam(event, 'action');
  if (!(action in ACTIONS)) throw new DomainError('この操作はありません。');
  const key = action as keyof typeof ACTIONS;
  const result = await ACTIONS[key](deps, principalOf(event), ref, readForm(event));
  const base = `/c/${ref.councilId}/consultations/${ref.consultationId}/followups/${ref.followUpId}`;
  if (result.ok) return seeOther(`${base}?notice=${NOTICES[key]}`);
  return htmlResponse(followUpPage({ ...(await viewFollowUp(deps, principalOf(event), ref)), problem: { target: key, state: result } }), 400);
});
