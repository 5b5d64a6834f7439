import { createDeps } from '#shared/adapters/deps.ts';
import { actorOf, htmlResponse, httpHandler, pathParam, readForm, seeOther } from '#shared/adapters/http.ts';
import { ConflictError } from '#shared/errors.ts';
import { saveConsultation, viewConsultation } from '#shared/use-cases/consultations.ts';
import { consultationFormPage } from '#templates/pages/consultations.ts';

const deps = createDeps();

/**
 * POST /c/{councilId}/consultations/{consultationId} — save or submit the department's
 * edits. Whatever goes wrong, the form comes back as typed.
 */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const actor = actorOf(event);
  const form = readForm(event);
  let problem;
  try {
    const result = await saveConsultation(deps, actor, ref, form);
    if (result.ok) return seeOther(`/c/${ref.councilId}/consultations/${ref.consultationId}?notice=${result.submitted ? 'submitted' : 'saved'}`);
    problem = result;
  } catch (e) {
    if (!(e instanceof ConflictError)) throw e;
    problem = { ok: false as const, values: form, errors: { _form: e.message } };
  }
  const view = await viewConsultation(deps, actor.principal, ref, event.requestContext.http.sourceIp);
  return htmlResponse(
    consultationFormPage({
      ...view,
      state: problem,
      action: `/c/${ref.councilId}/consultations/${ref.consultationId}`,
      savedButIncomplete: 'saved' in problem && problem.saved,
    }),
    problem.errors['_form'] ? 409 : 400,
  );
});
