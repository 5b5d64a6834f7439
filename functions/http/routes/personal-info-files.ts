import { formValuesOf } from '#shared/domain/personal-info-files.ts';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';
import { href } from '#shared/routes.ts';
import {
  abolishFile,
  changeFile,
  createFile,
  fileToChange,
  newFileForm,
  publicRegister,
  publicRegisterCsv,
  reportToMeeting,
  viewFile,
  viewFiles,
} from '#shared/use-cases/personal-info-files.ts';
import { emptyForm } from '#templates/form.ts';
import { FILE_NOTICES, fileFormPage, filesPage, fileViewPage, publicRegisterHtml } from '#templates/pages/personal-info-files.ts';
import { download, noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

/** A refusal shown beside the form's fields: bad input (400) or a change someone saved first (409). */
function refusal(e: unknown, form: Record<string, string | string[]>) {
  if (e instanceof InvalidInputError) return { state: problem(form, e.fields), status: 400 };
  if (e instanceof ConflictError) return { state: problem(form, { _form: e.message }), status: 409 };
  throw e;
}

/** 個人情報ファイル簿 / 業務届出: each department's entries, the public register and the yearly report. */
export const personalInfoFileRoutes = {
  FilesList: async (req) => {
    const view = await viewFiles(req.deps, req.principal, req.param('councilId'), { departmentId: req.query('department') });
    const meetingId = req.query('meeting');
    const reportedTo =
      meetingId && view.meetings.some((m) => m.meetingId === meetingId) ? href('MeetingView', { councilId: view.council.councilId, meetingId }) : undefined;
    return page(filesPage({ ...view, notice: noticeOf(req, FILE_NOTICES), reportedTo }));
  },

  FileNew: async (req) => page(fileFormPage({ ...(await newFileForm(req.deps, req.principal, req.param('councilId'))), state: emptyForm() })),

  FileCreate: async (req) => {
    const councilId = req.param('councilId');
    try {
      const file = await createFile(req.deps, req.principal, councilId, req.form());
      return seeOther(href('FileView', { councilId, fileId: file.fileId }, { notice: 'created' }));
    } catch (e) {
      const { state, status } = refusal(e, req.form());
      return page(fileFormPage({ ...(await newFileForm(req.deps, req.principal, councilId)), state }), status);
    }
  },

  FileView: async (req) =>
    page(fileViewPage({ ...(await viewFile(req.deps, req.principal, req.param('councilId'), req.param('fileId'))), notice: noticeOf(req, FILE_NOTICES) })),

  FileEdit: async (req) => {
    const view = await fileToChange(req.deps, req.principal, req.param('councilId'), req.param('fileId'));
    return page(fileFormPage({ ...view, variant: view.file.variant, state: emptyForm({ ...formValuesOf(view.file), version: String(view.file.version) }) }));
  },

  FileSave: async (req) => {
    const [councilId, fileId] = [req.param('councilId'), req.param('fileId')];
    try {
      await changeFile(req.deps, req.principal, councilId, fileId, req.form());
      return seeOther(href('FileView', { councilId, fileId }, { notice: 'changed' }));
    } catch (e) {
      const { state, status } = refusal(e, req.form());
      const view = await viewFile(req.deps, req.principal, councilId, fileId);
      return page(fileFormPage({ ...view, variant: view.file.variant, state }), status);
    }
  },

  FileAbolish: async (req) => {
    const [councilId, fileId] = [req.param('councilId'), req.param('fileId')];
    try {
      await abolishFile(req.deps, req.principal, councilId, fileId, req.form());
      return seeOther(href('FileView', { councilId, fileId }, { notice: 'abolished' }));
    } catch (e) {
      const { state, status } = refusal(e, req.form());
      return page(fileViewPage({ ...(await viewFile(req.deps, req.principal, councilId, fileId)), abolishForm: state }), status);
    }
  },

  FilesReport: async (req) => {
    const councilId = req.param('councilId');
    try {
      const done = await reportToMeeting(req.deps, req.principal, councilId, req.form());
      return seeOther(href('FilesList', { councilId }, { notice: done.updated ? 'updated' : 'reported', meeting: done.meetingId }));
    } catch (e) {
      const { state, status } = refusal(e, req.form());
      return page(filesPage({ ...(await viewFiles(req.deps, req.principal, councilId)), reportForm: state }), status);
    }
  },

  FilesPublicHtml: async (req) => {
    const register = await publicRegister(req.deps, req.principal, req.param('councilId'));
    const fileName = `${register.council.municipality}_${register.variant === 'file_register' ? '個人情報ファイル簿' : '個人情報取扱事務登録簿'}.html`;
    return download(Buffer.from(publicRegisterHtml(register), 'utf8'), 'text/html; charset=utf-8', fileName);
  },

  FilesPublicCsv: async (req) => {
    const { csv, fileName } = await publicRegisterCsv(req.deps, req.principal, req.param('councilId'));
    return download(csv, 'text/csv; charset=utf-8', fileName);
  },
} satisfies Record<string, RouteHandler>;
