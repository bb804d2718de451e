/**
 * A real S3-protocol server on loopback for tests: s3rver behind a small proxy that checks every request's SigV4
 * signature with AWS's own signer (`@smithy/signature-v4`), as S3 does. s3rver checks only V2 signatures (its V4
 * check is unimplemented), so without the proxy a wrongly signed request from the Python runtime, the loader or
 * the CLI would pass here and fail on AWS.
 *
 * Credentials: `S3RVER` / `S3RVER` (a session token is accepted as sent, and signed over).
 * A request that is unsigned, signed with other keys, or whose signature or payload hash does not match gets
 * S3's own 403 error (`SignatureDoesNotMatch`, `InvalidAccessKeyId`, `XAmzContentSHA256Mismatch`).
 */
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';

export const S3_KEY = 'S3RVER';
const S3_REGION = 'us-east-1';
/** The environment of a process that signs with the server's keys (the endpoint is the caller's choice of variable). */
export const S3_CREDENTIALS_ENV = { AWS_ACCESS_KEY_ID: S3_KEY, AWS_SECRET_ACCESS_KEY: S3_KEY, AWS_REGION: S3_REGION };

export interface LocalS3 {
  endpoint: string;
  /** The first bucket. */
  bucket: string;
  /** An SDK client for the server (path-style, its credentials). */
  client: S3Client;
  /** The environment a process needs to reach it (endpoint, keys, region). */
  env: Record<string, string>;
  /** Requests refused so far, as `CODE METHOD PATH`. */
  refused: string[];
  close: () => Promise<void>;
}

function bytes(d: string | ArrayBuffer | ArrayBufferView): string | Uint8Array {
  if (typeof d === 'string') return d;
  return d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** node:crypto as the signer's hash (HMAC when given a secret). */
class Sha256 {
  private readonly h;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.h = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.h.update(bytes(data));
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.h.digest()));
  }
}

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Why the request's signature is not acceptable, or null when it is S3's signature for the request. */
async function refusal(req: IncomingMessage, body: Buffer): Promise<string | null> {
  const m = AUTH.exec(req.headers.authorization ?? '');
  if (!m) return 'AccessDenied';
  const [, key, day, region, signed, signature] = m as unknown as [string, string, string, string, string, string];
  if (key !== S3_KEY) return 'InvalidAccessKeyId';
  const stamp = String(req.headers['x-amz-date'] ?? '');
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp);
  if (!date || stamp.slice(0, 8) !== day) return 'SignatureDoesNotMatch';
  const payload = String(req.headers['x-amz-content-sha256'] ?? '');
  if (/^[0-9a-f]{64}$/.test(payload) && createHash('sha256').update(body).digest('hex') !== payload) return 'XAmzContentSHA256Mismatch';
  const names = signed.split(';');
  if (!names.includes('host')) return 'SignatureDoesNotMatch';
  const headers: Record<string, string> = {};
  for (const n of names) {
    const v = req.headers[n];
    if (v === undefined) return 'SignatureDoesNotMatch';
    headers[n] = Array.isArray(v) ? v.join(',') : v;
  }
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const query: Record<string, string> = {};
  if (q >= 0) {
    for (const part of url.slice(q + 1).split('&')) {
      if (!part) continue;
      const eq = part.indexOf('=');
      query[decodeURIComponent(eq < 0 ? part : part.slice(0, eq))] = eq < 0 ? '' : decodeURIComponent(part.slice(eq + 1));
    }
  }
  const token = req.headers['x-amz-security-token'];
  const signer = new SignatureV4({
    credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY, ...(typeof token === 'string' ? { sessionToken: token } : {}) },
    region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const [, y, mo, d, h, mi, s] = date.map(Number) as [number, number, number, number, number, number, number];
  const again = await signer.sign(
    { method: req.method ?? 'GET', protocol: 'http:', hostname: headers.host!.replace(/:\d+$/, ''), path: q >= 0 ? url.slice(0, q) : url, query, headers },
    { signingDate: new Date(Date.UTC(y, mo - 1, d, h, mi, s)), signableHeaders: new Set(names) },
  );
  const expected = /Signature=([0-9a-f]{64})/.exec(String(again.headers.authorization ?? again.headers.Authorization))?.[1];
  return expected === signature ? null : 'SignatureDoesNotMatch';
}

function refuse(res: ServerResponse, code: string): void {
  res.writeHead(403, { 'content-type': 'application/xml' });
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>refused by the test server's SigV4 check</Message></Error>`);
}

/** s3rver with `buckets` behind the signature-checking proxy, both on free loopback ports. */
export async function startS3(buckets: string[] = ['flowc-test']): Promise<LocalS3> {
  const { default: S3rver } = (await import('s3rver' as string)) as { default: new (o: unknown) => { run: () => Promise<{ port: number }>; close: () => Promise<void> } };
  const backend = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'flowc-s3rver-')), configureBuckets: buckets.map((name) => ({ name })) });
  const { port: backendPort } = await backend.run();
  const refused: string[] = [];
  const inFlight = new Map<string, Promise<void>>();
  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      refusal(req, body).then(
        (code) => {
          if (code) {
            refused.push(`${code} ${req.method} ${req.url}`);
            refuse(res, code);
            return;
          }
          // One request per object at a time: S3 never shows a reader half an object, nor mixes two writers'
          // bytes, but s3rver writes an object in place, so concurrent PUTs of one key (tasks storing the same
          // content-addressed value) would read back torn.
          const key = (req.url ?? '').split('?')[0];
          const prior = inFlight.get(key) ?? Promise.resolve();
          const done = prior.then(
            () =>
              new Promise<void>((settle) => {
                const out = httpRequest({ host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: req.headers }, (back) => {
                  res.writeHead(back.statusCode ?? 502, back.headers);
                  back.pipe(res);
                  back.on('end', settle);
                  back.on('error', settle);
                });
                out.on('error', () => {
                  // A connection s3rver dropped: the client sees the same as from S3 (a 502, or a cut response).
                  if (res.headersSent) res.destroy();
                  else res.writeHead(502).end();
                  settle();
                });
                out.end(body);
              }),
          );
          inFlight.set(key, done);
          void done.then(() => {
            if (inFlight.get(key) === done) inFlight.delete(key);
          });
        },
        () => refuse(res, 'SignatureDoesNotMatch'),
      );
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  const client = new S3Client({ endpoint, region: S3_REGION, forcePathStyle: true, credentials: { accessKeyId: S3_KEY, secretAccessKey: S3_KEY } });
  return {
    endpoint,
    bucket: buckets[0]!,
    client,
    env: { ...S3_CREDENTIALS_ENV, AWS_ENDPOINT_URL: endpoint },
    refused,
    close: async () => {
      client.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((r) => proxy.close(() => r()));
      await backend.close();
    },
  };
}
