import { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import type { DirectUpload } from '#shared/domain/attachments.ts';
import { clientOf, type LazyClient } from './lazy-client.ts';

/** The part size of a streamed upload: over S3's 5 MiB minimum, and the most a streamed upload holds at a time. */
export const PART_BYTES = 8 * 1024 * 1024;

/** Regroups a stream's chunks, whatever their sizes, into parts of exactly `size` bytes (the last one shorter). */
export async function* inParts(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let held = 0;
  for await (const chunk of source) {
    let rest = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    while (held + rest.length >= size) {
      const take = size - held;
      yield Buffer.concat([...pending, rest.subarray(0, take)]);
      rest = rest.subarray(take);
      pending = [];
      held = 0;
    }
    if (rest.length) {
      pending.push(Buffer.from(rest));
      held += rest.length;
    }
  }
  if (held) yield Buffer.concat(pending);
}

export interface StoredObject {
  size: number;
  contentType: string;
  /** The first bytes, to recognise the file by its content rather than its name. */
  head: Uint8Array;
}

/**
 * Attachments go from the browser straight to object storage through a presigned POST
 * (a plain HTML form, no script), never through the API. The policy bounds the key
 * prefix and the size; the type is checked after upload from the file's own bytes.
 */
export class AttachmentStore {
  constructor(
    private readonly client: S3Client | LazyClient<S3Client>,
    private readonly bucket: string,
  ) {}

  /** The client and the package's commands, loaded on the first call (see aws.ts). */
  private async sdk() {
    const [s3, sdk] = await Promise.all([clientOf(this.client), import('@aws-sdk/client-s3')]);
    return { s3, sdk };
  }

  async presignUpload(options: { keyPrefix: string; redirectTo: string; maxBytes: number; expiresSeconds?: number }): Promise<DirectUpload> {
    const [s3, { createPresignedPost }] = await Promise.all([clientOf(this.client), import('@aws-sdk/s3-presigned-post')]);
    return createPresignedPost(s3, {
      Bucket: this.bucket,
      Key: `${options.keyPrefix}\${filename}`,
      Conditions: [
        ['starts-with', '$key', options.keyPrefix],
        ['content-length-range', 1, options.maxBytes],
        ['eq', '$success_action_redirect', options.redirectTo],
      ],
      Fields: { success_action_redirect: options.redirectTo },
      Expires: options.expiresSeconds ?? 900,
    });
  }

  /** Size, type and first bytes of an uploaded object; undefined if it is not there. */
  async inspect(key: string): Promise<StoredObject | undefined> {
    const { s3, sdk } = await this.sdk();
    try {
      const head = await s3.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      const first = await s3.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key, Range: 'bytes=0-7' }));
      return {
        size: Number(head.ContentLength ?? 0),
        contentType: head.ContentType ?? 'application/octet-stream',
        head: await first.Body!.transformToByteArray(),
      };
    } catch (e) {
      if (e instanceof sdk.NotFound || (e as Error).name === 'NoSuchKey' || (e as Error).name === 'NotFound') return undefined;
      throw e;
    }
  }

  /**
   * Moves a checked upload out of reach of its upload policy (which stays usable until it
   * expires), so what was checked is what stays: kept objects live under `kept/`, which no
   * upload prefix can name.
   */
  async keep(uploadedKey: string, contentType: string): Promise<string> {
    const { s3, sdk } = await this.sdk();
    const kept = `kept/${uploadedKey}`;
    const object = await s3.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: uploadedKey }));
    await s3.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key: kept, Body: await object.Body!.transformToByteArray(), ContentType: contentType }));
    await this.purge(uploadedKey);
    return kept;
  }

  /** The whole object (a small upload the app reads itself, e.g. a CSV to import); undefined if it is not there. */
  async read(key: string): Promise<Uint8Array | undefined> {
    const { s3, sdk } = await this.sdk();
    try {
      const object = await s3.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await object.Body!.transformToByteArray();
    } catch (e) {
      if ((e as Error).name === 'NoSuchKey' || (e as Error).name === 'NotFound') return undefined;
      throw e;
    }
  }

  /**
   * The object as a stream, opened on its first read: a zip of many files can hold one lazy
   * stream per file and fetch each only when the zip comes to it. An object gone by then is an error.
   */
  readStream(key: string): Readable {
    const open = async function* (store: AttachmentStore) {
      const { s3, sdk } = await store.sdk();
      yield* (await s3.send(new sdk.GetObjectCommand({ Bucket: store.bucket, Key: key }))).Body as Readable;
    };
    // Readable.from starts the generator on the first read, not before.
    return Readable.from(open(this), { objectMode: false });
  }

  /**
   * Stores a file the system produces as a stream (a council's archive, which can be gigabytes):
   * a multipart upload of {@link PART_BYTES} parts, so no more than one part is held at a time.
   * A failure aborts the upload (no parts are left to pay for). Returns the object's size.
   * CRC32 throughout, as the SDK's own Upload does: the client checksums every part by default, and
   * S3 completes an upload of checksummed parts only when it was created with the algorithm and the
   * completion lists each part's checksum.
   */
  async putStream(key: string, source: AsyncIterable<Uint8Array>, contentType: string): Promise<number> {
    const { s3, sdk } = await this.sdk();
    const { UploadId } = await s3.send(
      new sdk.CreateMultipartUploadCommand({ Bucket: this.bucket, Key: key, ContentType: contentType, ChecksumAlgorithm: 'CRC32' }),
    );
    const parts: { PartNumber: number; ETag: string; ChecksumCRC32: string }[] = [];
    let size = 0;
    try {
      const send = async (body: Buffer) => {
        const PartNumber = parts.length + 1;
        const { ETag, ChecksumCRC32 } = await s3.send(
          new sdk.UploadPartCommand({
            Bucket: this.bucket,
            Key: key,
            UploadId,
            PartNumber,
            Body: body,
            ContentLength: body.length,
            ChecksumAlgorithm: 'CRC32',
          }),
        );
        parts.push({ PartNumber, ETag: ETag!, ChecksumCRC32: ChecksumCRC32! });
        size += body.length;
      };
      for await (const part of inParts(source, PART_BYTES)) await send(part);
      // An empty stream is still one (empty) part: S3 completes no upload without parts.
      if (!parts.length) await send(Buffer.alloc(0));
      await s3.send(new sdk.CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
      return size;
    } catch (e) {
      await s3.send(new sdk.AbortMultipartUploadCommand({ Bucket: this.bucket, Key: key, UploadId })).catch(() => undefined);
      throw e;
    }
  }

  /** Stores a file the system produced (an export). */
  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const { s3, sdk } = await this.sdk();
    await s3.send(new sdk.PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, ContentType: contentType }));
  }

  /**
   * Deletes an upload for good: every version of the key and any delete marker, one DeleteObject
   * with its VersionId each. (The bucket is versioned, so a plain DELETE would only hide the
   * bytes behind a marker for the 90 days noncurrent versions are kept.) Returns how many went.
   */
  async purge(key: string): Promise<number> {
    const { s3, sdk } = await this.sdk();
    const versions: string[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    // All of them first, then the deletes: deleting while paging would move the markers.
    for (let more = true; more; ) {
      const page = await s3.send(new sdk.ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: key, ...markers }));
      // The prefix also matches longer keys: only this very key's versions go.
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) if (v.Key === key) versions.push(v.VersionId ?? 'null');
      more = Boolean(page.IsTruncated);
      markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    for (const VersionId of versions) await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key, VersionId }));
    return versions.length;
  }

  /** The keys of the current objects under a prefix (ListObjectsV2, every page). */
  async list(prefix: string): Promise<string[]> {
    const { s3, sdk } = await this.sdk();
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await s3.send(new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  /**
   * Deletes for good every object under a prefix: every version and delete marker of every key
   * (see purge). A council's deletion uses it on the council's prefixes. Returns how many went.
   */
  async purgePrefix(prefix: string): Promise<number> {
    const { s3, sdk } = await this.sdk();
    const versions: { Key: string; VersionId: string }[] = [];
    let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
    for (let more = true; more; ) {
      const page = await s3.send(new sdk.ListObjectVersionsCommand({ Bucket: this.bucket, Prefix: prefix, ...markers }));
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) if (v.Key) versions.push({ Key: v.Key, VersionId: v.VersionId ?? 'null' });
      more = Boolean(page.IsTruncated);
      markers = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
    }
    for (const v of versions) await s3.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, ...v }));
    return versions.length;
  }

  /** A short-lived download link that saves under the original (Japanese) file name. */
  async presignDownload(key: string, fileName: string, contentType: string): Promise<string> {
    const [{ s3, sdk }, { getSignedUrl }] = await Promise.all([this.sdk(), import('@aws-sdk/s3-request-presigner')]);
    return getSignedUrl(
      s3,
      new sdk.GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ResponseContentDisposition: `attachment; filename*=UTF-8''${encodeURIComponent(fileName)}`,
        ResponseContentType: contentType,
      }),
      { expiresIn: 300 },
    );
  }
}
