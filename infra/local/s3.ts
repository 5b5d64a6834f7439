import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { crc32 } from 'node:zlib';

/**
 * A small S3 stand-in for the local stack: path-style buckets and objects for the SDK, and browser
 * "POST Object" uploads checked as S3 checks them (SigV4 policy signature, expiration, every condition,
 * every field covered), so that what AWS refuses is refused here too. s3rver was not strict enough.
 * Buckets can be versioned as the deployed one is (PutBucketVersioning): a plain DELETE then leaves a
 * delete marker over the old versions, ListObjectVersions lists them and DELETE ?versionId removes one.
 * Multipart uploads (create, upload part, complete, abort) are checked as S3 checks them: parts named
 * in ascending order with the ETags they were given, each but the last at least 5 MiB; the object
 * gets S3's multipart ETag (`"<md5 of the parts' md5s>-<parts>"`). Parts in progress are kept in memory.
 */
export interface S3Options {
  port: number;
  /** @default 127.0.0.1 */
  host?: string;
  /** Objects persist here when given (one folder per bucket); in memory otherwise. */
  dataDir?: string;
  /** @default local/local */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const MAX_BODY = 50 * 1024 * 1024;
/** Headers S3 keeps with an object and returns on GET/HEAD, besides every x-amz-meta-*. */
const STORED = ['content-type', 'content-disposition', 'content-encoding', 'content-language', 'cache-control', 'expires'];
/** Sub-resources not implemented here: refusing them beats silently answering as if they were plain requests. */
const UNSUPPORTED = ['acl', 'tagging', 'cors', 'policy', 'lifecycle', 'delete', 'location', 'attributes'];
/** S3's bounds on a multipart upload's parts. */
const MIN_PART = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** A multipart upload in progress: the key, the headers the object will keep, and the parts sent so far. */
interface Upload {
  bucket: string;
  key: string;
  headers: [string, unknown][];
  /** The checksum every part must carry and the completion must list (only CRC32 here), when the upload was created with one. */
  checksum: 'CRC32' | undefined;
  parts: Map<number, { etag: string; body: Buffer; crc32?: string }>;
}
/** S3's CRC32 checksum: the four bytes, big-endian, in base64. */
const crc32Of = (b: Buffer) => {
  const sum = Buffer.alloc(4);
  sum.writeUInt32BE(crc32(b));
  return sum.toString('base64');
};

interface Meta {
  key: string;
  size: number;
  etag: string;
  lastModified: string;
  headers: Record<string, string>;
  /** 'null' for an object written while the bucket was not versioned (and in files from before versioning). */
  versionId?: string;
  /** A delete marker: the version a plain DELETE of a versioned object leaves on top. */
  deleteMarker?: boolean;
  /** Order of writes, oldest first, across restarts. */
  seq?: number;
}
interface Entry {
  meta: Meta;
  body?: Buffer;
}
type Versioning = 'Enabled' | 'Suspended';
/** A bucket: its versioning state, and for each key its versions, oldest first (the last one is current). */
interface BucketState {
  versioning: Versioning | undefined;
  objects: Map<string, Entry[]>;
}
const versionOf = (e: Entry) => e.meta.versionId ?? 'null';
/** The current version of a key, unless there is none or it is a delete marker. */
const current = (versions: Entry[] | undefined) => {
  const latest = versions?.at(-1);
  return latest && !latest.meta.deleteMarker ? latest : undefined;
};

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string | number> = {},
  ) {
    super(message);
  }
}
const denied = (why: string) => new S3Error(403, 'AccessDenied', `Invalid according to Policy: ${why}`);
const invalidPolicy = (why: string) => new S3Error(400, 'InvalidPolicyDocument', `Invalid Policy: ${why}`);
const missingField = (name: string) =>
  new S3Error(400, 'InvalidArgument', `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, {
    ArgumentName: name,
    ArgumentValue: '',
  });
const unknownKey = (key: string) =>
  new S3Error(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: key });
const notImplemented = () => new S3Error(501, 'NotImplemented', 'A header or query you provided implies functionality that is not implemented');

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };
const xml = (s: string | number) => String(s).replace(/[<>&"]/g, (c) => ENTITIES[c]!);
const xmlDoc = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();
/** S3 orders keys by their UTF-8 bytes, which differs from JS (UTF-16) string order for some characters. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
/** Node refuses header values outside Latin-1; send such values as their raw UTF-8 bytes, as S3 does. */
const headerSafe = (v: string) => (/[^\x00-\xff]/.test(v) ? Buffer.from(v).toString('latin1') : v);

/** Objects per bucket, mirrored to disk when a folder is given. Files are named by a hash of the key (and the
 * version id, unless 'null'), because keys may hold `/`, non-ASCII characters and up to 1024 bytes, none of
 * which a file name can. A bucket's versioning state is kept in its folder's `.versioning` file. */
class Store {
  readonly buckets = new Map<string, BucketState>();
  private writes: Promise<unknown> = Promise.resolve();
  private seq = 0;
  constructor(private readonly dir?: string) {}

  async load() {
    if (!this.dir) return;
    await mkdir(this.dir, { recursive: true });
    for (const dir of (await readdir(this.dir, { withFileTypes: true })).filter((d) => d.isDirectory())) {
      const state: BucketState = { versioning: undefined, objects: new Map() };
      this.buckets.set(dir.name, state);
      const files = await readdir(path.join(this.dir, dir.name));
      if (files.includes('.versioning')) state.versioning = (await readFile(path.join(this.dir, dir.name, '.versioning'), 'utf8')).trim() as Versioning;
      // Only metadata files count: a body without one is a write that never finished.
      const metas: Meta[] = [];
      for (const file of files.filter((f) => f.endsWith('.json'))) metas.push(JSON.parse(await readFile(path.join(this.dir, dir.name, file), 'utf8')) as Meta);
      metas.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0) || a.lastModified.localeCompare(b.lastModified));
      for (const meta of metas) {
        state.objects.set(meta.key, [...(state.objects.get(meta.key) ?? []), { meta }]);
        this.seq = Math.max(this.seq, meta.seq ?? 0);
      }
    }
  }
  state(name: string) {
    const state = this.buckets.get(name);
    if (!state) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
    return state;
  }
  /** The current objects of a bucket (delete markers and older versions left out). */
  bucket(name: string) {
    const objects = new Map<string, Entry>();
    for (const [key, versions] of this.state(name).objects) {
      const entry = current(versions);
      if (entry) objects.set(key, entry);
    }
    return objects;
  }
  async createBucket(name: string) {
    if (this.dir) await mkdir(path.join(this.dir, name), { recursive: true });
    this.buckets.set(name, { versioning: undefined, objects: new Map() });
  }
  setVersioning(bucket: string, status: Versioning) {
    return this.serial(async () => {
      if (this.dir) await writeFile(path.join(this.dir, bucket, '.versioning'), status);
      this.state(bucket).versioning = status;
    });
  }
  private file(bucket: string, key: string, versionId: string, ext: string) {
    const hash = createHash('sha256').update(key).digest('hex');
    return path.join(this.dir!, bucket, `${hash}${versionId === 'null' ? '' : `.${versionId}`}${ext}`);
  }
  /** Writes go one at a time so two uploads of one key cannot pair one's body with the other's metadata. */
  private serial<T>(work: () => Promise<T>) {
    const next = this.writes.then(work);
    this.writes = next.catch(() => undefined);
    return next;
  }
  private async write(bucket: string, meta: Meta, body: Buffer | undefined) {
    if (!this.dir) return;
    // Body first, metadata last, each renamed into place: a crash never leaves a listed half-object.
    for (const [ext, data] of [...(body ? [['.bin', body] as const] : []), ['.json', JSON.stringify(meta)] as const]) {
      const file = this.file(bucket, meta.key, meta.versionId ?? 'null', ext);
      const tmp = `${file}.${randomUUID()}.tmp`;
      await writeFile(tmp, data);
      await rename(tmp, file);
    }
  }
  private async erase(bucket: string, entry: Entry) {
    if (this.dir) for (const ext of ['.json', '.bin']) await rm(this.file(bucket, entry.meta.key, versionOf(entry), ext), { force: true });
  }
  /** A new version on a versioned bucket; otherwise it replaces the key's 'null' version. Returns the version id. */
  put(bucket: string, meta: Meta, body: Buffer) {
    return this.serial(async () => {
      const state = this.state(bucket);
      const versionId = state.versioning === 'Enabled' ? randomBytes(16).toString('base64url') : 'null';
      const stored = { ...meta, versionId, seq: ++this.seq };
      const versions = (state.objects.get(meta.key) ?? []).filter((v) => versionOf(v) !== versionId);
      await this.write(bucket, stored, body);
      state.objects.set(meta.key, [...versions, this.dir ? { meta: stored } : { meta: stored, body }]);
      return versionId;
    });
  }
  /**
   * DELETE as S3 does it: with a version id, that version is gone for good; without one, a versioned
   * bucket gets a delete marker on top, an unversioned one loses the object.
   */
  delete(bucket: string, key: string, versionId?: string) {
    return this.serial(async (): Promise<{ versionId?: string; deleteMarker?: boolean }> => {
      const state = this.state(bucket);
      const versions = state.objects.get(key) ?? [];
      const drop = async (keep: (v: Entry) => boolean) => {
        for (const v of versions.filter((v) => !keep(v))) await this.erase(bucket, v);
        const left = versions.filter(keep);
        if (left.length) state.objects.set(key, left);
        else state.objects.delete(key);
      };
      if (versionId !== undefined) {
        const gone = versions.find((v) => versionOf(v) === versionId);
        await drop((v) => versionOf(v) !== versionId);
        return { versionId, ...(gone?.meta.deleteMarker ? { deleteMarker: true } : {}) };
      }
      if (!state.versioning) {
        await drop(() => false);
        return {};
      }
      const markerId = state.versioning === 'Enabled' ? randomBytes(16).toString('base64url') : 'null';
      const marker: Meta = {
        key,
        size: 0,
        etag: '',
        lastModified: new Date().toISOString(),
        headers: {},
        versionId: markerId,
        deleteMarker: true,
        seq: ++this.seq,
      };
      if (markerId === 'null') await drop((v) => versionOf(v) !== 'null');
      await this.write(bucket, marker, undefined);
      state.objects.set(key, [...(state.objects.get(key) ?? []), { meta: marker }]);
      return { versionId: markerId, deleteMarker: true };
    });
  }
  read(bucket: string, entry: Entry) {
    return entry.body ?? readFile(this.file(bucket, entry.meta.key, versionOf(entry), '.bin'));
  }
}

/** Keeps at most MAX_BODY bytes. Past that it rejects with EntityTooLarge but goes on draining, unkept, so a
 * client still sending can read the refusal instead of meeting a reset connection. */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = Number(req.headers['content-length'] ?? 0);
    const refuse = () =>
      reject(new S3Error(413, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: MAX_BODY }));
    if (size > MAX_BODY) refuse();
    else size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > MAX_BODY) return;
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
      else (chunks.length = 0), refuse();
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The SDK streams bodies in aws-chunked framing: `hex-size[;chunk-signature=…]\r\n data \r\n … 0\r\n trailers` (`name:value` lines). */
function decodeAwsChunked(body: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const parts: Buffer[] = [];
  for (let pos = 0; ; ) {
    const eol = body.indexOf('\r\n', pos);
    const size = eol === -1 ? NaN : parseInt(body.toString('latin1', pos, eol).split(';')[0]!, 16);
    if (!Number.isInteger(size) || eol + 2 + size > body.length) throw new S3Error(400, 'IncompleteBody', 'The request body terminated unexpectedly');
    if (size === 0) {
      const trailers: Record<string, string> = {};
      for (const line of body.toString('latin1', eol + 2).split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      return { body: Buffer.concat(parts), trailers };
    }
    parts.push(body.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
}

const dispositionParam = (header: string, name: string) => {
  const m = new RegExp(`;\\s*${name}=(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(header);
  return m ? (m[1] ?? m[2]) : undefined;
};

/** Parses multipart/form-data up to the `file` part: as in S3 the file comes last and fields after it are ignored. */
function parseForm(body: Buffer, boundary: string) {
  const malformed = () => new S3Error(400, 'MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.');
  const fields = new Map<string, string>(); // keyed by lower-cased name: S3 matches field names case-insensitively
  const delimiter = `--${boundary}`;
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw malformed();
  while (body.toString('latin1', pos + delimiter.length, pos + delimiter.length + 2) !== '--') {
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    const next = body.indexOf(`\r\n${delimiter}`, headerEnd);
    if (headerEnd === -1 || next === -1) throw malformed();
    // Browsers send the file name as raw UTF-8 in the part's headers.
    const disposition = /^content-disposition:(.*)$/im.exec(body.toString('utf8', pos, headerEnd))?.[1] ?? '';
    const name = dispositionParam(disposition, 'name')?.toLowerCase();
    if (name === undefined) throw malformed();
    const content = body.subarray(headerEnd + 4, next);
    if (name === 'file') return { fields, file: { name: dispositionParam(disposition, 'filename') ?? '', data: content } };
    // Two values for one field would leave open which one the policy approved.
    if (fields.has(name)) throw new S3Error(400, 'InvalidArgument', `Field ${name} appears more than once.`, { ArgumentName: name });
    fields.set(name, content.toString('utf8'));
    pos = next + 2;
  }
  return { fields, file: undefined };
}

/** S3 quotes a failed condition in its message in this form. */
const quote = (c: unknown) =>
  Array.isArray(c)
    ? `[${c.map((v) => JSON.stringify(v)).join(', ')}]`
    : Object.entries(c as object)
        .map(([k, v]) => `["eq", "$${k}", ${JSON.stringify(v)}]`)
        .join('');

/** Enforces expiration and every condition, and that every field is covered by one, as S3 does. */
function checkPolicy(encoded: string, fields: Map<string, string>, actual: (field: string) => string | undefined, size: number) {
  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64').toString('utf8') : '');
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof policy.expiration !== 'string') throw invalidPolicy('Policy missing expiration.');
  const expiration = Date.parse(policy.expiration);
  if (Number.isNaN(expiration)) throw invalidPolicy(`Invalid 'expiration' value: '${policy.expiration}'`);
  if (!Array.isArray(policy.conditions)) throw invalidPolicy('Policy missing conditions.');
  if (expiration < Date.now()) throw denied('Policy expired.');
  const covered = new Set(['file', 'policy', 'x-amz-signature']);
  for (const c of policy.conditions as unknown[]) {
    // `{"field": "value"}` is shorthand for `["eq", "$field", "value"]`.
    const entries = c && typeof c === 'object' && !Array.isArray(c) ? Object.entries(c) : [];
    const [op, target, expected, ...rest] = Array.isArray(c) ? c : ['eq', `$${entries[0]?.[0]}`, entries[0]?.[1]];
    if (op === 'content-length-range' && Number.isInteger(target) && Number.isInteger(expected) && !rest.length) {
      if (size > expected)
        throw new S3Error(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', { ProposedSize: size, MaxSizeAllowed: expected });
      if (size < target)
        throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
          ProposedSize: size,
          MinSizeAllowed: target,
        });
      continue;
    }
    if (
      (op !== 'eq' && op !== 'starts-with') ||
      typeof target !== 'string' ||
      !target.startsWith('$') ||
      typeof expected !== 'string' ||
      rest.length ||
      entries.length > 1
    )
      throw invalidPolicy(`Invalid Condition: ${quote(c)}`);
    const name = target.slice(1).toLowerCase();
    covered.add(name);
    const value = actual(name);
    // A condition on an absent field fails, even `starts-with ""`; for Content-Type S3 checks each listed type.
    const ok =
      value !== undefined &&
      (op === 'eq' ? value === expected : (name === 'content-type' ? value.split(',') : [value]).every((v) => v.trim().startsWith(expected)));
    if (!ok) throw denied(`Policy Condition failed: ${quote(c)}`);
  }
  const extra = [...fields.keys()].filter((f) => !covered.has(f) && !f.startsWith('x-ignore-'));
  if (extra.length) throw denied(`Extra input fields: ${extra.join(', ')}`);
}

