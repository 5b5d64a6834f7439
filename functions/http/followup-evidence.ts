import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam, principalOf } from '#shared/adapters/http.ts';
import { followUpEvidence } from '#shared/use-cases/followups.ts';

const deps = createDeps();

/** GET …/followups/{followUpId}/evidence/{answer}/{file} — a file sent with a report. */
export const handler = httpHandler(async (event) => {
  const ref = { councilId: pathParam(event, 'councilId'), consultationId: pathParam(event, 'consultationId'), followUpId: pathParam(event, 'followUpId') };
  const url = await followUpEvidence(deps, principalOf(event), ref, Number(pathParam(event, 'answer')), Number(pathParam(event, 'file')));
  return { statusCode: 303, headers: { location: url }, body: '' };
});
