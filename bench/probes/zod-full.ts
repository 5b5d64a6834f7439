// Section 1 probe: the full zod API, as shared/config.ts and the domain schemas use it.
import { z } from 'zod';

const settings = z.object({ TABLE_NAME: z.string().min(1), MAIL_FROM: z.email(), APP_BASE_URL: z.url() });
export const ok = settings.safeParse({ TABLE_NAME: 't', MAIL_FROM: 'a@example.jp', APP_BASE_URL: 'http://127.0.0.1' }).success;
