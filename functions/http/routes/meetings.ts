import { newId } from '#shared/adapters/runtime.ts';
import { agendaRequestInput, nextMeetingInput } from '#shared/domain/agenda.ts';
import { cancelMeetingInput, meetingInput, meetingNumberInput, readHandsCommand } from '#shared/domain/meeting.ts';
import { exportRequest, readMinutesForm } from '#shared/domain/minutes.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { ConflictError, DomainError, InvalidInputError } from '#shared/errors.ts';
import { checkForm, type FormProblem } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { planNextMeeting, raiseRequest, removeAgendaItem } from '#shared/use-cases/agenda.ts';
import { cancelMeeting, changeMeeting } from '#shared/use-cases/meeting-changes.ts';
import {
  addAgendaItems,
  addItemsCommand,
  agendaOfMeeting,
  allHandsCommand,
  createMeeting,
  explainersCommand,
  itemUpdateCommand,
  listMeetings,
  mailAgenda,
  meetingsYear,
  openDeliberation,
  recordAllHands,
  recordShowOfHands,
  resumeMeeting,
  setExplainers,
  updateAgendaItem,
  viewMeeting,
} from '#shared/use-cases/meetings.ts';
import { exportStatus, finalizeMinutes, openMinutes, requestExport, saveMinutes } from '#shared/use-cases/minutes.ts';
import { chairReviewView, conditionsCommand, confirmConditions } from '#shared/use-cases/voting.ts';
import { emptyForm } from '#templates/form.ts';
import { conditionsPage } from '#templates/pages/conditions.ts';
import { MEETING_NOTICES, type MeetingNotice, meetingPage, meetingsPage } from '#templates/pages/meetings.ts';
import { exportPage, minutesPage } from '#templates/pages/minutes.ts';
import { download, noticeOf, page, problem, type Request, type RouteHandler, seeOther, wordRenderer } from '../kit.ts';

