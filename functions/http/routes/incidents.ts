import type { IncidentRef } from '#shared/adapters/incident-repository.ts';
import { incidentInput, measureInput, personNoticeInput, requestIdInput, submissionInput, versionInput } from '#shared/domain/incidents.ts';
import { ConflictError, DomainError, InvalidInputError } from '#shared/errors.ts';
import { checkForm, type FormOutcome } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import {
  addMeasure,
  editIncident,
  incidentForm,
  listIncidents,
  recordIncident,
  recordPersonNotice,
  recordSubmission,
  reportToCouncil,
  viewIncident,
} from '#shared/use-cases/incidents.ts';
import {
  INCIDENT_NOTICES,
  type IncidentAction,
  incidentFormPage,
  incidentFormValues,
  incidentPage,
  incidentsCsv,
  incidentsPage,
} from '#templates/pages/incidents.ts';
import { download, type Form, noticeOf, page, problem, type Request, type RouteHandler, seeOther } from '../kit.ts';

/** Which incidents a list shows: open ones unless asked for the closed or all. */
const shownOf = (req: Request) => {
  const show = req.query('show');
  return show === 'closed' || show === 'all' ? show : 'open';
};

const refOf = (req: Request): IncidentRef => ({ councilId: req.param('councilId'), incidentId: req.param('incidentId') });

/** The edit form: the facts and the version they were read at. */
const editForm = (f: Form) => {
  const facts = checkForm(incidentInput, f);
  const version = checkForm(versionInput, f);
  if (!facts.ok || !version.ok) return { ok: false as const, errors: { ...(facts.ok ? {} : facts.errors), ...(version.ok ? {} : version.errors) }, values: f };
  return { ok: true as const, value: { facts: facts.value, version: version.value.version } };
};

/** The acts on an incident page besides the edit: each its form, its use case and the notice it ends with. */
const ACTIONS = {
  report: { read: (f: Form) => checkForm(submissionInput, f), act: recordSubmission },
  notice: { read: (f: Form) => checkForm(personNoticeInput, f), act: recordPersonNotice },
  measure: { read: (f: Form) => checkForm(measureInput, f), act: addMeasure },
  council: { read: (_f: Form) => ({ ok: true as const, value: undefined }), act: (deps, principal, ref) => reportToCouncil(deps, principal, ref) },
} as const satisfies Record<Exclude<IncidentAction, 'save'>, { read: (f: Form) => FormOutcome<unknown>; act: (...a: never[]) => Promise<unknown> }>;

/** 漏えい等事案: the list, the form, one incident with its reports, notice, measures and the council's hearing. */
export const incidentRoutes = {
  IncidentsList: async (req) => page(incidentsPage(await listIncidents(req.deps, req.principal, req.param('councilId'), shownOf(req)))),

  /** The same list, as the page shows it, in a CSV file for Excel. */
  IncidentsCsv: async (req) => {
    const { csv, fileName } = incidentsCsv(await listIncidents(req.deps, req.principal, req.param('councilId'), shownOf(req)));
    return download(csv, 'text/csv; charset=utf-8', fileName);
  },

  IncidentNew: async (req) => page(incidentFormPage(await incidentForm(req.deps, req.principal, req.param('councilId')))),

  IncidentCreate: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(incidentInput, req.form());
    const request = checkForm(requestIdInput, req.form());
    let state = command.ok ? (request.ok ? undefined : request) : command;
    let status = 400;
    if (command.ok && request.ok) {
      try {
        const incidentId = await recordIncident(req.deps, req.principal, councilId, command.value, request.value.requestId);
        return seeOther(href('IncidentView', { councilId, incidentId }, { notice: 'created' }));
      } catch (e) {
        if (e instanceof InvalidInputError) state = problem(req.form(), e.fields);
        else if (e instanceof ConflictError) [state, status] = [problem(req.form(), { _form: e.message }), 409];
        else throw e;
      }
    }
    return page(incidentFormPage({ ...(await incidentForm(req.deps, req.principal, councilId)), state }), status);
  },

  IncidentView: async (req) => page(incidentPage({ ...(await viewIncident(req.deps, req.principal, refOf(req))), notice: noticeOf(req, INCIDENT_NOTICES) })),

  IncidentEdit: async (req) => {
    const view = await viewIncident(req.deps, req.principal, refOf(req));
    const form = await incidentForm(req.deps, req.principal, view.council.councilId);
    return page(incidentFormPage({ ...form, incident: view.incident, state: incidentFormValues(view.incident) }));
  },

  /** The edit, or one of the acts on the incident page; a refused form comes back with its errors beside the fields. */
  IncidentAct: async (req) => {
    const ref = refOf(req);
    const name = req.param('action');
    if (name === 'save') {
      const command = editForm(req.form());
      let state = command.ok ? undefined : command;
      let status = 400;
      if (command.ok) {
        try {
          await editIncident(req.deps, req.principal, ref, command.value.facts, command.value.version);
          return seeOther(href('IncidentView', ref, { notice: 'saved' }));
        } catch (e) {
          if (e instanceof InvalidInputError) state = problem(req.form(), e.fields);
          else if (e instanceof ConflictError) [state, status] = [problem(req.form(), { _form: e.message }), 409];
          else throw e;
        }
      }
      const view = await viewIncident(req.deps, req.principal, ref);
      const form = await incidentForm(req.deps, req.principal, ref.councilId);
      return page(incidentFormPage({ ...form, incident: view.incident, state }), status);
    }
    if (!Object.hasOwn(ACTIONS, name)) throw new DomainError('この操作はありません。');
    const key = name as keyof typeof ACTIONS;
    const action = ACTIONS[key];
    const command = action.read(req.form()) as FormOutcome<never>;
    let state = command.ok ? undefined : command;
    let status = 400;
    if (command.ok) {
      try {
        await (action.act as (d: typeof req.deps, p: typeof req.principal, r: IncidentRef, c: unknown) => Promise<unknown>)(
          req.deps,
          req.principal,
          ref,
          command.value,
        );
        return seeOther(href('IncidentView', ref, { notice: key }));
      } catch (e) {
        if (e instanceof InvalidInputError) state = problem(req.form(), e.fields);
        else if (e instanceof ConflictError) [state, status] = [problem(req.form(), { _form: e.message }), 409];
        else if (key === 'council' && e instanceof DomainError && e.constructor === DomainError) state = problem(req.form(), { _form: e.message });
        else throw e;
      }
    }
    return page(incidentPage({ ...(await viewIncident(req.deps, req.principal, ref)), problem: { target: key, state: state! } }), status);
  },
} satisfies Record<string, RouteHandler>;
