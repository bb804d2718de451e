/**
 * The Python datastore and S3 signing (clients/python/flowc/_store.py, _s3.py): runs test/python/test_store.py
 * with python3 against a directory, a real S3-protocol server on loopback (s3rver, signatures checked) and a
 * loopback server playing STS (AssumeRoleWithWebIdentity) and the ECS container credentials endpoint.
 */
import { createServer, type Server } from 'node:http';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runPython, startS3 } from './helpers.ts';

/** STS and the container credentials endpoint, both handing out s3rver's keys to callers with the right token. */
async function startAuth(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (req.url === '/sts/' && req.method === 'POST') {
        const form = new URLSearchParams(body);
        if (form.get('Action') !== 'AssumeRoleWithWebIdentity' || form.get('WebIdentityToken') !== 'good-token' || !form.get('RoleArn')) {
          res.writeHead(400, { 'content-type': 'text/xml' });
          res.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>bad token</Message></Error></ErrorResponse>');
          return;
        }
        res.writeHead(200, { 'content-type': 'text/xml' });
        res.end(
          '<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult><Credentials>' +
            '<AccessKeyId>S3RVER</AccessKeyId><SecretAccessKey>S3RVER</SecretAccessKey><SessionToken>tok</SessionToken>' +
            '<Expiration>2099-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>',
        );
        return;
      }
      if (req.url === '/creds' && req.headers.authorization === 'secret-auth') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ AccessKeyId: 'S3RVER', SecretAccessKey: 'S3RVER', Token: 'tok', Expiration: '2099-01-01T00:00:00Z' }));
        return;
      }
      res.writeHead(403);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}`, server };
}

test('Python datastore: directory and S3 contract, credential chain, endpoint variables, errors naming bucket/key/code', async () => {
  const s3 = await startS3();
  const auth = await startAuth();
  try {
    const res = await runPython(['test/python/test_store.py'], { FLOWC_TEST_ENDPOINT: s3.endpoint, FLOWC_TEST_BUCKET: s3.bucket, FLOWC_TEST_AUTH: auth.url });
    assert.is(res.code, 0, res.stderr);
    assert.match(res.stderr, /Ran \d+ tests/);
    assert.not.match(res.stderr, /skipped/);
  } finally {
    await s3.close();
    auth.server.close();
  }
});

test.run();