export async function startS3(options: S3Options): Promise<{ server: Server; url: string }> {
  const credentials = options.credentials ?? { accessKeyId: 'local', secretAccessKey: 'local' };
  const store = new Store(options.dataDir);
  await store.load();

  /** SDK requests: SigV4 in a header or the query string, with our access key; their signatures are not checked. */
  function authorize(req: IncomingMessage, query: URLSearchParams) {
    const auth = req.headers.authorization;
    const accessKey = auth ? /Credential=([^/,\s]+)\//.exec(auth)?.[1] : query.get('X-Amz-Credential')?.split('/')[0];
    if (accessKey === undefined) throw new S3Error(403, 'AccessDenied', 'Access Denied');
    if (accessKey !== credentials.accessKeyId) throw unknownKey(accessKey);
    const signedAt = Date.parse((query.get('X-Amz-Date') ?? '').replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
    if (!auth && signedAt + Number(query.get('X-Amz-Expires')) * 1000 < Date.now()) throw new S3Error(403, 'AccessDenied', 'Request has expired');
  }

  /** The SigV4 POST signature is the hex HMAC-SHA256 of the base64 policy under the credential scope's signing key. */
  function verifySignature(fields: Map<string, string>, policy: string) {
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature']) if (!fields.has(name.toLowerCase())) throw missingField(name);
    if (fields.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') throw new S3Error(400, 'InvalidArgument', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
    const [accessKey = '', day = '', region = '', service, terminator] = fields.get('x-amz-credential')!.split('/');
    const date = fields.get('x-amz-date')!;
    if (!region || service !== 's3' || terminator !== 'aws4_request' || !/^\d{8}$/.test(day) || !/^\d{8}T\d{6}Z$/.test(date) || !date.startsWith(day))
      throw new S3Error(400, 'InvalidArgument', 'X-Amz-Credential must be <key>/<YYYYMMDD>/<region>/s3/aws4_request, on the day of X-Amz-Date');
    if (accessKey !== credentials.accessKeyId) throw unknownKey(accessKey);
    const signingKey = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, day), region), 's3'), 'aws4_request');
    const expected = Buffer.from(hmac(signingKey, policy).toString('hex'));
    const provided = Buffer.from(fields.get('x-amz-signature')!);
    if (expected.length !== provided.length || !timingSafeEqual(expected, provided))
      throw new S3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        { AWSAccessKeyId: accessKey, StringToSign: policy, SignatureProvided: provided.toString() },
      );
  }

  /**
   * Stores an object with the headers S3 keeps (missing Content-Type is S3's binary/octet-stream); returns the
   * ETag, and the headers of the answer (the new version's id, on a versioned bucket).
   */
  async function save(bucket: string, key: string, body: Buffer, given: Iterable<[string, unknown]>, etag = md5(body)) {
    const headers: Record<string, string> = { 'content-type': 'binary/octet-stream' };
    for (const [name, value] of given) if (typeof value === 'string' && (STORED.includes(name) || name.startsWith('x-amz-meta-'))) headers[name] = value;
    const versionId = await store.put(bucket, { key, size: body.length, etag, lastModified: new Date().toISOString(), headers }, body);
    return { etag, versionId, answer: { ETag: etag, ...versionHeader(bucket, versionId) } };
  }

  /** S3 names the version it wrote or read once the bucket has had versioning turned on. */
  const versionHeader = (bucket: string, versionId: string): Record<string, string> =>
    store.state(bucket).versioning ? { 'x-amz-version-id': versionId } : {};

  async function postObject(req: IncomingMessage, res: ServerResponse, bucket: string) {
    const boundary = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
    const enclosure = 'Bucket POST must be of the enclosure-type multipart/form-data';
    if (!boundary) throw new S3Error(412, 'PreconditionFailed', enclosure, { Condition: enclosure });
    store.state(bucket);
    const { fields, file } = parseForm(await readBody(req), (boundary[1] ?? boundary[2])!);
    if (!fields.has('key')) throw missingField('key');
    if (!file) throw new S3Error(400, 'InvalidArgument', 'POST requires exactly one file upload per request.', { ArgumentName: 'file', ArgumentValue: '0' });
    const policy = fields.get('policy');
    if (policy === undefined) throw new S3Error(403, 'AccessDenied', 'Access Denied'); // an unsigned POST; no bucket here is public
    if (fields.has('bucket') && fields.get('bucket') !== bucket)
      throw new S3Error(400, 'InvalidArgument', 'The bucket field does not match the bucket in the URL');
    verifySignature(fields, policy);
    // Conditions on $key apply to the key as stored, after ${filename} is replaced.
    const key = fields.get('key')!.replaceAll('${filename}', file.name);
    checkPolicy(policy, fields, (f) => (f === 'bucket' ? bucket : f === 'key' ? key : fields.get(f)), file.data.length);
    if (!key || Buffer.byteLength(key) > 1024) throw new S3Error(400, 'KeyTooLongError', 'Your key is too long');
    const { etag, answer } = await save(bucket, key, file.data, fields);

    const location = `http://${req.headers.host}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    for (const [name, value] of Object.entries(answer)) res.setHeader(name, value);
    res.setHeader('Location', location);
    const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
    if (redirect && URL.canParse(redirect)) {
      const query = `bucket=${encodeURIComponent(bucket)}&key=${encodeURIComponent(key)}&etag=${encodeURIComponent(etag)}`;
      return void res.writeHead(303, { Location: `${redirect}${redirect.includes('?') ? '&' : '?'}${query}` }).end();
    }
    const status = Number(fields.get('success_action_status'));
    if (status !== 201) return void res.writeHead(status === 200 ? 200 : 204).end();
    res
      .writeHead(201, { 'Content-Type': 'application/xml' })
      .end(
        xmlDoc(
          `<PostResponse><Location>${xml(location)}</Location><Bucket>${xml(bucket)}</Bucket><Key>${xml(key)}</Key><ETag>${xml(etag)}</ETag></PostResponse>`,
        ),
      );
  }

  /** The content-encodings a PUT names, less aws-chunked (transport framing, not an encoding of the object). */
  const encodingsOf = (req: IncomingMessage) =>
    String(req.headers['content-encoding'] ?? '')
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean);

  /** The bytes a PUT (of an object or a part) carries, unframed from aws-chunked with its trailers, checked against Content-MD5. */
  async function objectBodyAndTrailers(req: IncomingMessage) {
    const raw = await readBody(req);
    const chunked = encodingsOf(req).includes('aws-chunked') || String(req.headers['x-amz-content-sha256']).startsWith('STREAMING-');
    const { body, trailers } = chunked ? decodeAwsChunked(raw) : { body: raw, trailers: {} };
    const md5Header = req.headers['content-md5'];
    if (md5Header && md5Header !== createHash('md5').update(body).digest('base64'))
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.');
    return { body, trailers };
  }

  async function putObject(req: IncomingMessage, res: ServerResponse, bucket: string, key: string) {
    store.state(bucket);
    if (req.headers['x-amz-copy-source']) throw notImplemented();
    const { body } = await objectBodyAndTrailers(req);
    const contentEncoding =
      encodingsOf(req)
        .filter((e) => e !== 'aws-chunked')
        .join(',') || undefined;
    res.writeHead(200, (await save(bucket, key, body, Object.entries({ ...req.headers, 'content-encoding': contentEncoding }))).answer).end();
  }

  async function getObject(req: IncomingMessage, res: ServerResponse, bucket: string, key: string, query: URLSearchParams) {
    const versions = store.state(bucket).objects.get(key);
    const versionId = query.get('versionId');
    let entry: Entry | undefined;
    if (versionId === null) {
      entry = current(versions);
      // A key whose latest version is a delete marker answers as missing, and says so.
      if (!entry && versions?.length) res.setHeader('x-amz-delete-marker', 'true').setHeader('x-amz-version-id', versionOf(versions.at(-1)!));
      if (!entry) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
    } else {
      entry = versions?.find((v) => versionOf(v) === versionId);
      if (!entry) throw new S3Error(404, 'NoSuchVersion', 'The specified version does not exist.', { Key: key, VersionId: versionId });
      if (entry.meta.deleteMarker) {
        res.setHeader('x-amz-delete-marker', 'true').setHeader('x-amz-version-id', versionId).setHeader('Allow', 'DELETE');
        throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', {
          Method: req.method ?? 'GET',
          ResourceType: 'DeleteMarker',
        });
      }
    }
    for (const [name, value] of Object.entries(versionHeader(bucket, versionOf(entry)))) res.setHeader(name, value);
    const { size, etag, lastModified, headers } = entry.meta;
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, headerSafe(value));
    for (const name of STORED) if (query.has(`response-${name}`)) res.setHeader(name, headerSafe(query.get(`response-${name}`)!));
    res.setHeader('ETag', etag).setHeader('Last-Modified', new Date(lastModified).toUTCString()).setHeader('Accept-Ranges', 'bytes');
    let [start, end] = [0, size - 1];
    const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? ''); // S3 ignores a Range it cannot parse
    if (range && (range[1] || range[2])) {
      [start, end] = range[1]
        ? [Number(range[1]), Math.min(range[2] ? Number(range[2]) : Infinity, size - 1)]
        : [Math.max(0, size - Number(range[2])), size - 1];
      if (start >= size || start > end)
        throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', { RangeRequested: req.headers.range!, ActualObjectSize: size });
      res.statusCode = 206;
      res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
    }
    res.setHeader('Content-Length', Math.max(0, end - start + 1));
    res.end(req.method === 'HEAD' ? undefined : (await store.read(bucket, entry)).subarray(start, end + 1));
  }

  function listObjects(res: ServerResponse, bucket: string, query: URLSearchParams) {
    const objects = store.bucket(bucket);
    const [prefix, delimiter, token] = [query.get('prefix') ?? '', query.get('delimiter') ?? '', query.get('continuation-token')];
    const maxKeys = Math.min(1000, Math.max(0, Number(query.get('max-keys') ?? 1000) || 0));
    const after = token ? Buffer.from(token, 'base64url').toString() : (query.get('start-after') ?? '');
    // With a delimiter, keys sharing a prefix up to it collapse into one CommonPrefix; the byte order still holds.
    const cut = (k: string) => (delimiter ? k.indexOf(delimiter, prefix.length) : -1);
    const collapse = (k: string) => (cut(k) === -1 ? k : k.slice(0, cut(k) + delimiter.length));
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix)).sort(byteOrder);
    const items = [...new Set(keys.map(collapse))].filter((i) => byteOrder(i, after) > 0);
    const page = items.slice(0, maxKeys);
    const truncated = items.length > page.length;
    const listed = page.map((i) => {
      if (cut(i) !== -1) return `<CommonPrefixes><Prefix>${xml(i)}</Prefix></CommonPrefixes>`;
      const { lastModified, etag, size } = objects.get(i)!.meta;
      return `<Contents><Key>${xml(i)}</Key><LastModified>${lastModified}</LastModified><ETag>${xml(etag)}</ETag><Size>${size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    });
    res
      .writeHead(200, { 'Content-Type': 'application/xml' })
      .end(
        xmlDoc(
          `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix>` +
            (delimiter ? `<Delimiter>${xml(delimiter)}</Delimiter>` : '') +
            `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
            (token ? `<ContinuationToken>${xml(token)}</ContinuationToken>` : '') +
            (truncated ? `<NextContinuationToken>${Buffer.from(page.at(-1)!).toString('base64url')}</NextContinuationToken>` : '') +
            `${listed.join('')}</ListBucketResult>`,
        ),
      );
  }

  /** ListObjectVersions: every version and delete marker under a prefix, keys in byte order, newest version first. */
  function listVersions(res: ServerResponse, bucket: string, query: URLSearchParams) {
    if (query.has('delimiter')) throw notImplemented();
    const state = store.state(bucket);
    const prefix = query.get('prefix') ?? '';
    const maxKeys = Math.min(1000, Math.max(0, Number(query.get('max-keys') ?? 1000) || 0));
    const [keyMarker, versionMarker] = [query.get('key-marker') ?? '', query.get('version-id-marker') ?? ''];
    const all = [...state.objects.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort(byteOrder)
      .flatMap((k) => [...state.objects.get(k)!].reverse().map((entry, i) => ({ entry, latest: i === 0 })));
    // Past the markers: after the key-marker's versions, or after one version of it.
    let start = all.findIndex(({ entry }) => byteOrder(entry.meta.key, keyMarker) > 0);
    if (keyMarker && versionMarker) {
      const at = all.findIndex(({ entry }) => entry.meta.key === keyMarker && versionOf(entry) === versionMarker);
      if (at !== -1) start = at + 1;
    }
    const rest = start === -1 ? [] : all.slice(start);
    const page = rest.slice(0, maxKeys);
    const truncated = rest.length > page.length;
    const listed = page.map(({ entry, latest }) => {
      const { key, lastModified, etag, size, deleteMarker } = entry.meta;
      const common = `<Key>${xml(key)}</Key><VersionId>${xml(versionOf(entry))}</VersionId><IsLatest>${latest}</IsLatest><LastModified>${lastModified}</LastModified>`;
      return deleteMarker
        ? `<DeleteMarker>${common}</DeleteMarker>`
        : `<Version>${common}<ETag>${xml(etag)}</ETag><Size>${size}</Size><StorageClass>STANDARD</StorageClass></Version>`;
    });
    const last = page.at(-1)?.entry;
    res
      .writeHead(200, { 'Content-Type': 'application/xml' })
      .end(
        xmlDoc(
          `<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${xml(bucket)}</Name><Prefix>${xml(prefix)}</Prefix>` +
            `<KeyMarker>${xml(keyMarker)}</KeyMarker><VersionIdMarker>${xml(versionMarker)}</VersionIdMarker><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>` +
            (truncated && last
              ? `<NextKeyMarker>${xml(last.meta.key)}</NextKeyMarker><NextVersionIdMarker>${xml(versionOf(last))}</NextVersionIdMarker>`
              : '') +
            `${listed.join('')}</ListVersionsResult>`,
        ),
      );
  }

  /** PutBucketVersioning: Enabled or Suspended (a bucket never goes back to unversioned, as in S3). */
  async function putVersioning(req: IncomingMessage, res: ServerResponse, bucket: string) {
    store.state(bucket);
    const body = (await readBody(req)).toString('utf8');
    const status = /<Status>\s*(Enabled|Suspended)\s*<\/Status>/.exec(body)?.[1] as Versioning | undefined;
    if (!status || /<MfaDelete>\s*Enabled/.test(body))
      throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    await store.setVersioning(bucket, status);
    res.writeHead(200).end();
  }

  const uploads = new Map<string, Upload>();
  const noSuchUpload = (uploadId: string) =>
    new S3Error(404, 'NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', {
      UploadId: uploadId,
    });
  const uploadOf = (bucket: string, key: string, uploadId: string) => {
    const upload = uploads.get(uploadId);
    if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload(uploadId);
    return upload;
  };

  /** CreateMultipartUpload: the headers the object will keep are given now, as with a PUT. */
  function createUpload(req: IncomingMessage, res: ServerResponse, bucket: string, key: string) {
    store.state(bucket);
    const algorithm = String(req.headers['x-amz-checksum-algorithm'] ?? '').toUpperCase();
    if (algorithm && algorithm !== 'CRC32') throw notImplemented();
    const uploadId = randomBytes(24).toString('base64url');
    uploads.set(uploadId, { bucket, key, headers: Object.entries(req.headers), checksum: algorithm ? 'CRC32' : undefined, parts: new Map() });
    res
      .writeHead(200, { 'Content-Type': 'application/xml' })
      .end(
        xmlDoc(
          `<InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${xml(bucket)}</Bucket><Key>${xml(key)}</Key><UploadId>${xml(uploadId)}</UploadId></InitiateMultipartUploadResult>`,
        ),
      );
  }

  /** UploadPart: a part replaces any earlier one of the same number. */
  async function uploadPart(req: IncomingMessage, res: ServerResponse, bucket: string, key: string, query: URLSearchParams) {
    const upload = uploadOf(bucket, key, query.get('uploadId')!);
    const partNumber = Number(query.get('partNumber'));
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS)
      throw new S3Error(400, 'InvalidArgument', `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`, {
        ArgumentName: 'partNumber',
        ArgumentValue: query.get('partNumber') ?? '',
      });
    const { body, trailers } = await objectBodyAndTrailers(req);
    const given = String(req.headers['x-amz-checksum-crc32'] ?? trailers['x-amz-checksum-crc32'] ?? '') || undefined;
    if (given && given !== crc32Of(body)) throw new S3Error(400, 'BadDigest', 'The CRC32 you specified did not match the calculated checksum.');
    if (upload.checksum && !given)
      throw new S3Error(400, 'InvalidRequest', 'Checksum Type mismatch occurred, expected checksum Type: crc32, actual checksum Type: null');
    const etag = md5(body);
    upload.parts.set(partNumber, { etag, body, ...(given ? { crc32: given } : {}) });
    res.writeHead(200, { ETag: etag, ...(given ? { 'x-amz-checksum-crc32': given } : {}) }).end();
  }

  /** CompleteMultipartUpload: the parts listed (ascending, with their ETags) become the object; the upload is gone. */
  async function completeUpload(req: IncomingMessage, res: ServerResponse, bucket: string, key: string, uploadId: string) {
    const upload = uploadOf(bucket, key, uploadId);
    const listed = [...(await readBody(req)).toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      partNumber: Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(m[1]!)?.[1]),
      etag: /<ETag>\s*(?:&quot;|")?([0-9a-fA-F]{32})(?:&quot;|")?\s*<\/ETag>/.exec(m[1]!)?.[1],
      crc32: /<ChecksumCRC32>\s*([A-Za-z0-9+/=]+)\s*<\/ChecksumCRC32>/.exec(m[1]!)?.[1],
    }));
    if (!listed.length) throw new S3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
    // The whole list's order first, then each part, then the sizes: as S3 answers a list with several faults.
    if (listed.some((part, i) => i > 0 && part.partNumber <= listed[i - 1]!.partNumber))
      throw new S3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', {
        UploadId: uploadId,
      });
    const parts = listed.map((part) => {
      const sent = upload.parts.get(part.partNumber);
      // An upload created with a checksum lists each part's; parts sent with one cannot complete an upload created without.
      if (upload.checksum && !part.crc32)
        throw new S3Error(
          400,
          'InvalidRequest',
          `The upload was created using a crc32 checksum. The complete request must include the checksum for each part. It was missing for part ${part.partNumber} in the request.`,
        );
      if (!sent || sent.etag !== `"${part.etag?.toLowerCase()}"` || sent.crc32 !== part.crc32 || (!upload.checksum && sent.crc32))
        throw new S3Error(
          400,
          'InvalidPart',
          "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
          { UploadId: uploadId, PartNumber: part.partNumber },
        );
      return sent;
    });
    const tooSmall = parts.findIndex((p, i) => i < parts.length - 1 && p.body.length < MIN_PART);
    if (tooSmall !== -1)
      throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', {
        ProposedSize: parts[tooSmall]!.body.length,
        MinSizeAllowed: MIN_PART,
        PartNumber: listed[tooSmall]!.partNumber,
      });
    uploads.delete(uploadId);
    const md5s = Buffer.concat(parts.map((p) => Buffer.from(p.etag.slice(1, -1), 'hex')));
    const etag = `"${createHash('md5').update(md5s).digest('hex')}-${parts.length}"`;
    const { versionId } = await save(bucket, key, Buffer.concat(parts.map((p) => p.body)), upload.headers, etag);
    const location = `http://${req.headers.host}/${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
    res
      .writeHead(200, { 'Content-Type': 'application/xml', ...versionHeader(bucket, versionId) })
      .end(
        xmlDoc(
          `<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>${xml(location)}</Location><Bucket>${xml(bucket)}</Bucket><Key>${xml(key)}</Key><ETag>${xml(etag)}</ETag></CompleteMultipartUploadResult>`,
        ),
      );
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    // Split the raw URL ourselves: WHATWG URL parsing would resolve `..` segments, which are legal in keys.
    const raw = req.url ?? '/';
    const q = raw.includes('?') ? raw.indexOf('?') : raw.length;
    const query = new URLSearchParams(raw.slice(q + 1));
    let bucket: string, key: string;
    try {
      [bucket = '', key = ''] = decodeURIComponent(raw.slice(0, q))
        .replace(/^\//, '')
        .split(/\/(.*)/s);
    } catch {
      throw new S3Error(400, 'InvalidURI', "Couldn't parse the specified URI.");
    }
    if (!bucket || UNSUPPORTED.some((s) => query.has(s))) throw notImplemented();
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket))
      throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
    const call = `${req.method} ${key ? 'object' : 'bucket'}`;
    if (call === 'POST bucket') return postObject(req, res, bucket); // authorised by its signed policy, not by headers
    authorize(req, query);
    // Multipart uploads: create, parts, complete, abort — and nothing else names an upload here (ListParts, copies of parts).
    const uploadId = query.get('uploadId');
    if (call === 'POST object' && query.has('uploads') && uploadId === null) return createUpload(req, res, bucket, key);
    if (call === 'PUT object' && uploadId !== null && query.has('partNumber') && !req.headers['x-amz-copy-source'])
      return uploadPart(req, res, bucket, key, query);
    if (call === 'POST object' && uploadId !== null) return completeUpload(req, res, bucket, key, uploadId);
    if (call === 'DELETE object' && uploadId !== null) {
      uploadOf(bucket, key, uploadId);
      uploads.delete(uploadId);
      return void res.writeHead(204).end();
    }
    if (['uploads', 'uploadId', 'partNumber'].some((s) => query.has(s))) throw notImplemented();
    switch (call) {
      case 'PUT bucket':
        if (query.has('versioning')) return putVersioning(req, res, bucket);
        if (store.buckets.has(bucket))
          throw new S3Error(409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', {
            BucketName: bucket,
          });
        await store.createBucket(bucket);
        return void res.writeHead(200, { Location: `/${bucket}` }).end();
      case 'HEAD bucket':
        store.state(bucket);
        return void res.writeHead(200).end();
      case 'GET bucket': {
        if (query.has('versions')) return listVersions(res, bucket, query);
        if (query.has('versioning')) {
          const status = store.state(bucket).versioning;
          return void res
            .writeHead(200, { 'Content-Type': 'application/xml' })
            .end(
              xmlDoc(
                `<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${status ? `<Status>${status}</Status>` : ''}</VersioningConfiguration>`,
              ),
            );
        }
        if (query.get('list-type') === '2') return listObjects(res, bucket, query);
        throw notImplemented();
      }
      case 'PUT object':
        return putObject(req, res, bucket, key);
      case 'GET object':
      case 'HEAD object':
        return getObject(req, res, bucket, key, query);
      case 'DELETE object': {
        // S3 answers 204 whether or not the key (or the version) existed.
        const done = await store.delete(bucket, key, query.get('versionId') ?? undefined);
        return void res
          .writeHead(204, {
            ...(done.versionId !== undefined ? { 'x-amz-version-id': done.versionId } : {}),
            ...(done.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}),
          })
          .end();
      }
    }
    throw notImplemented();
  }

  const server = createServer((req, res) => {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    route(req, res).catch((e: unknown) => {
      if (!(e instanceof S3Error)) console.error('local S3:', e);
      const err = e instanceof S3Error ? e : new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      if (res.headersSent) return void res.destroy();
      // What an error answer keeps: the request id, and what S3 says about a delete marker.
      const kept = ['x-amz-request-id', 'x-amz-delete-marker', 'x-amz-version-id', 'allow'];
      for (const name of res.getHeaderNames()) if (!kept.includes(name)) res.removeHeader(name);
      res.writeHead(err.status, { 'Content-Type': 'application/xml' });
      const extra = Object.entries(err.extra)
        .map(([k, v]) => `<${k}>${xml(v)}</${k}>`)
        .join('');
      // HEAD answers carry the status only.
      res.end(
        req.method === 'HEAD'
          ? undefined
          : xmlDoc(`<Error><Code>${err.code}</Code><Message>${xml(err.message)}</Message>${extra}<RequestId>${requestId}</RequestId></Error>`),
      );
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(options.port, host, resolve));
  return { server, url: `http://${host}:${(server.address() as AddressInfo).port}` };
}
