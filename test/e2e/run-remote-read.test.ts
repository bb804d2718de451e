/**
 * Reading runs that no process on this host watches, as runs made on Argo or Batch are: their run.json says
 * `running` forever (written once, when the run started), and readers settle the status from the task records or
 * the engine's failure record. The runs are made by the real `flowc run` into S3 (s3rver on loopback), then their
 * run.json is put back to what a remote engine writes at the start. The same runs are read from S3 and from a
 * plain copy of the S3 prefix into a directory, and must read the same.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer } from '../../targets/local/server.ts';
import { startS3 } from '../helpers/s3.ts';
import { Flow } from '../../targets/local/client.ts';
import { runPython } from '../python/helpers.ts';
import { sandbox } from '../targets/local/helpers.ts';

const box = sandbox();
const flow = `
flow Remote {
  image "python:3.12-slim"
  param bad: int = -1
  step start {
    out items: [int]
    out label: string
    python """
      items = [1, 2, 3]
      label = "three squares"
    """
    next work foreach n in items
  }
  step work {
    in n: int
    in bad: int
    out sq: int
    out info: {int}
    python """
      if n == bad:
          raise SystemExit("bad element %d" % n)
      sq = n * n
      info = {"n": n, "sq": sq}
    """
    next join
  }
  step join {
    in sq: [int]
    out total: int
    out report: file
    python """
      total = sum(sq)
      with open(report, "w") as f:
          f.write("total %d\\\\n" % total)
    """
    next end
  }
  step end {}
}
`;

const bucket = 'runs';
const prefix = 'team/flowc';
const store = `s3://${bucket}/${prefix}`;

async function copyPrefix(client: S3Client, dir: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token }));
    for (const obj of page.Contents ?? []) {
      const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: obj.Key! }))).Body!.transformToByteArray();
      const path = join(dir, ...obj.Key!.slice(prefix.length + 1).split('/'));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, body);
    }
    token = page.NextContinuationToken;
  } while (token);
}

/** Puts run.json back to what the task runtime writes when a run starts on an engine: running, host = engine, pid 0. */
async function asStartedRemotely(client: S3Client, runPath: string, engine: string, namespace?: string): Promise<void> {
  const key = `${prefix}/runs/${runPath}/run.json`;
  const rec = JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString());
  const remote = { ...rec, status: 'running', finishedAt: null, failed: null, host: engine, pid: 0, ...(namespace ? { namespace } : {}) };
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(remote) }));
}

