import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { createPresignedPost, type PresignedPost, type PresignedPostOptions } from '@aws-sdk/s3-presigned-post';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3 } from '#infra/local/s3.ts';
import { AttachmentStore, PART_BYTES } from '#shared/adapters/attachment-store.ts';

const BUCKET = 'council-uploads';
const REDIRECT = 'http://127.0.0.1:9/uploaded?from=s3';
const MB = 1024 * 1024;
const CONDITIONS: NonNullable<PresignedPostOptions['Conditions']> = [
  ['content-length-range', 1, 20 * MB],
  ['starts-with', '$key', 'c/x/'],
  ['starts-with', '$Content-Type', ''],
];

let dataDir: string;
let s3: { server: Server; url: string };
let client: S3Client;

const connect = (url: string) =>
  new S3Client({ endpoint: url, forcePathStyle: true, region: 'ap-northeast-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
const stop = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

const presign = (options: { expires?: number } = {}) =>
  createPresignedPost(client, {
    Bucket: BUCKET,
    Key: 'c/x/${filename}',
    Conditions: CONDITIONS,
    Fields: { success_action_redirect: REDIRECT },
    Expires: options.expires ?? 600,
  });

/** Posts the form as a browser would: the presigned fields, Content-Type, extra fields, then the file last. */
function upload(post: PresignedPost, file: { name: string; data: Buffer }, extra: Record<string, string> = {}) {
  const form = new FormData();
  const fields: Record<string, string> = { ...post.fields, 'Content-Type': 'application/pdf', ...extra };
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file.data], { type: 'application/pdf' }), file.name);
  return fetch(post.url, { method: 'POST', body: form, redirect: 'manual' });
}

async function s3Error(res: Response) {
  const body = await res.text();
  const text = (tag: string) =>
    new RegExp(`<${tag}>(.*?)</${tag}>`, 's')
      .exec(body)?.[1]
      ?.replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return { status: res.status, code: text('Code'), message: text('Message') };
}

async function keys() {
  const { Contents = [] } = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
  return Contents.map((o) => o.Key);
}

const pdf = (size: number, seed = 1) => Buffer.alloc(size, seed).fill('%PDF-1.7\n', 0, Math.min(size, 9));
const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 's3-local-'));
  s3 = await startS3({ port: 0, dataDir });
  client = connect(s3.url);
  await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
});

afterAll(async () => {
  client?.destroy();
  if (s3) await stop(s3.server);
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('local S3 stand-in: SDK operations', () => {
  it('requires CreateBucket: an unknown bucket is NoSuchBucket', async () => {
    await expect(client.send(new HeadBucketCommand({ Bucket: BUCKET }))).resolves.toBeDefined();
    const err = await client.send(new ListObjectsV2Command({ Bucket: 'never-created' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(S3ServiceException);
    expect((err as S3ServiceException).name).toBe('NoSuchBucket');
    expect((err as S3ServiceException).$metadata.httpStatusCode).toBe(404);
    const put = await client.send(new PutObjectCommand({ Bucket: 'never-created', Key: 'a', Body: 'x' })).catch((e: unknown) => e);
    expect((put as S3ServiceException).name).toBe('NoSuchBucket');
  });

  it('puts (also streamed, aws-chunked), gets, lists by prefix and deletes objects', async () => {
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/a.txt', Body: 'hello', ContentType: 'text/plain' }));
    const streamed = Buffer.from('streamed body '.repeat(1000));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sdk/b.bin', Body: Readable.from([streamed]), ContentLength: streamed.length }));
    const a = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sdk/a.txt' }));
    expect(await a.Body!.transformToString()).toBe('hello');
    expect(a.ContentType).toBe('text/plain');
    const b = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sdk/b.bin' }));
    expect(Buffer.from(await b.Body!.transformToByteArray()).equals(streamed)).toBe(true);
    expect(b.ContentType).toBe('application/octet-stream'); // what the SDK sends for a body without a type
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'sdk/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ['sdk/a.txt', 5],
      ['sdk/b.bin', streamed.length],
    ]);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'sdk/a.txt' }));
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'sdk/b.bin' }));
    expect(await keys()).toEqual([]);
    const gone = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'sdk/a.txt' })).catch((e: unknown) => e);
    expect((gone as S3ServiceException).name).toBe('NoSuchKey');
  });

  it('refuses a body over 50 MB with 413 EntityTooLarge', async () => {
    const res = await fetch(`${s3.url}/${BUCKET}/big.bin`, {
      method: 'PUT',
      headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=local/20250101/ap-northeast-1/s3/aws4_request, SignedHeaders=host, Signature=00' },
      body: Buffer.alloc(50 * MB + 1),
    });
    expect(await s3Error(res)).toMatchObject({ status: 413, code: 'EntityTooLarge' });
    expect(await keys()).toEqual([]);
  });
});

