import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler, pathParam } from '#shared/adapters/http.ts';
import { votingFile } from '#shared/use-cases/voting.ts';

const deps = createDeps();

/** GET /v/{token}/files/{consultationId}/{attachmentId} — a material, for the member holding the link. */
export const handler = httpHandler(async (event) => {
  const url = await votingFile(deps, pathParam(event, 'token'), pathParam(event, 'consultationId'), pathParam(event, 'attachmentId'));
  return { statusCode: 303, headers: { location: url }, body: '' };
});