test('runs on a remote engine list, show and read the same from S3 and from a copy of the prefix', async () => {
  const server = await startS3([bucket]);
  const awsEnv = server.env;
  const client = server.client;
  try {
    box.write('remote.flow', flow);
    const ok = await box.flowcAsync(['run', 'remote.flow', '--datastore', store, '-j', '1'], { env: awsEnv });
    assert.is(ok.code, 0, ok.stderr);
    const bad = await box.flowcAsync(['run', 'remote.flow', '--datastore', store, '-j', '1', '--param', 'bad=2'], { env: awsEnv });
    assert.is(bad.code, 1, bad.stderr);
    const listed = JSON.parse((await box.flowcAsync(['runs', 'Remote', '--datastore', store, '--json'], { env: awsEnv })).stdout) as { run: string; status: string }[];
    const [failedRun, doneRun] = listed.map((r) => r.run);
    assert.equal(listed.map((r) => r.status), ['failed', 'done']);

    // The successful run as a scheduled run on Argo (production namespace), the failed one as started by hand on Batch.
    await asStartedRemotely(client, doneRun, 'argo-workflows', 'production:remote');
    await asStartedRemotely(client, failedRun, 'aws-batch');
    const dir = join(box.dir, 'copy');
    await copyPrefix(client, dir);

    const outputs: Record<string, string[]> = {};
    for (const [where, loc] of [['s3', store], ['dir', dir]] as const) {
      const flowc = async (args: string[]) => {
        const res = await box.flowcAsync([...args, '--datastore', loc], { env: awsEnv });
        assert.is(res.code, 0, `${args.join(' ')} (${where}): ${res.stderr}`);
        return res.stdout;
      };
      const mine = JSON.parse(await flowc(['runs', '--json'])) as { run: string; status: string; namespace: string }[];
      assert.equal(mine.map((r) => [r.run, r.status]), [[failedRun, 'failed']], `${where}: only user:tester runs by default`);
      const all = JSON.parse(await flowc(['runs', '-A', '--json'])) as { run: string; status: string; namespace: string }[];
      assert.equal(all.map((r) => [r.run, r.status, r.namespace]), [[failedRun, 'failed', 'user:tester'], [doneRun, 'done', 'production:remote']]);
      const prod = JSON.parse(await flowc(['runs', '--namespace', 'production:remote', '--json'])) as { run: string }[];
      assert.equal(prod.map((r) => r.run), [doneRun]);

      const show = await flowc(['show', failedRun]);
      assert.match(show, /^Run Remote\/\S+: failed/);
      assert.match(show, /failed: work\/1: Step 'work' exited with code 1/);
      const showDone = await flowc(['show', doneRun]);
      assert.match(showDone, /^Run Remote\/\S+: done in \d/);
      assert.match(showDone, /work -> join: 3 done/);
      const get = async (path: string, ...more: string[]) => JSON.parse(await flowc(['get', path, '--json', ...more])) as unknown;
      const expected = {
        total: await get(`${doneRun}/total`),
        info: await get(`${doneRun}/info`),
        label: await get('Remote/latest/label', '--namespace', 'production:remote'),
        report: await flowc(['get', `${doneRun}/report`]),
        bad: await get(`${doneRun}/bad`),
        'work/sq': await get(`${doneRun}/work/sq`),
        'work/2/info': await get(`${doneRun}/work/2/info`),
        'work/2/n': await get(`${doneRun}/work/2/n`),
        'failed/work/0/sq': await get(`${failedRun}/work/0/sq`),
      };
      assert.equal(expected.report, 'total 14\n');
      assert.equal(expected['work/sq'], [1, 4, 9]);
      const py = await runPython(['test/python/read_runs.py', loc, failedRun.split('/')[1], doneRun.split('/')[1]], { ...awsEnv, PYTHONPATH: 'clients/python', USER: 'tester' });
      assert.is(py.code, 0, py.stderr);
      const seen = JSON.parse(py.stdout);
      assert.equal(seen.values, expected, `${where}: the Python client reads what flowc get prints`);
      const [fid, did] = [failedRun.split('/')[1], doneRun.split('/')[1]];
      assert.equal(seen.mine, [[fid, 'failed', false, 'user:tester']]);
      assert.equal(seen.all, [[fid, 'failed', false, 'user:tester'], [did, 'done', true, 'production:remote']]);
      assert.is(seen.latest, fid);
      assert.is(seen.latestSuccessful, null);
      assert.is(seen.latestSuccessfulAll, did);
      assert.equal(seen.prod, [did, [], { bad: -1 }]);
      assert.equal(seen.failed, ['failed', false, { step: 'work', task: '1', message: "Step 'work' exited with code 1." }]);
      assert.equal(seen.steps, [['start', ['0']], ['work', ['0', '1', '2']], ['join', ['0']], ['end', ['0']]]);
      assert.equal(seen.failedSteps, [['start', [['0', 'done']]], ['work', [['0', 'done'], ['1', 'failed']]]]);
      assert.match(seen.log, /bad element 2/);
      assert.equal(seen.hasattr, [true, false, true]);
      assert.equal(seen.engines, ['argo-workflows', 'aws-batch']);
      assert.match(seen.errors[0], /has no artifact 'totl' \(it has: .*\)\. Did you mean 'total'\?/);
      assert.match(seen.errors[1], /has no step 'wrok' \(steps: start, work, join, end\)\. Did you mean 'work'\?/);
      assert.match(seen.errors[2], /has no task '7' \(tasks: 0, 1, 2\)/);
      assert.match(seen.errors[3], /Flow 'Remote' has no run '20990101T000000-0000' \(runs: /);
      assert.match(seen.errors[4], /No flow 'Remot' in .* \(flows: Remote\)\. Did you mean 'Remote'\?/);
      outputs[where] = [
        await flowc(['runs', '-A']),
        show,
        showDone,
        await flowc(['show', `${doneRun}/work/2`]),
        await flowc(['get', `${doneRun}/total`]),
        await flowc(['get', `${doneRun}/info`]),
        await flowc(['get', 'Remote/latest/label', '--namespace', 'production:remote']),
        await flowc(['get', `${failedRun}/work/0/sq`]),
      ];
      assert.is(outputs[where][4], '14\n');
      assert.equal(JSON.parse(outputs[where][5]), [{ n: 1, sq: 1 }, { n: 2, sq: 4 }, { n: 3, sq: 9 }]);
      assert.is(outputs[where][6], 'three squares\n');
    }
    assert.equal(outputs.dir, outputs.s3, 'a copy of the prefix reads exactly like the prefix');

    // A task that died unrecorded (killed, out of memory): the run reads as running until the engine's failure
    // path writes failure.json; flowc and the Python client then agree on the failure.
    rmSync(join(dir, 'runs', failedRun, 'tasks', 'work', '1.json'));
    const status = async () => {
      const ts = (await box.flowcAsync(['show', failedRun, '--datastore', dir])).stdout.split('\n').filter((l) => /^Run |failed:/.test(l));
      const py = await runPython(['-c', `from flowc import Run; r = Run(${JSON.stringify(failedRun)}, datastore=${JSON.stringify(dir)}); print(r.status, r.failed)`], { PYTHONPATH: 'clients/python' });
      return [ts, py.stdout.trim() || py.stderr];
    };
    assert.equal((await status())[1], 'running None');
    assert.match((await status())[0][0], /: running$/);
    const cause = `{"Status":"FAILED","StatusReason":"OutOfMemoryError: Container killed due to memory usage"${' '.repeat(400)}}`;
    writeFileSync(join(dir, 'runs', failedRun, 'failure.json'), JSON.stringify({ step: 'work', task: '1', error: 'States.TaskFailed', cause }));
    const [ts, py] = await status();
    assert.match(ts[0], /: failed$/);
    assert.is(ts[1], `  failed: work/1: States.TaskFailed: ${cause.slice(0, 300)}...`);
    assert.is(py, `failed {'step': 'work', 'task': '1', 'message': 'States.TaskFailed: ${cause.slice(0, 300)}...'}`);

    // The client and the server settle statuses the same way.
    const handle = Flow('Remote', { datastore: dir, namespace: null });
    assert.equal((await handle.runs()).map((r) => [r.id, r.status, r.successful]), [
      [failedRun.split('/')[1], 'failed', false],
      [doneRun.split('/')[1], 'done', true],
    ]);
    assert.is((await handle.latestSuccessfulRun())?.id, doneRun.split('/')[1]);
    assert.is(await (await Flow('Remote', { datastore: dir, namespace: 'production:remote' }).latestRun())!.artifact('total'), 14);
    const served = await startServer({ locations: [dir], namespace: 'user:tester', port: 0 });
    try {
      const body = (await (await fetch(`${served.url}/flows/Remote/runs?all=1`)).json()) as { runs: { status: string }[] };
      assert.equal(body.runs.map((r) => r.status), ['failed', 'done']);
    } finally {
      served.server.close();
    }
    assert.equal(server.refused, [], 'every request was signed as S3 wants');
  } finally {
    await server.close();
  }
});

test.run();
