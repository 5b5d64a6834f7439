import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { exportAudit } from '#shared/use-cases/audit.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/{consultationId}/audit.csv — the case's audit trail for the secretariat. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  const csv = await exportAudit(deps, principalOf(event), ref);
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(`操作記録_${ref.consultationId}.csv`)}` },
    isBase64Encoded: true,
    body: csv.toString('base64'),
  };
});
