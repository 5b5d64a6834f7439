import { createDeps } from '#shared/adapters/deps.ts';
import { htmlResponse, httpHandler, principalOf } from '#shared/adapters/http.ts';
import { homePage } from '#templates/pages/home.ts';

const deps = createDeps();

/** GET / — the councils served here and the entry points. */
export const handler = httpHandler(async (event) => {
  const councils = await deps.councils.listCouncils();
  return htmlResponse(homePage({ councils, principal: principalOf(event), today: deps.clock.now() }));
});
