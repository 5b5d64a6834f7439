import { createDeps } from '#shared/adapters/deps.ts';
import { actorOf, htmlResponse, httpHandler, pathParam, readForm, seeOther } from '#shared/adapters/http.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { createConsultation } from '#shared/use-cases/consultations.ts';
import { consultationFormPage } from '#templates/pages/consultations.ts';

const deps = createDeps();

/** POST /c/{councilId}/consultations — save a new draft, and submit it if asked. */
export const handler = httpHandler(async (event) => {
  const councilId = pathParam(event, 'councilId');
  const actor = actorOf(event);
  const result = await createConsultation(deps, actor, councilId, readForm(event));
  if (result.ok) return seeOther(`/c/${councilId}/consultations/${result.ref.consultationId}?notice=${result.submitted ? 'submitted' : 'saved'}`);
  const viewer = requireRole(actor.principal, councilId, 'department');
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  const savedAs = 'ref' in result ? (result.ref as { consultationId: string } | undefined) : undefined;
  const saved = Boolean(savedAs);
  return htmlResponse(
    consultationFormPage({
      viewer,
      council,
      department: departments.find((d) => d.departmentId === viewer.departmentId),
      state: result,
      // Once saved, further edits go to the draft itself.
      action: savedAs ? `/c/${councilId}/consultations/${savedAs.consultationId}` : `/c/${councilId}/consultations`,
      savedButIncomplete: saved,
    }),
    400,
  );
});
