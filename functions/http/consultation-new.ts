import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { newId } from '#shared/adapters/runtime.ts';
import { requireRole } from '#shared/domain/principal.ts';
import { emptyForm } from '#templates/form.ts';
import { consultationFormPage } from '#templates/pages/consultations.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/new — an empty 審議票 for the department. */
export const handler = httpHandler(async (event) => {
  const councilId = pathParam(event, 'councilId');
  const viewer = requireRole(principalOf(event), councilId, 'department');
  const [council, departments] = await Promise.all([deps.councils.getCouncil(councilId), deps.councils.listDepartments(councilId)]);
  return htmlResponse(
    consultationFormPage({
      viewer,
      council,
      department: departments.find((d) => d.departmentId === viewer.departmentId),
      state: emptyForm({ requestId: newId() }),
      action: `/c/${councilId}/consultations`,
    }),
  );
});