const meetingOf = (req: Request) => ({ councilId: req.param('councilId'), meetingId: req.param('meetingId') });
const backToMeeting = (req: Request, notice: MeetingNotice, itemId?: string, anchor = 'item') =>
  seeOther(`${href('MeetingView', meetingOf(req), { notice })}${itemId ? `#${anchor}-${itemId}` : ''}`);

/** The meeting page, with a refused form shown again where it belongs (an item, or the 'add' / 'note' forms). */
async function meetingWithProblem(req: Request, target: string, state: FormProblem) {
  const { councilId, meetingId } = meetingOf(req);
  return page(meetingPage({ ...(await viewMeeting(req.deps, req.principal, councilId, meetingId)), problem: { target, state } }), 400);
}

/** 会議・書面審議: the list, the agenda and its items, the opening, the decisions, the chair's wording, the minutes and their exports. */
export const meetingRoutes = {
  MeetingsList: async (req) =>
    page(
      meetingsPage({
        ...(await listMeetings(req.deps, req.principal, req.param('councilId'), meetingsYear.parse(req.query('year')))),
        form: emptyForm({ requestId: newId() }),
      }),
    ),

  MeetingCreate: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(meetingInput, req.form());
    if (command.ok) {
      const meeting = await createMeeting(req.deps, req.principal, councilId, command.value);
      return seeOther(href('MeetingView', { councilId, meetingId: meeting.meetingId }, { notice: 'created' }));
    }
    requireRole(req.principal, councilId, 'secretariat');
    return page(meetingsPage({ ...(await listMeetings(req.deps, req.principal, councilId)), form: command }), 400);
  },

  MeetingView: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    return page(meetingPage({ ...(await viewMeeting(req.deps, req.principal, councilId, meetingId)), notice: noticeOf(req, MEETING_NOTICES) }));
  },

  /** 会議次第 as a Word file, laid out by the minutes' renderer. */
  AgendaDocx: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const { document, fileName } = await agendaOfMeeting(req.deps, req.principal, councilId, meetingId);
    const { DOCX, documentDocx } = await wordRenderer();
    return download(await documentDocx(document), DOCX, fileName);
  },

  AgendaAdd: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const command = checkForm(addItemsCommand, req.form());
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return meetingWithProblem(req, req.form()['kind'] === 'deliberation' ? 'add' : 'note', command);
    }
    await addAgendaItems(req.deps, req.principal, councilId, meetingId, command.value);
    return backToMeeting(req, 'scheduled');
  },

  AgendaItemUpdate: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const itemId = req.param('itemId');
    const command = checkForm(itemUpdateCommand, req.form());
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return meetingWithProblem(req, itemId, command);
    }
    await updateAgendaItem(req.deps, req.principal, councilId, meetingId, itemId, command.value);
    return backToMeeting(req, 'updated', itemId, command.value.edit === 'free' ? 'line' : 'item');
  },

  /** Takes an item off the agenda (a deliberation's cases go back to 日程調整待ち). */
  AgendaItemRemove: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    await removeAgendaItem(req.deps, req.principal, councilId, meetingId, req.param('itemId'));
    return backToMeeting(req, 'removed');
  },

  /** A request raised under a report item becomes a follow-up for the department; problems come back beside the item. */
  AgendaItemRequest: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const itemId = req.param('itemId');
    const target = `request-${itemId}`;
    const command = checkForm(agendaRequestInput, req.form());
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return meetingWithProblem(req, target, command);
    }
    try {
      await raiseRequest(req.deps, req.principal, councilId, meetingId, itemId, command.value);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return meetingWithProblem(req, target, problem(req.form(), e.fields));
    }
    return backToMeeting(req, 'requested', itemId, 'line');
  },

  /** 次回開催日程: creates the next meeting, or changes it while it is planned. */
  AgendaNextMeeting: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const itemId = req.param('itemId');
    const target = `next-${itemId}`;
    const command = checkForm(nextMeetingInput, req.form());
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return meetingWithProblem(req, target, command);
    }
    try {
      await planNextMeeting(req.deps, req.principal, councilId, meetingId, itemId, command.value);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return meetingWithProblem(req, target, problem(req.form(), e.fields));
    }
    return backToMeeting(req, 'nextPlanned', itemId, 'line');
  },

  /** One 説明員 on the ticked items; problems come back beside that form. */
  AgendaExplainers: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const command = checkForm(explainersCommand, req.form());
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return meetingWithProblem(req, 'explainers', command);
    }
    try {
      await setExplainers(req.deps, req.principal, councilId, meetingId, command.value);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return meetingWithProblem(req, 'explainers', problem(req.form(), e.fields));
    }
    return backToMeeting(req, 'explainers');
  },

  MeetingOpen: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    await openDeliberation(req.deps, req.principal, councilId, meetingId);
    return backToMeeting(req, 'opened');
  },

  MeetingChange: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const form = req.form();
    const input = checkForm(meetingInput, { ...form, requestId: meetingId });
    const number = checkForm(meetingNumberInput, form);
    if (input.ok && number.ok) {
      try {
        await changeMeeting(req.deps, req.principal, councilId, meetingId, { input: input.value, number: number.value });
        return backToMeeting(req, 'changed');
      } catch (e) {
        if (!(e instanceof InvalidInputError)) throw e;
        return meetingWithProblem(req, 'change', problem(form, e.fields));
      }
    }
    const errors = { ...(input.ok ? {} : input.errors), ...(number.ok ? {} : number.errors) };
    return meetingWithProblem(req, 'change', problem(form, errors));
  },

  MeetingCancel: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const form = req.form();
    const command = checkForm(cancelMeetingInput, form);
    if (!command.ok) return meetingWithProblem(req, 'cancel', command);
    await cancelMeeting(req.deps, req.principal, councilId, meetingId, command.value);
    return backToMeeting(req, 'cancelled');
  },

  MeetingResume: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    await resumeMeeting(req.deps, req.principal, councilId, meetingId);
    return backToMeeting(req, 'resumed');
  },

  /** Presence and the show of hands on one item; problems come back beside the item's fields. */
  DecisionRecord: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const itemId = req.param('itemId');
    const command = readHandsCommand(req.form());
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return meetingWithProblem(req, itemId, command);
    }
    try {
      await recordShowOfHands(req.deps, req.principal, councilId, meetingId, itemId, command.value);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return meetingWithProblem(req, itemId, problem(req.form(), e.fields));
    }
    return backToMeeting(req, 'decided', itemId);
  },

  /** 全員挙手 on every item still to decide, from one roll; problems come back beside that form. */
  DecisionsAllHands: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const command = checkForm(allHandsCommand, req.form());
    if (!command.ok) {
      requireRole(req.principal, councilId, 'secretariat');
      return meetingWithProblem(req, 'all', command);
    }
    try {
      await recordAllHands(req.deps, req.principal, councilId, meetingId, command.value);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      return meetingWithProblem(req, 'all', problem(req.form(), e.fields));
    }
    return backToMeeting(req, 'decidedAll');
  },

  ConditionsView: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    return page(conditionsPage(await chairReviewView(req.deps, req.principal, councilId, meetingId, req.param('itemId'))));
  },

  /** The chair's final wording; the decision is issued. */
  ConditionsConfirm: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const itemId = req.param('itemId');
    const command = checkForm(conditionsCommand, req.form());
    if (command.ok) {
      await confirmConditions(req.deps, req.principal, councilId, meetingId, itemId, command.value);
      return seeOther(href('MeetingView', { councilId, meetingId }, { notice: 'decided' }));
    }
    return page(conditionsPage({ ...(await chairReviewView(req.deps, req.principal, councilId, meetingId, itemId)), state: command }), 400);
  },

  AgendaMail: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    await mailAgenda(req.deps, req.principal, councilId, meetingId);
    return backToMeeting(req, 'mailed');
  },

  MinutesEdit: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const view = await openMinutes(req.deps, req.principal, councilId, meetingId);
    return page(minutesPage({ ...view, saved: req.query('saved') === '1' }));
  },

  /** Saves the minutes; a conflicting save comes back with the typed text. */
  MinutesSave: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const view = await openMinutes(req.deps, req.principal, councilId, meetingId);
    const read = readMinutesForm(req.form(), view.minutes);
    let state: FormProblem | undefined = read.ok ? undefined : read;
    if (read.ok) {
      try {
        await saveMinutes(req.deps, req.principal, councilId, meetingId, { minutes: read.minutes, version: read.version });
        return seeOther(href('MinutesEdit', { councilId, meetingId }, { saved: 1 }));
      } catch (e) {
        if (!(e instanceof ConflictError)) throw e;
        state = problem(req.form(), { _form: e.message });
      }
    }
    return page(minutesPage({ ...view, state: state! }), state!.errors['_form'] ? 409 : 400);
  },

  MinutesFinalize: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    await finalizeMinutes(req.deps, req.principal, councilId, meetingId);
    return seeOther(href('MinutesEdit', { councilId, meetingId }));
  },

  /** Starts an export; its page shows progress. */
  MinutesExportRequest: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    const command = checkForm(exportRequest, req.form());
    if (!command.ok) throw new DomainError(Object.values(command.errors).join(' '));
    const exportId = await requestExport(req.deps, req.principal, councilId, meetingId, command.value);
    return seeOther(href('MinutesExportStatus', { councilId, meetingId, exportId }));
  },

  MinutesExportStatus: async (req) => {
    const { councilId, meetingId } = meetingOf(req);
    return page(exportPage(await exportStatus(req.deps, req.principal, councilId, meetingId, req.param('exportId'))));
  },
} satisfies Record<string, RouteHandler>;
