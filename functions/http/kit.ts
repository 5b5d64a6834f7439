import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Deps } from '#shared/adapters/deps.ts';
import type { Principal } from '#shared/domain/principal.ts';
import { DomainError, PayloadTooLargeError } from '#shared/errors.ts';
import type { FormProblem } from '#shared/forms.ts';

export type HttpEvent = APIGatewayProxyEventV2;
export type HttpResult = APIGatewayProxyStructuredResultV2;
export type Form = Record<string, string | string[]>;

/** Who acts, and from where (for the audit trail). */
export interface Actor {
  principal: Principal | undefined;
  sourceIp?: string | undefined;
}

/** One request as a route handler sees it: the resolved session, its parameters and the deps. */
export interface Request {
  event: HttpEvent;
  deps: Deps;
  principal: Principal | undefined;
  actor: Actor;
  /** A path parameter the route declares (the router has matched it). */
  param(name: string): string;
  query(name: string): string | undefined;
  /** The url-encoded body as an object (a repeated field becomes an array), read once. */
  form(): Form;
}

export type RouteHandler = (req: Request) => Promise<HttpResult>;

/** Largest form body a page accepts; attachments never pass through the API. */
export const MAX_FORM_BYTES = 64 * 1024;

export function readForm(event: HttpEvent): Form {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_FORM_BYTES) throw new PayloadTooLargeError();
  // A Map, then an object of own properties: a field named `__proto__` stays a field, and a
  // repeated field grows its array in place (linear in the size of the body).
  const fields = new Map<string, string | string[]>();
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = fields.get(key);
    if (prev === undefined) fields.set(key, value);
    else if (Array.isArray(prev)) prev.push(value);
    else fields.set(key, [prev, value]);
  }
  return Object.fromEntries(fields);
}

export function pathParam(event: HttpEvent, name: string): string {
  const value = event.pathParameters?.[name];
  if (!value) throw new DomainError(`URL に ${name} がありません。`);
  return value;
}

export const page = (body: string, statusCode = 200): HttpResult => ({ statusCode, headers: { 'content-type': 'text/html; charset=utf-8' }, body });

/** After a successful POST: send the browser on with GET, so a reload does not resubmit. */
export const seeOther = (location: string): HttpResult => ({ statusCode: 303, headers: { location }, body: '' });

/** A file to save (CSV, Word …), named in Japanese. */
export const download = (bytes: Buffer, contentType: string, fileName: string): HttpResult => ({
  statusCode: 200,
  headers: { 'content-type': contentType, 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}` },
  isBase64Encoded: true,
  body: bytes.toString('base64'),
});

/**
 * The Word renderer (the docx library), loaded on the first download only: the page function's
 * other routes do not pay for it at cold start.
 */
export const wordRenderer = () => import('#templates/minutes/docx.ts');

/** A page whose form posts to object storage too (the upload forms): the CSP lets it. */
export const allowFormTarget = (response: HttpResult, url: string | undefined): HttpResult =>
  url ? { ...response, headers: { ...response.headers, 'x-form-target': new URL(url).origin } } : response;

/** A form that failed validation, or a use case's refusal of one field, as the page shows it again. */
export const problem = (form: Form, errors: Record<string, string>): FormProblem => ({ ok: false, errors, values: form });

/** A page's `?notice=` when it is one of the page's own notices. */
export function noticeOf<N extends string>(req: Request, notices: Record<N, string>): N | undefined {
  const n = req.query('notice');
  return n !== undefined && Object.hasOwn(notices, n) ? (n as N) : undefined;
}
