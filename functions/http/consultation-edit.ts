import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { objectToForm } from '#shared/domain/consultation-form.ts';
import { isEditableBy } from '#shared/domain/consultation.ts';
import { ForbiddenError } from '#shared/errors.ts';
import { viewConsultation } from '#shared/use-cases/consultations.ts';
import { emptyForm } from '#templates/form.ts';
import { consultationFormPage } from '#templates/pages/consultations.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/{consultationId}/edit — the department's form, filled in. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const view = await viewConsultation(deps, principalOf(event), ref, event.requestContext.http.sourceIp);
  if (!isEditableBy(view.consultation, view.viewer)) throw new ForbiddenError('この諮問は今は編集できません。');
  return htmlResponse(
    consultationFormPage({
      ...view,
      state: emptyForm({ ...objectToForm(view.consultation.form), version: String(view.consultation.version) }),
      action: `/c/${ref.councilId}/consultations/${ref.consultationId}`,
    }),
  );
});
