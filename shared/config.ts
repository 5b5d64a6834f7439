import * as z from 'zod/mini';

/**
 * Every setting a function reads, parsed once at cold start: a missing or malformed
 * value fails the container loudly instead of the tenth request quietly.
 * Local services are found through the SDK's own AWS_ENDPOINT_URL_* variables,
 * so nothing here differs between AWS and the local stack.
 */
const settings = z.object({
  TABLE_NAME: z.string().check(z.minLength(1)),
  MAIL_FROM: z.email(),
  /** Public origin of the pages, used in links inside mails. */
  APP_BASE_URL: z.url(),
  STATE_MACHINE_ARN: z.optional(z.string().check(z.minLength(1))),
  /** Mails a second one container sends at most (SES's sending rate; see Mailer). */
  MAIL_RATE_PER_SECOND: z.optional(z.coerce.number().check(z.positive())),
  /** Bucket for consultation attachments (only functions that handle attachments get it). */
  ATTACHMENTS_BUCKET: z.optional(z.string().check(z.minLength(1))),
  /** Secrets Manager secret holding the key that signs links (only functions that sign or check links get it). */
  SIGNING_SECRET_ARN: z.optional(z.string().check(z.minLength(1))),
  /** The function that produces minutes exports in the background (only pages that start exports get it). */
  EXPORT_FUNCTION_NAME: z.optional(z.string().check(z.minLength(1))),
  /** The identity provider's base URL (the Cognito hosted UI domain) and this app's client id there. */
  IDP_URL: z.optional(z.url()),
  IDP_CLIENT_ID: z.optional(z.string().check(z.minLength(1))),
  /**
   * The `iss` of the ID tokens sign-in accepts (the user pool's `https://cognito-idp.<region>.amazonaws.com/<poolId>`);
   * their signing keys are read from `<issuer>/.well-known/jwks.json`.
   */
  ID_TOKEN_ISSUER: z.optional(z.url()),
});
export type Settings = z.infer<typeof settings>;

export function loadSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = settings.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid function settings — ${problems}`);
  }
  return parsed.data;
}
