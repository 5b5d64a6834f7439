import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { viewFollowUp } from '#shared/use-cases/followups.ts';
import { FOLLOW_UP_NOTICES, followUpPage, type FollowUpNotice } from '#templates/pages/followups.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/{consultationId}/followups/{followUpId} — one condition's reports and actions. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId'), followUpId: pathParam(event, 'followUpId') };
  const notice = event.queryStringParameters?.['notice'];
  return htmlResponse(followUpPage({ ...(await viewFollowUp(deps, principalOf(event), ref)), notice: notice && notice in FOLLOW_UP_NOTICES ? (notice as FollowUpNotice) : undefined }));
});
