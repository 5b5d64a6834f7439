import { requireRole } from '#shared/domain/principal.ts';
import { attendeeCommand, entryCommand, rollCommand, rollShape } from '#shared/domain/proceedings.ts';
import { InvalidInputError } from '#shared/errors.ts';
import { checkForm, type FormProblem } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { viewMeeting } from '#shared/use-cases/meetings.ts';
import { changeAttendees, recordRoll, saveEntry, viewRecord } from '#shared/use-cases/proceedings.ts';
import { meetingPage } from '#templates/pages/meetings.ts';
import { RECORD_NOTICES, recordPage } from '#templates/pages/proceedings.ts';
import { noticeOf, page, problem, type Request, type RouteHandler, seeOther } from '../kit.ts';

const meetingOf = (req: Request) => ({ councilId: req.param('councilId'), meetingId: req.param('meetingId') });

/** The meeting page with the roll or attendee form shown again, with its problems beside the fields. */
async function meetingWithProblem(req: Request, target: 'roll' | 'attendees', state: FormProblem) {
  const { councilId, meetingId } = meetingOf(req);
  requireRole(req.principal, councilId, 'secretariat');
  return page(meetingPage({ ...(await viewMeeting(req.deps, req.principal, councilId, meetingId)), problem: { target, state } }), 400);
}

/** 出欠・議長・出席者 on the meeting page, and the meeting-in-progress record (会議中の記録). */
export const proceedingsRoutes = {
  MeetingRoll: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const form = req.form();
    const command = checkForm(rollCommand, form, rollShape);
    if (!command.ok) return meetingWithProblem(req, 'roll', command);
    try {
      await recordRoll(req.deps, req.principal, councilId, meetingId, command.value);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return meetingWithProblem(req, 'roll', problem(form, e.fields));
    }
    return seeOther(`${href('MeetingView', { councilId, meetingId }, { notice: 'roll' })}#roll-h`);
  },

  MeetingAttendees: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const form = req.form();
    const command = checkForm(attendeeCommand, form);
    if (!command.ok) return meetingWithProblem(req, 'attendees', command);
    try {
      await changeAttendees(req.deps, req.principal, councilId, meetingId, command.value);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return meetingWithProblem(req, 'attendees', problem(form, e.fields));
    }
    return seeOther(`${href('MeetingView', { councilId, meetingId }, { notice: 'attendees' })}#attendees-h`);
  },

  MeetingRecord: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    return page(recordPage({ ...(await viewRecord(req.deps, req.principal, councilId, meetingId)), notice: noticeOf(req, RECORD_NOTICES) }));
  },

  /** One row saved as typed; a refused row comes back in place with what was typed. */
  MeetingRecordEntry: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const form = req.form();
    const command = checkForm(entryCommand, form);
    if (!command.ok) {
      const view = await viewRecord(req.deps, req.principal, councilId, meetingId);
      const entryId = String(form['entryId'] ?? '') || (form['kind'] === 'note' ? 'new-note' : 'new');
      return page(recordPage({ ...view, problem: { itemId: String(form['itemId'] ?? ''), entryId, state: command } }), 400);
    }
    const saved = await saveEntry(req.deps, req.principal, councilId, meetingId, command.value);
    const { itemId, entryId, kind } = command.value;
    // A new row done, the clerk goes on in the blank one; a changed row stays in view.
    const anchor = !saved ? `item-${itemId}` : entryId ? `e-${itemId}-${saved}` : `e-${itemId}-${kind === 'note' ? 'new-note' : 'new'}`;
    return seeOther(`${href('MeetingRecord', { councilId, meetingId }, { notice: saved ? 'saved' : 'removed' })}#${anchor}`);
  },
} satisfies Record<string, RouteHandler>;
