import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { viewAnswer } from '#shared/use-cases/meetings.ts';
import { answerPage } from '#templates/pages/answer.ts';

const deps = createDeps();

/** GET /c/{councilId}/consultations/{consultationId}/answer — the answer (答申書), printable. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId') };
  return htmlResponse(answerPage(await viewAnswer(deps, principalOf(event), ref)));
});
