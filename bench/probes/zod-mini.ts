// Section 1 probe: the same schema with zod/mini (functional checks, tree-shakable).
import * as z from 'zod/mini';

const settings = z.object({ TABLE_NAME: z.string().check(z.minLength(1)), MAIL_FROM: z.email(), APP_BASE_URL: z.url() });
export const ok = settings.safeParse({ TABLE_NAME: 't', MAIL_FROM: 'a@example.jp', APP_BASE_URL: 'http://127.0.0.1' }).success;
