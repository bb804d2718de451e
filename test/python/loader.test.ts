/**
 * The loader (`LOADER` in targets/runtime/index.ts): the only S3 code outside the Python package, a signed GET of
 * the packed runtime. Run with python3 against S3 on loopback whose SigV4 check is AWS's own signer, with keys
 * from the environment (with and without a session token), from the container credentials endpoint, and with a
 * wrong key, which S3 refuses and the loader reports.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { strToU8, zipSync } from 'fflate';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOADER } from '../../targets/runtime/index.ts';
import { S3_KEY } from '../helpers/s3.ts';
import { runPython, startS3 } from './helpers.ts';

/** A stand-in runtime package whose `main` prints what it was given, packed and stored as the loader expects. */
function fakeRuntime(): { text: string; sha: string } {
  const zip = zipSync({ 'flowc/__init__.py': strToU8(''), 'flowc/_runtime.py': strToU8('def main(argv):\n    print("runtime started with", argv)\n') });
  const text = Buffer.from(zip).toString('base64');
  return { text, sha: createHash('sha256').update(text).digest('hex') };
}

test('the loader fetches the runtime with a correct SigV4 signature from every credential source, and reports a refusal', async () => {
  const s3 = await startS3('flowc-loader');
  const creds = createServer((req, res) => {
    if (req.headers.authorization !== 'container-token') {
      res.writeHead(403);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ AccessKeyId: S3_KEY, SecretAccessKey: S3_KEY, Token: 'session/with+odd=chars', Expiration: '2099-01-01T00:00:00Z' }));
  });
  await new Promise<void>((r) => creds.listen(0, '127.0.0.1', r));
  try {
    const rt = fakeRuntime();
    // A prefix with characters that need encoding in the signed path.
    const prefix = 'team a/runs';
    await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/objects/${rt.sha.slice(0, 2)}/${rt.sha}`, Body: rt.text }));
    const base = { FLOWC_RUNTIME_SHA: rt.sha, FLOWC_DATASTORE: `s3://${s3.bucket}/${prefix}`, AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1' };
    const run = (env: Record<string, string>) => runPython(['-c', LOADER, 'body', 'arg 2'], { ...base, ...env });

    const keys = await run({ AWS_ACCESS_KEY_ID: S3_KEY, AWS_SECRET_ACCESS_KEY: S3_KEY });
    assert.is(keys.code, 0, keys.stderr);
    assert.is(keys.stdout, "runtime started with ['body', 'arg 2']\n");

    const session = await run({ AWS_ACCESS_KEY_ID: S3_KEY, AWS_SECRET_ACCESS_KEY: S3_KEY, AWS_SESSION_TOKEN: 'tok' });
    assert.is(session.code, 0, session.stderr);

    const port = (creds.address() as { port: number }).port;
    const container = await run({ AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${port}/creds`, AWS_CONTAINER_AUTHORIZATION_TOKEN: 'container-token' });
    assert.is(container.code, 0, container.stderr);
    assert.equal(s3.refused, [], 'S3 accepted every signature so far');

    const wrong = await run({ AWS_ACCESS_KEY_ID: S3_KEY, AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    assert.is.not(wrong.code, 0);
    assert.match(wrong.stderr, `cannot fetch the task runtime s3://${s3.bucket}/${prefix}/objects/`);
    assert.is(s3.refused.length, 1);
    assert.match(s3.refused[0]!, /^SignatureDoesNotMatch GET /);
  } finally {
    creds.close();
    await s3.close();
  }
});

test.run();
