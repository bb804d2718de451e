/**
 * The datastore in S3 (see `datastore.ts` for the layout and invariants), and downloads of `s3://` inputs.
 * Endpoint, region and credentials come from the usual AWS environment variables and config files
 * (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`, `AWS_REGION`, `AWS_ACCESS_KEY_ID`, profiles...); a custom endpoint
 * implies path-style addressing, which S3-compatible servers expect.
 * This module is the only one that imports the AWS SDK, and it is itself imported only for `s3://` locations.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { objectKey, type Datastore } from './datastore.ts';

function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m) throw new Error(`'${url}' is not an S3 URL (expected s3://bucket/prefix).`);
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, '') };
}

let sharedClient: S3Client | undefined;

/** One S3 client per process, configured from the environment. */
function s3Client(env: Record<string, string | undefined> = process.env): S3Client {
  if (sharedClient) return sharedClient;
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  sharedClient = new S3Client({
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    // Checksums only where S3 requires them: streamed uploads then stay plain PUTs, which S3-compatible servers accept.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  });
  return sharedClient;
}

async function bodyToFile(body: unknown, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await pipeline(body as Readable, createWriteStream(tmp));
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export class S3Datastore implements Datastore {
  readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {
    this.location = `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
  }

  static fromUrl(url: string): S3Datastore {
    const { bucket, prefix } = parseS3Url(url);
    return new S3Datastore(s3Client(), bucket, prefix);
  }

  private key(key: string): string {
    return this.prefix ? `${this.prefix}/${key}` : key;
  }

  async putBytes(data: Buffer | string): Promise<string> {
    const sha = createHash('sha256').update(data).digest('hex');
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(objectKey(sha)), Body: data }));
    return sha;
  }

  async putFile(path: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    const sha = hash.digest('hex');
    const { size } = await stat(path);
    await this.client.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: this.key(objectKey(sha)), Body: createReadStream(path), ContentLength: size }),
    );
    return sha;
  }

  async getBytes(sha: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(objectKey(sha)) }));
    return Buffer.from(await res.Body!.transformToByteArray());
  }

  async fetchTo(sha: string, path: string): Promise<void> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(objectKey(sha)) }));
    await bodyToFile(res.Body, path);
  }

  async writeDoc(key: string, text: string): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: this.key(key), Body: text, ContentType: 'application/json' }));
  }

  async readDoc(key: string): Promise<string | null> {
    try {
      const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(key) }));
      return await res.Body!.transformToString('utf8');
    } catch (err) {
      const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return null;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const full = `${this.key(prefix)}/`;
    const names = new Set<string>();
    let token: string | undefined;
    do {
      const res = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, Delimiter: '/', ContinuationToken: token }),
      );
      for (const p of res.CommonPrefixes ?? []) if (p.Prefix) names.add(p.Prefix.slice(full.length).replace(/\/$/, ''));
      for (const o of res.Contents ?? []) if (o.Key) names.add(o.Key.slice(full.length));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    if (names.size === 0) {
      // Some S3-compatible servers (s3rver) answer a delimited listing of a deeper prefix with nothing; derive the
      // children from a plain listing instead (only reached when the delimited one was empty).
      token = undefined;
      do {
        const res: { Contents?: { Key?: string }[]; IsTruncated?: boolean; NextContinuationToken?: string } = await this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: full, ContinuationToken: token }));
        for (const o of res.Contents ?? []) if (o.Key) names.add(o.Key.slice(full.length).split('/')[0]);
        token = res.IsTruncated ? res.NextContinuationToken : undefined;
      } while (token);
    }
    return [...names].filter(Boolean).sort();
  }
}

/**
 * Downloads `s3://bucket/key` to a local path: one object for a `file`, every object under the prefix for a
 * `dir` (keeping relative paths).
 */
export async function downloadS3(url: string, dest: string, kind: 'file' | 'dir'): Promise<void> {
  const client = s3Client();
  const { bucket, prefix } = parseS3Url(url);
  if (kind === 'file') {
    const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: prefix }));
    await bodyToFile(res.Body, dest);
    return;
  }
  await mkdir(dest, { recursive: true });
  let token: string | undefined;
  do {
    const res = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix ? `${prefix}/` : '', ContinuationToken: token }));
    for (const o of res.Contents ?? []) {
      if (!o.Key || o.Key.endsWith('/')) continue;
      const rel = prefix ? o.Key.slice(prefix.length + 1) : o.Key;
      const obj = await client.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
      await bodyToFile(obj.Body, join(dest, ...rel.split('/')));
    }
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token);
}

