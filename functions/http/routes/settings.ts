import { councilSettingsInput } from '#shared/domain/council.ts';
import { ConflictError, InvalidInputError } from '#shared/errors.ts';
import { checkForm } from '#shared/forms.ts';
import { href } from '#shared/routes.ts';
import { saveSettings, viewSettings } from '#shared/use-cases/settings.ts';
import { SETTINGS_NOTICES, settingsPage } from '#templates/pages/settings.ts';
import { noticeOf, page, problem, type RouteHandler, seeOther } from '../kit.ts';

/** 審議会の設定: the secretariat's settings of its own council. */
export const settingsRoutes = {
  SettingsView: async (req) =>
    page(settingsPage({ ...(await viewSettings(req.deps, req.principal, req.param('councilId'))), notice: noticeOf(req, SETTINGS_NOTICES) })),

  /** A stale form (someone saved first) comes back with what was typed and says so; it is never merged. */
  SettingsSave: async (req) => {
    const councilId = req.param('councilId');
    const command = checkForm(councilSettingsInput, req.form());
    let state = command.ok ? undefined : command;
    if (command.ok) {
      try {
        await saveSettings(req.deps, req.principal, councilId, command.value);
        return seeOther(href('SettingsView', { councilId }, { notice: 'saved' }));
      } catch (e) {
        if (e instanceof InvalidInputError) state = problem(req.form(), e.fields);
        else if (e instanceof ConflictError) state = problem(req.form(), { _form: e.message });
        else throw e;
      }
    }
    const view = await viewSettings(req.deps, req.principal, councilId);
    return page(settingsPage({ ...view, form: state! }), state!.errors['_form'] ? 409 : 400);
  },
} satisfies Record<string, RouteHandler>;
