import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { listConsultations } from '#shared/use-cases/consultations.ts';
import { consultationListPage } from '#templates/pages/consultations.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations — a department's own cases; the secretariat's queues. */
export const handler = httpHandler(async (event) =>
  htmlResponse(consultationListPage(await listConsultations(deps, principalOf(event), pathParam(event, 'councilId')))),
);
