/**
 * Batch runs are first-class runs: built with the real CLI, run in aws-local-stepfunctions with jobs as local
 * processes (the task runtime inside) against s3rver, then read back, listed and resumed with the real CLI
 * from the same S3 datastore. One small flow covers a `file` parameter (uploaded at build time, given as an
 * s3:// URL, or wrongly as a local path), a step that fails, and resume both locally and on Batch.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../local/helpers.ts';
import { runPython } from '../../python/helpers.ts';
import { S3_CREDENTIALS_ENV } from '../../helpers/s3.ts';
import { BUCKET, readBuilt, readText, runBuilt, startS3 } from './local-batch.ts';

const FLOW = `flow Retried {
  image "python:3.12-slim"
  param table: file
  step start {
    in table: file
    out rows: int
    sh """
      rows=$(wc -l < "$table" | tr -d ' ')
    """
    next work
  }
  step work {
    in rows: int
    out doubled: int
    sh """
      if [ ! -e "$MARK_DIR/ok" ]; then echo "not yet" >&2; exit 3; fi
      doubled=$((rows * 2))
    """
    next end
  }
  step end {}
}
`;

test('a Batch run: file parameter uploaded at build, failure recorded, read back, resumed locally and on Batch', async () => {
  const aws = await startS3();
  const box = sandbox();
  const store = `s3://${BUCKET}/store`;
  const env = { ...S3_CREDENTIALS_ENV, AWS_ENDPOINT_URL: aws.endpoint };
  const mark = mkdtempSync(join(tmpdir(), 'flowc-mark-'));
  const jobEnv = { MARK_DIR: mark };
  const flowc = (args: string[], extra: Record<string, string> = {}) => box.flowcAsync(args, { env: { ...env, ...extra } });
  try {
    box.write('retried.flow', FLOW);
    box.write('table.csv', 'a,1\nb,2\nc,3\n');
    writeFileSync(join(box.dir, 'flowc.yaml'), 'batch:\n  jobQueue: q\n  jobRoleArn: arn:aws:iam::123456789012:role/job\n  region: us-east-1\n');
    const built = await flowc(['build', 'retried.flow', '--target', 'batch', '--out', 'out', '--datastore', store, '--param', 'table=table.csv']);
    assert.is(built.code, 0, built.stderr);
    const input = JSON.parse(readFileSync(join(box.dir, 'out', 'input.json'), 'utf8')) as { table: { sha: string }; flowc: { namespace: string } };
    assert.equal(input.flowc, { namespace: 'user:tester', tags: [] });
    assert.ok(await readText(aws, `store/objects/${input.table.sha.slice(0, 2)}/${input.table.sha}`), 'the local file was uploaded into the datastore');
    const doc = readBuilt(join(box.dir, 'out'));

    // 1. The work step fails: the run is recorded as failed, with the finished start task readable.
    const r1 = await runBuilt(aws, 'Retried', doc, input, { runId: 'r1', extraEnv: jobEnv });
    assert.is(r1.status, 'FAILED');
    const failedRec = await r1.record('work');
    assert.is(failedRec?.status, 'failed');
    assert.match(String(failedRec?.error), /exited with code 3/);
    assert.match((await readText(aws, 'store/runs/Retried/r1/failure.json')) ?? '', /"step":"work"/);
    let runs = await flowc(['runs', '--datastore', store]);
    assert.match(runs.stdout, /Retried\/r1\s+failed/, runs.stdout + runs.stderr);
    assert.is((await flowc(['get', 'Retried/r1/rows', '--datastore', store])).stdout, '3\n');
    assert.is((await flowc(['get', 'Retried/r1/table', '--datastore', store])).stdout, 'a,1\nb,2\nc,3\n');

    // 2. Resumed on this machine from the S3 datastore: start is taken over, work runs.
    writeFileSync(join(mark, 'ok'), '');
    const local = await flowc(['resume', 'Retried/r1', '--datastore', store], jobEnv);
    assert.is(local.code, 0, local.stderr);
    assert.is((await flowc(['get', 'Retried/latest/doubled', '--datastore', store])).stdout, '6\n');

    // 3. Resumed on Batch by reference: the printed input starts an execution that takes start over.
    const resumed = await flowc(['resume', 'Retried/r1', '--target', 'batch', '--datastore', store]);
    assert.is(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stderr, /aws stepfunctions start-execution/);
    const r3 = await runBuilt(aws, 'Retried', doc, JSON.parse(resumed.stdout) as Record<string, unknown>, { runId: 'r3', extraEnv: jobEnv });
    assert.is(r3.status, 'SUCCEEDED', r3.error);
    assert.is((await r3.record('start'))?.reusedFrom, 'r1/start/0');
    assert.not.ok((await r3.record('work'))?.reusedFrom);
    assert.is((await flowc(['get', 'Retried/r3/doubled', '--datastore', store])).stdout, '6\n');
    const show = await flowc(['runs', '--datastore', store, '--json']);
    const r3run = (JSON.parse(show.stdout) as { run: string; status: string; namespace: string }[]).find((r) => r.run === 'Retried/r3');
    assert.equal([r3run?.status, r3run?.namespace], ['done', 'user:tester'], show.stdout);

    // 4. A file parameter given as an s3:// URL is read by the task; a run without flowc options is a production run.
    await aws.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/t.csv', Body: 'x\ny\n' }));
    const r4 = await runBuilt(aws, 'Retried', doc, { table: `s3://${BUCKET}/data/t.csv` }, { runId: 'r4', extraEnv: jobEnv });
    assert.is(r4.status, 'SUCCEEDED', r4.error);
    assert.is(await r4.output('work', 'doubled'), 4);
    runs = await flowc(['runs', '--datastore', store, '-A']);
    assert.match(runs.stdout, /Retried\/r4\s+done.*production:Retried/, runs.stdout);

    // 5. A local path the task cannot read fails the run clearly: never exit 0 with an empty value.
    const r5 = await runBuilt(aws, 'Retried', doc, { table: 'table.csv' }, { runId: 'r5', extraEnv: jobEnv });
    assert.is(r5.status, 'FAILED');
    assert.match(r5.submissions[0].stderr, /parameter 'table' \(file\) is "table.csv": a task on a remote target reads an s3:\/\/ URL/);
    assert.equal(r5.submissions.map((s) => s.jobDefinition), ['Retried-start']);
    runs = await flowc(['runs', '--datastore', store, '-A']);
    assert.match(runs.stdout, /Retried\/r5\s+failed/, runs.stdout);

    // 6. Resumed on Batch from an unchanged step, with a tag: start is taken over, work runs again; the run records
    // where it resumed from and its tag. An unknown step is refused as a local resume refuses it.
    const unknown = await flowc(['resume', 'Retried/r3', '--target', 'batch', '--from', 'nope', '--datastore', store]);
    assert.equal([unknown.code, unknown.stdout, unknown.stderr], [1, '', "flowc resume: Flow 'Retried' has no step 'nope' (steps: start, work, end).\n"]);
    assert.is((await flowc(['resume', 'Retried/r3', '--from', 'nope', '--datastore', store])).stderr, unknown.stderr);
    const again = await flowc(['resume', 'Retried/r3', '--target', 'batch', '--from', 'work', '--tag', 'again', '--datastore', store]);
    assert.is(again.code, 0, again.stderr);
    const againInput = JSON.parse(again.stdout) as Record<string, unknown>;
    assert.equal(againInput, { flowc: { origin: 'r3', from: 'work', namespace: 'user:tester', tags: ['again'] } });
    const r6 = await runBuilt(aws, 'Retried', doc, againInput, { runId: 'r6', extraEnv: jobEnv });
    assert.is(r6.status, 'SUCCEEDED', r6.error);
    assert.is((await r6.record('start'))?.reusedFrom, 'r1/start/0');
    assert.not.ok((await r6.record('work'))?.reusedFrom, 'work ran again');
    assert.not.ok((await r6.record('end'))?.reusedFrom, 'and so did the step after it');
    const run6 = JSON.parse((await readText(aws, 'store/runs/Retried/r6/run.json')) ?? '{}') as { status: string; tags: string[]; resumedFrom: unknown };
    assert.equal([run6.status, run6.tags, run6.resumedFrom], ['done', ['again'], { run: 'r3', step: 'work' }]);

    // 7. The Python client reads the same runs from S3 as flowc does: statuses, namespaces, values.
    const py = await runPython(
      [
        '-c',
        `import json
from flowc import Flow, namespace
flow = Flow("Retried", datastore=${JSON.stringify(store)})
mine = [r.id for r in flow.runs()]
namespace(None)
runs = dict((r.id, r) for r in flow)
print(json.dumps({"mine": mine, "status": dict((k, [r.status, r.engine, r.namespace]) for k, r in runs.items()),
  "failed": runs["r1"].failed["step"], "rows": runs["r1"].data.rows, "table": runs["r1"].data.table.decode(),
  "doubled": [runs["r3"].data.doubled, runs["r3"]["work"].task.data.doubled, runs["r4"].data.doubled],
  "reused": runs["r3"]["start"].task.reused_from, "latestOk": flow.latest_successful_run.id}))`,
      ],
      { ...env, PYTHONPATH: 'clients/python', USER: 'tester' },
    );
    assert.is(py.code, 0, py.stderr);
    const seen = JSON.parse(py.stdout) as Record<string, unknown>;
    const listed = JSON.parse((await flowc(['runs', '--datastore', store, '-A', '--json'])).stdout) as { run: string; status: string; namespace: string }[];
    assert.equal(
      seen.status,
      Object.fromEntries(listed.map((r) => [r.run.split('/')[1], [r.status, /^Retried\/r\d$/.test(r.run) ? 'aws-batch' : 'local', r.namespace]])),
    );
    assert.ok((seen.mine as string[]).includes('r3') && !(seen.mine as string[]).includes('r4'), 'r4 is a production run');
    assert.equal([seen.failed, seen.rows, seen.table, seen.doubled, seen.reused], ['work', 3, 'a,1\nb,2\nc,3\n', [6, 6, 4], 'r1/start/0']);
    assert.is((await flowc(['get', 'Retried/r4/doubled', '--datastore', store])).stdout, '4\n');
    assert.equal(aws.refused, [], 'every S3 request was signed as S3 wants');
  } finally {
    await aws.close();
  }
});

test.run();