describe('local S3 stand-in: multipart uploads, checked as S3 checks them', () => {
  // Created with CRC32, as S3 wants when the SDK checksums each part (it does by default).
  const upload = async (Key: string, checksummed = true) =>
    (
      await client.send(
        new CreateMultipartUploadCommand({ Bucket: BUCKET, Key, ContentType: 'application/zip', ...(checksummed ? { ChecksumAlgorithm: 'CRC32' } : {}) }),
      )
    ).UploadId!;
  const part = async (Key: string, UploadId: string, PartNumber: number, Body: Buffer) => {
    const sent = await client.send(
      new UploadPartCommand({ Bucket: BUCKET, Key, UploadId, PartNumber, Body, ContentLength: Body.length, ChecksumAlgorithm: 'CRC32' }),
    );
    return { PartNumber, ETag: sent.ETag!, ChecksumCRC32: sent.ChecksumCRC32! };
  };
  const complete = (Key: string, UploadId: string, Parts: { PartNumber: number; ETag: string; ChecksumCRC32?: string }[]) =>
    client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key, UploadId, MultipartUpload: { Parts } }));
  const failure = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (e: S3ServiceException) => [e.name, e.$metadata.httpStatusCode],
    );

  it('joins the parts in order into one object with the headers given at the start and S3’s multipart ETag', async () => {
    const first = randomBytes(5 * MB);
    const second = randomBytes(1234);
    const id = await upload('mp/whole.zip');
    // Parts may arrive in any order; the list names them in order.
    const p2 = await part('mp/whole.zip', id, 2, second);
    const p1 = await part('mp/whole.zip', id, 1, first);
    expect(p1.ChecksumCRC32).toBe(Buffer.from(crc32(first).toString(16).padStart(8, '0'), 'hex').toString('base64'));
    // Each part's checksum is listed, as the upload was created with CRC32.
    expect(await failure(complete('mp/whole.zip', id, [p1, { PartNumber: 2, ETag: p2.ETag }]))).toEqual(['InvalidRequest', 400]);
    const done = await complete('mp/whole.zip', id, [p1, p2]);
    const md5s = Buffer.concat([first, second].map((b) => createHash('md5').update(b).digest()));
    expect(done.ETag).toBe(`"${createHash('md5').update(md5s).digest('hex')}-2"`);
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'mp/whole.zip' }));
    expect(got.ContentType).toBe('application/zip');
    expect(got.ETag).toBe(done.ETag);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat([first, second]))).toBe(true);
    // Completed, the upload is gone.
    expect(await failure(complete('mp/whole.zip', id, [p1, p2]))).toEqual(['NoSuchUpload', 404]);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'mp/whole.zip' }));
  });

  it('refuses a part under 5 MiB that is not the last, a wrong ETag, parts out of order and an aborted upload — and stores nothing', async () => {
    const id = await upload('mp/refused.zip');
    const small = await part('mp/refused.zip', id, 1, randomBytes(1000));
    const last = await part('mp/refused.zip', id, 2, randomBytes(1000));
    expect(await failure(complete('mp/refused.zip', id, [small, last]))).toEqual(['EntityTooSmall', 400]);
    expect(await failure(complete('mp/refused.zip', id, [{ ...small, ETag: '"00000000000000000000000000000000"' }]))).toEqual(['InvalidPart', 400]);
    expect(await failure(complete('mp/refused.zip', id, [{ ...small, PartNumber: 3 }]))).toEqual(['InvalidPart', 400]);
    expect(await failure(complete('mp/refused.zip', id, [last, small]))).toEqual(['InvalidPartOrder', 400]);
    expect(await failure(part('mp/refused.zip', id, 10_001, randomBytes(10)))).toEqual(['InvalidArgument', 400]);
    expect(await failure(part('mp/other-key.zip', id, 1, randomBytes(10)))).toEqual(['NoSuchUpload', 404]);
    // Parts the SDK checksummed cannot complete an upload created without the algorithm (what the store avoids).
    const bare = await upload('mp/refused.zip', false);
    expect(await failure(complete('mp/refused.zip', bare, [{ PartNumber: 1, ETag: (await part('mp/refused.zip', bare, 1, randomBytes(10))).ETag }]))).toEqual([
      'InvalidPart',
      400,
    ]);
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'mp/refused.zip', UploadId: id }));
    expect(await failure(part('mp/refused.zip', id, 3, randomBytes(10)))).toEqual(['NoSuchUpload', 404]);
    expect(await keys()).toEqual([]);
  });

  it('lets the attachment store stream an upload in 8 MiB parts, whatever the chunks, and read an object back as a stream only when read', async () => {
    const store = new AttachmentStore(client, BUCKET);
    const data = randomBytes(PART_BYTES * 2 + 777);
    // Chunks of odd sizes, as a zip writer gives them.
    const chunks = async function* () {
      for (let at = 0; at < data.length; at += 1_000_003) yield data.subarray(at, at + 1_000_003);
    };
    expect(await store.putStream('mp/streamed.zip', chunks(), 'application/zip')).toBe(data.length);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'mp/streamed.zip' }));
    expect(head.ETag).toMatch(/-3"$/);
    expect(head.ContentType).toBe('application/zip');
    const back: Buffer[] = [];
    for await (const chunk of store.readStream('mp/streamed.zip')) back.push(chunk as Buffer);
    expect(Buffer.concat(back).equals(data)).toBe(true);
    // A stream of a key that is not there fails when read, not when made.
    const missing = store.readStream('mp/none.zip');
    await expect(
      (async () => {
        for await (const _ of missing) {
          /* drain */
        }
      })(),
    ).rejects.toMatchObject({ name: 'NoSuchKey' });
    // A source that fails midway leaves no object and no upload behind.
    const failing = async function* () {
      yield randomBytes(PART_BYTES + 1);
      throw new Error('the zip writer failed');
    };
    await expect(store.putStream('mp/broken.zip', failing(), 'application/zip')).rejects.toThrow('the zip writer failed');
    expect(await keys()).toEqual(['mp/streamed.zip']);
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'mp/streamed.zip' }));
  });
});

