import { createDeps } from '#shared/adapters/deps.ts';
import { httpHandler } from '#shared/adapters/http.ts';
import { meetingResponse } from './shared/meeting-response.ts';

const deps = createDeps();

/** GET /c/{councilId}/meetings/{meetingId} — the agenda (会議次第) and the secretariat's actions. */
export const handler = httpHandler((event) => meetingResponse(deps, event));
