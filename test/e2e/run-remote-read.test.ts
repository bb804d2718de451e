/**
 * Reading runs that no process on this host watches, as runs made on Argo or Batch are: their run.json says
 * `running` forever (written once, when the run started), and readers settle the status from the task records or
 * the engine's final record. The runs are made by the real `flowc run` into S3 (s3rver on loopback), then their
 * run.json is put back to what a remote engine writes at the start. The same runs are read from S3 and from a
 * plain copy of the S3 prefix into a directory, and must read the same.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error s3rver ships no types.
import S3rver from 's3rver';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startServer } from '../../targets/local/server.ts';
import { Flow } from '../../targets/local/client.ts';
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
          raise SystemExit(5)
      sq = n * n
      info = {"n": n, "sq": sq}
    """
    next join
  }
  step join {
    in sq: [int]
    out total: int
    python "total = sum(sq)"
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

/** Puts run.json back to what an engine writes when a run starts on Argo: running, no runner on this host. */
async function asStartedRemotely(client: S3Client, runPath: string, namespace?: string): Promise<void> {
  const key = `${prefix}/runs/${runPath}/run.json`;
  const rec = JSON.parse(await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString());
  const remote = { ...rec, status: 'running', finishedAt: null, failed: null, engine: 'argo', host: 'remote-pod', pid: 1, ...(namespace ? { namespace } : {}) };
  await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(remote) }));
}

test('runs on a remote engine list, show and read the same from S3 and from a copy of the prefix', async () => {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: mkdtempSync(join(tmpdir(), 'flowc-s3rver-')), configureBuckets: [{ name: bucket }] });
  const addr = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const awsEnv = { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  const client = new S3Client({ endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  try {
    box.write('remote.flow', flow);
    const ok = await box.flowcAsync(['run', 'remote.flow', '--datastore', store, '-j', '1'], { env: awsEnv });
    assert.is(ok.code, 0, ok.stderr);
    const bad = await box.flowcAsync(['run', 'remote.flow', '--datastore', store, '-j', '1', '--param', 'bad=2'], { env: awsEnv });
    assert.is(bad.code, 1, bad.stderr);
    const listed = JSON.parse((await box.flowcAsync(['runs', 'Remote', '--datastore', store, '--json'], { env: awsEnv })).stdout) as { run: string; status: string }[];
    const [failedRun, doneRun] = listed.map((r) => r.run);
    assert.equal(listed.map((r) => r.status), ['failed', 'done']);

    // The successful run as a scheduled run on Argo (production namespace), the failed one as started by hand.
    await asStartedRemotely(client, doneRun, 'production:remote');
    await asStartedRemotely(client, failedRun);
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
      assert.match(show, /failed: work\/1: Step 'work' exited with code 5/);
      const showDone = await flowc(['show', doneRun]);
      assert.match(showDone, /^Run Remote\/\S+: done in \d/);
      assert.match(showDone, /work -> join: 3 done/);
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

    // An engine's final record wins over what the task records say.
    writeFileSync(join(dir, 'runs', failedRun, 'final.json'), JSON.stringify({ status: 'failed', finishedAt: '2026-01-01T00:00:00.000Z', failed: { step: 'work', task: '1', message: 'pod OOMKilled' } }));
    assert.match((await box.flowcAsync(['show', failedRun, '--datastore', dir])).stdout, /failed: work\/1: pod OOMKilled/);

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
  } finally {
    client.destroy();
    await server.close();
  }
});

test.run();