describe('local S3 stand-in: a versioned bucket, as the deployed one', () => {
  const VERSIONED = 'council-versioned';
  const versionsOf = async (c: S3Client, prefix = '') => {
    const out = await c.send(new ListObjectVersionsCommand({ Bucket: VERSIONED, Prefix: prefix }));
    return [
      ...(out.Versions ?? []).map((v) => ({ key: v.Key, id: v.VersionId, latest: v.IsLatest, marker: false })),
      ...(out.DeleteMarkers ?? []).map((v) => ({ key: v.Key, id: v.VersionId, latest: v.IsLatest, marker: true })),
    ];
  };
  const text = async (c: S3Client, key: string, versionId?: string) =>
    (await c.send(new GetObjectCommand({ Bucket: VERSIONED, Key: key, ...(versionId ? { VersionId: versionId } : {}) }))).Body!.transformToString();

  it('keeps every version, hides a deleted key behind a marker, and deletes a version for good by its id', async () => {
    await client.send(new CreateBucketCommand({ Bucket: VERSIONED }));
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: VERSIONED }))).Status).toBeUndefined();
    await client.send(new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status: 'Enabled' } }));
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: VERSIONED }))).Status).toBe('Enabled');

    const v1 = (await client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'up/a.pdf', Body: 'one' }))).VersionId!;
    const v2 = (await client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'up/a.pdf', Body: 'two' }))).VersionId!;
    expect(v1).not.toBe(v2);
    expect(await text(client, 'up/a.pdf')).toBe('two');
    expect(await text(client, 'up/a.pdf', v1)).toBe('one');

    // A plain DELETE only hides the object: the versions stay, under a delete marker.
    const marker = await client.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'up/a.pdf' }));
    expect(marker.DeleteMarker).toBe(true);
    const gone = await client.send(new GetObjectCommand({ Bucket: VERSIONED, Key: 'up/a.pdf' })).catch((e: unknown) => e);
    expect((gone as S3ServiceException).name).toBe('NoSuchKey');
    expect((await client.send(new ListObjectsV2Command({ Bucket: VERSIONED }))).Contents ?? []).toEqual([]);
    expect(await versionsOf(client)).toEqual(
      expect.arrayContaining([
        { key: 'up/a.pdf', id: v2, latest: false, marker: false },
        { key: 'up/a.pdf', id: v1, latest: false, marker: false },
        { key: 'up/a.pdf', id: marker.VersionId, latest: true, marker: true },
      ]),
    );
    expect(await text(client, 'up/a.pdf', v1)).toBe('one');

    // DELETE with a version id removes that version for good.
    for (const id of [v1, v2, marker.VersionId!]) await client.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'up/a.pdf', VersionId: id }));
    expect(await versionsOf(client)).toEqual([]);
  });

  it('pages through versions with the key and version-id markers', async () => {
    for (const key of ['p/1', 'p/1', 'p/2', 'p/3']) await client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: key, Body: key }));
    const seen: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let page = 0; page < 10; page++) {
      const out = await client.send(new ListObjectVersionsCommand({ Bucket: VERSIONED, Prefix: 'p/', MaxKeys: 1, ...markers }));
      seen.push(...(out.Versions ?? []).map((v) => `${v.Key}@${v.VersionId}`));
      if (!out.IsTruncated) break;
      markers = { KeyMarker: out.NextKeyMarker, VersionIdMarker: out.NextVersionIdMarker };
    }
    expect(seen.map((s) => s.split('@')[0])).toEqual(['p/1', 'p/1', 'p/2', 'p/3']);
    expect(new Set(seen).size).toBe(4);
  });

  it('lets the attachment store delete one key for good, every version, and leave a longer key with that prefix alone', async () => {
    for (const body of ['a', 'b']) await client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'c/s/k/1/x.pdf', Body: body }));
    await client.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'c/s/k/1/x.pdf' }));
    await client.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'c/s/k/1/x.pdf.keep', Body: 'keep' }));
    expect(await new AttachmentStore(client, VERSIONED).purge('c/s/k/1/x.pdf')).toBe(3);
    expect((await versionsOf(client, 'c/')).map((v) => v.key)).toEqual(['c/s/k/1/x.pdf.keep']);
  });

  it('keeps versions, markers and the versioning state across a restart', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 's3-versions-'));
    let own = await startS3({ port: 0, dataDir: dir });
    let c = connect(own.url);
    await c.send(new CreateBucketCommand({ Bucket: VERSIONED }));
    await c.send(new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status: 'Enabled' } }));
    const first = (await c.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'k', Body: 'first' }))).VersionId!;
    await c.send(new PutObjectCommand({ Bucket: VERSIONED, Key: 'k', Body: 'second' }));
    await c.send(new DeleteObjectCommand({ Bucket: VERSIONED, Key: 'k' }));
    const before = await versionsOf(c);
    c.destroy();
    await stop(own.server);
    own = await startS3({ port: 0, dataDir: dir });
    c = connect(own.url);
    try {
      expect((await c.send(new GetBucketVersioningCommand({ Bucket: VERSIONED }))).Status).toBe('Enabled');
      expect(await versionsOf(c)).toEqual(before);
      expect(await text(c, 'k', first)).toBe('first');
      expect(await new AttachmentStore(c, VERSIONED).purge('k')).toBe(3);
      expect(await versionsOf(c)).toEqual([]);
    } finally {
      c.destroy();
      await stop(own.server);
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('local S3 stand-in: browser POST uploads with a presigned policy', () => {
  it('stores a valid upload and redirects with bucket, key and etag', async () => {
    const data = pdf(300_000);
    const res = await upload(await presign(), { name: 'report.pdf', data });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://127.0.0.1:9/uploaded');
    expect(location.searchParams.get('from')).toBe('s3');
    expect(location.searchParams.get('bucket')).toBe(BUCKET);
    expect(location.searchParams.get('key')).toBe('c/x/report.pdf');
    expect(location.searchParams.get('etag')).toBe(md5(data));

    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'c/x/report.pdf' }));
    expect(head.ContentLength).toBe(data.length);
    expect(head.ContentType).toBe('application/pdf');
    expect(head.ETag).toBe(md5(data));
    expect(head.LastModified).toBeInstanceOf(Date);

    const part = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'c/x/report.pdf', Range: 'bytes=0-8' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe(`bytes 0-8/${data.length}`);
    expect(await part.Body!.transformToString()).toBe('%PDF-1.7\n');
  });

  it('answers success_action_status 201 with a PostResponse when there is no redirect', async () => {
    const post = await createPresignedPost(client, {
      Bucket: BUCKET,
      Key: 'c/x/${filename}',
      Conditions: CONDITIONS,
      Fields: { success_action_status: '201' },
    });
    const res = await upload(post, { name: 'status.pdf', data: pdf(10) });
    expect(res.status).toBe(201);
    expect(await res.text()).toContain('<Key>c/x/status.pdf</Key>');
    await client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'c/x/status.pdf' }));
  });

  it('refuses a file over content-length-range (EntityTooLarge) and an empty one (EntityTooSmall)', async () => {
    const before = await keys();
    expect(await s3Error(await upload(await presign(), { name: 'big.pdf', data: pdf(20 * MB + 1) }))).toMatchObject({ status: 400, code: 'EntityTooLarge' });
    expect(await s3Error(await upload(await presign(), { name: 'empty.pdf', data: Buffer.alloc(0) }))).toMatchObject({ status: 400, code: 'EntityTooSmall' });
    expect(await keys()).toEqual(before);
  });

  it('refuses a tampered policy or signature with SignatureDoesNotMatch', async () => {
    const before = await keys();
    const post = await presign();
    const policy = JSON.parse(Buffer.from(post.fields.Policy!, 'base64').toString());
    policy.conditions[0] = ['content-length-range', 1, 1024 * MB];
    const tamperedPolicy = { ...post, fields: { ...post.fields, Policy: Buffer.from(JSON.stringify(policy)).toString('base64') } };
    expect(await s3Error(await upload(tamperedPolicy, { name: 'p.pdf', data: pdf(100) }))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    const signature = post.fields['X-Amz-Signature']!;
    const tamperedSignature = { ...post, fields: { ...post.fields, 'X-Amz-Signature': `${signature.slice(0, -1)}${signature.endsWith('0') ? '1' : '0'}` } };
    expect(await s3Error(await upload(tamperedSignature, { name: 's.pdf', data: pdf(100) }))).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
    expect(await keys()).toEqual(before);
  });

  it('refuses an expired policy', async () => {
    const before = await keys();
    const err = await s3Error(await upload(await presign({ expires: -60 }), { name: 'late.pdf', data: pdf(100) }));
    expect(err).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Policy expired.' });
    expect(await keys()).toEqual(before);
  });

  it('refuses a key outside the allowed prefix', async () => {
    const before = await keys();
    const post = await presign();
    const err = await s3Error(await upload({ ...post, fields: { ...post.fields, key: 'other/${filename}' } }, { name: 'x.pdf', data: pdf(100) }));
    expect(err).toMatchObject({
      status: 403,
      code: 'AccessDenied',
      message: 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "c/x/"]',
    });
    expect(await keys()).toEqual(before);
  });

  it('refuses a field no condition covers, but allows x-ignore- fields', async () => {
    const before = await keys();
    const err = await s3Error(await upload(await presign(), { name: 'extra.pdf', data: pdf(100) }, { 'x-amz-meta-owner': 'someone' }));
    expect(err).toMatchObject({ status: 403, code: 'AccessDenied', message: 'Invalid according to Policy: Extra input fields: x-amz-meta-owner' });
    expect(await keys()).toEqual(before);
    const ignored = await upload(await presign(), { name: 'ignored.pdf', data: pdf(100) }, { 'x-ignore-note': 'anything' });
    expect(ignored.status).toBe(303);
    expect(await keys()).toEqual([...before, 'c/x/ignored.pdf'].sort());
  });

  it('keeps a Japanese file name intact in the key', async () => {
    const name = '資料1_委託仕様書.pdf';
    const data = pdf(2048, 7);
    const res = await upload(await presign(), { name, data });
    expect(res.status).toBe(303);
    expect(new URL(res.headers.get('location')!).searchParams.get('key')).toBe(`c/x/${name}`);
    expect(await keys()).toContain(`c/x/${name}`);
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `c/x/${name}` }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(data)).toBe(true);
  });

  it('keeps objects across a restart on the same dataDir', async () => {
    const before = await keys();
    expect(before).toEqual(expect.arrayContaining(['c/x/report.pdf', 'c/x/資料1_委託仕様書.pdf']));
    client.destroy();
    await stop(s3.server);
    s3 = await startS3({ port: 0, dataDir });
    client = connect(s3.url);
    expect(await keys()).toEqual(before);
    const head = await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'c/x/資料1_委託仕様書.pdf' }));
    expect(head).toMatchObject({ ContentLength: 2048, ContentType: 'application/pdf', ETag: md5(pdf(2048, 7)) });
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'c/x/report.pdf', Range: 'bytes=-4' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(pdf(300_000).subarray(-4))).toBe(true);
  });
});
