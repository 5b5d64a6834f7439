import { importConfirmInput } from '#shared/domain/history-import.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { confirmImport, importTemplate, previewImport, viewImport } from '#shared/use-cases/history-import.ts';
import { historyImportPage } from '#templates/pages/history-import.ts';
import { allowFormTarget, download, page, type Request, type RouteHandler, seeOther } from '../kit.ts';

/** A count the confirm's redirect carries (anything else is left out). */
const countIn = (req: Request, name: string) => {
  const v = req.query(name);
  return v !== undefined && /^\d{1,5}$/.test(v) ? Number(v) : undefined;
};

/** 過去の諮問の取込: the page with its upload form, the template, the preview after the upload and the confirm button. */
export const historyImportRoutes = {
  ImportView: async (req) => {
    const view = await viewImport(req.deps, req.principal, req.param('councilId'));
    const written = countIn(req, 'written');
    const done = req.query('notice') === 'imported' && written !== undefined ? { written, skipped: countIn(req, 'skipped') ?? 0 } : undefined;
    return allowFormTarget(page(historyImportPage({ ...view, done })), view.upload.url);
  },

  ImportTemplate: async (req) => {
    const file = await importTemplate(req.deps, req.principal, req.param('councilId'));
    return download(file.csv, 'text/csv; charset=utf-8', file.fileName);
  },

  /** Where storage sends the browser after the upload: the preview, or every problem of the file (400). */
  ImportUploaded: async (req) => {
    const view = await previewImport(req.deps, req.principal, req.param('councilId'), req.query('key'));
    return allowFormTarget(page(historyImportPage({ ...view, preview: view }), view.plan.ok ? 200 : 400), view.upload.url);
  },

  ImportConfirm: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(importConfirmInput, req.form());
    const result = await confirmImport(req.deps, req.principal, councilId, command.ok ? command.value : { key: '' }, req.actor.sourceIp);
    if (result.ok && result.remaining === 0)
      return seeOther(href('ImportView', { councilId }, { notice: 'imported', written: result.written, skipped: result.skipped }));
    if (result.ok) {
      // Not all written within one request: the page says how far it got, with the button to go on.
      const view = await viewImport(req.deps, req.principal, councilId);
      return allowFormTarget(
        page(historyImportPage({ ...view, partial: { written: result.written, remaining: result.remaining, key: result.key } })),
        view.upload.url,
      );
    }
    const view = result.preview;
    return allowFormTarget(page(historyImportPage({ ...view, preview: view }), 400), view.upload.url);
  },
} satisfies Record<string, RouteHandler>;
