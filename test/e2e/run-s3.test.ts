/**
 * The S3 datastore and `s3://` inputs against a real S3-protocol server (s3rver) on loopback, never a mock.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../targets/local/helpers.ts';
import { startS3 } from '../helpers/s3.ts';

const box = sandbox();

test('a run with its datastore in S3, an s3:// file parameter downloaded for the task, results read back', async () => {
  const server = await startS3(['runs', 'data']);
  const awsEnv = server.env;
  try {
    const client = server.client;
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
    assert.equal(server.refused, [], 'every request was signed as S3 wants');
  } finally {
    await server.close();
  }
});

test.run();
