import type { Deps } from '#shared/adapters/deps.ts';
import { htmlResponse, pathParam, principalOf, type HttpEvent, type HttpResult } from '#shared/adapters/http.ts';
import type { FormProblem } from '#shared/forms.ts';
import { viewMeeting } from '#shared/use-cases/meetings.ts';
import { MEETING_NOTICES, meetingPage, type MeetingNotice } from '#templates/pages/meetings.ts';

/** The meeting page for this request, optionally with a failed form shown where it belongs. */
export async function meetingResponse(deps: Deps, event: HttpEvent, problem?: { target: string; state: FormProblem }): Promise<HttpResult> {
  const view = await viewMeeting(deps, principalOf(event), pathParam(event, 'councilId'), pathParam(event, 'meetingId'));
  const notice = event.queryStringParameters?.['notice'];
  return htmlResponse(
    meetingPage({ ...view, notice: notice && notice in MEETING_NOTICES ? (notice as MeetingNotice) : undefined, problem }),
    problem ? 400 : 200,
  );
}

export const backToMeeting = (event: HttpEvent, notice: MeetingNotice, anchor = '') =>
  `/c/${pathParam(event, 'councilId')}/meetings/${pathParam(event, 'meetingId')}?notice=${notice}${anchor}`;
