/**
 * The S3 datastore and `s3://` inputs against a real S3-protocol server (s3rver) on loopback, never a mock.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error s3rver ships no types.
import S3rver from 's3rver';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../targets/local/helpers.ts';

const box = sandbox();

test('a run with its datastore in S3, an s3:// file parameter downloaded for the task, results read back', async () => {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'flowc-s3rver-')), configureBuckets: [{ name: 'runs' }, { name: 'data' }] });
  const addr = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const awsEnv = { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  try {
    const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
    await client.send(new PutObjectCommand({ Bucket: 'data', Key: 'movies/table.csv', Body: 'a,1\nb,2\nc,3\n' }));
    box.write(
      's3.flow',
      `flow Tabled {
  param table: file
  step start {
    in table: file
    out rows: int
    out copy: file
    sh """
      rows=$(wc -l < "$table")
      cp "$table" "$copy"
    """
    next end
  }
  step end {}
}
`,
    );
    const store = 's3://runs/team/flowc';
    const res = await box.flowcAsync(['run', 's3.flow', '--datastore', store, '--param', 'table=s3://data/movies/table.csv'], { env: awsEnv });
    assert.is(res.code, 0, res.stderr);
    assert.is((await box.flowcAsync(['get', 'Tabled/latest/rows', '--datastore', store], { env: awsEnv })).stdout, '3\n');
    assert.is((await box.flowcAsync(['get', 'Tabled/latest/copy', '--datastore', store], { env: awsEnv })).stdout, 'a,1\nb,2\nc,3\n');
    const runs = await box.flowcAsync(['runs', '--datastore', store], { env: awsEnv });
    assert.match(runs.stdout, /Tabled\/\S+\s+done/, runs.stdout + runs.stderr);
    // Nothing landed on disk beside the flow.
    assert.not.ok(existsSync(join(box.dir, '.flowc')));
  } finally {
    await server.close();
  }
});

test.run();
