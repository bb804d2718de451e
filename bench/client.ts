/**
 * Reading runs from S3 (s3rver on loopback): `flowc runs` and the Python client's `latest_successful_run` and
 * one foreach artifact, for a flow with 10 and 100 runs. One run is made by the real `flowc run` (a foreach of 10
 * tasks); its records are copied under other run ids, half of them as runs on a remote engine (run.json still
 * `running`, pid 0: readers settle them from the task records). Prints wall time and, for Python, S3 requests.
 * Nothing asserts on these numbers. Run: `node --import tsx bench/client.ts` (also from `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { runPython, startS3 } from '../test/python/helpers.ts';
import { sandbox } from '../test/targets/local/helpers.ts';

const FLOW = `flow Many {
  image "python:3.12-slim"
  step start {
    out items: [int]
    python "items = list(range(10))"
    next work foreach n in items
  }
  step work {
    in n: int
    out sq: int
    python "sq = n * n"
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

const s3 = await startS3('bench');
const env = s3.env;
const client = s3.client;
const store = 's3://bench/runs';
const box = sandbox();
try {
  box.write('many.flow', FLOW);
  const made = await box.flowcAsync(['run', 'many.flow', '--datastore', store], { env });
  if (made.code !== 0) throw new Error(made.stderr);
  const origin = JSON.parse((await box.flowcAsync(['runs', 'Many', '--datastore', store, '--json'], { env })).stdout)[0].run.split('/')[1] as string;
  const keys = ((await client.send(new ListObjectsV2Command({ Bucket: 'bench', Prefix: `runs/runs/Many/${origin}/` }))).Contents ?? []).map((o) => o.Key!);
  const docs = await Promise.all(keys.map(async (k) => [k.slice(`runs/runs/Many/${origin}/`.length), await (await client.send(new GetObjectCommand({ Bucket: 'bench', Key: k }))).Body!.transformToString()] as const));
  let count = 1;
  const lines = ['runs  reader                                          ms    S3 requests'];
  for (const total of [10, 100]) {
    for (; count < total; count++) {
      const id = `bench-${String(count).padStart(4, '0')}`;
      await Promise.all(
        docs.map(([rel, text]) => {
          let body = text;
          if (rel === 'run.json') {
            const rec = JSON.parse(text);
            body = JSON.stringify({ ...rec, id, startedAt: new Date(Date.parse(rec.startedAt) - count * 1000).toISOString(), ...(count % 2 ? { status: 'running', finishedAt: null, host: 'aws-batch', pid: 0 } : {}) });
          }
          return client.send(new PutObjectCommand({ Bucket: 'bench', Key: `runs/runs/Many/${id}/${rel}`, Body: body }));
        }),
      );
    }
    const t0 = performance.now();
    const listed = await box.flowcAsync(['runs', 'Many', '--datastore', store, '-A', '--json'], { env });
    const runsMs = performance.now() - t0;
    if (listed.code !== 0 || JSON.parse(listed.stdout).length !== total) throw new Error(listed.stderr || listed.stdout);
    lines.push(`${String(total).padStart(4)}  flowc runs -A (a process)                 ${runsMs.toFixed(0).padStart(8)}`);
    const py = await runPython(
      [
        '-c',
        `import json, time
t0 = time.time()
from flowc import Flow, namespace
namespace(None)
flow = Flow("Many", datastore=${JSON.stringify(store)})
run = flow.latest_successful_run
sq = run.data.sq
s3 = flow._stores[0].s3
print(json.dumps({"ms": (time.time() - t0) * 1000, "requests": s3.requests, "ok": sq == [n * n for n in range(10)]}))`,
      ],
      { ...env, PYTHONPATH: 'clients/python' },
    );
    if (py.code !== 0) throw new Error(py.stderr);
    const r = JSON.parse(py.stdout) as { ms: number; requests: number; ok: boolean };
    if (!r.ok) throw new Error('wrong value');
    lines.push(`${String(total).padStart(4)}  Python latest_successful_run.data.sq (in)  ${r.ms.toFixed(0).padStart(8)}  ${String(r.requests).padStart(12)}`);
  }
  const version = spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\nReading runs from S3 (s3rver on loopback; half the runs remote and settled from their task records; ${version})`);
  console.log(lines.join('\n'));
} finally {
  await s3.close();
}
