/**
 * The task runtime's cost (clients/python/flowc/_runtime.py) against a local S3 server (s3rver on loopback), and
 * what the engine stores per task, for a 1 KB and a 10 MB artifact: a three-step Batch flow (start writes a
 * `file` of N bytes, use reads it and writes its size, end) runs in aws-local-stepfunctions with jobs as local
 * processes (test/targets/batch/local-batch.ts).
 *
 * Per task: wall time of the job (loader + runtime + body) minus the same body run bare (`/bin/sh -c true`
 * and the body's own command), and the runtime's S3 requests (counted by a proxy in front of s3rver).
 * Per state: the largest state input/output (JSON bytes) of the execution. Nothing asserts on these numbers.
 * Run: `node --import tsx bench/runtime.ts` (also from `npm run bench`).
 */
import { spawnSync } from 'node:child_process';
import { createServer, request } from 'node:http';
import type { FlowIR } from '../compiler/ir.ts';
import { irOf } from '../test/targets/batch/helpers.ts';
import { runFlow, startS3, type LocalAws } from '../test/targets/batch/local-batch.ts';

const flowText = (bytes: number) => `flow Sized {
  image "python:3.12-slim"
  step start {
    out data: file
    python """
with open(data, "wb") as f:
    f.write(b"x" * ${bytes})
"""
    next use
  }
  step use {
    in data: file
    out size: int
    sh """
      size=$(wc -c < "$data" | tr -d ' ')
    """
    next end
  }
  step end {}
}
`;

/** A counting HTTP proxy in front of s3rver: the number of requests the jobs make. */
async function countingProxy(target: string): Promise<{ url: string; count: () => number; reset: () => void; close: () => void }> {
  const t = new URL(target);
  let n = 0;
  const server = createServer((req, res) => {
    n++;
    const up = request({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, count: () => n, reset: () => (n = 0), close: () => server.close() };
}

function bareMs(): number {
  const t = performance.now();
  for (let i = 0; i < 3; i++) spawnSync('/bin/sh', ['-c', 'true']);
  return (performance.now() - t) / 3;
}

async function measure(aws: LocalAws, proxyUrl: string, counter: { count: () => number; reset: () => void }, ir: FlowIR, run: string) {
  counter.reset();
  const t = performance.now();
  const r = await runFlow(aws, ir, {}, { runId: run, extraEnv: { AWS_ENDPOINT_URL_S3: proxyUrl } });
  const ms = performance.now() - t;
  if (r.status !== 'SUCCEEDED') throw new Error(`bench run failed: ${r.error}`);
  return { ms, tasks: r.submissions.length, requests: counter.count(), payload: r.maxPayloadBytes, size: await r.output('use', 'size') };
}

const aws = await startS3();
const proxy = await countingProxy(aws.endpoint);
try {
  console.log('size    tasks  wall/task ms  runtime overhead/task ms  S3 requests/task  max state payload B');
  const bare = bareMs();
  for (const [label, bytes] of [['1 KB', 1024], ['10 MB', 10 * 1024 * 1024]] as const) {
    const ir = await irOf(flowText(bytes), 'sized.flow');
    await measure(aws, proxy.url, proxy, ir, `warm-${bytes}`);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await measure(aws, proxy.url, proxy, ir, `run-${bytes}-${i}`));
    const best = runs.sort((a, b) => a.ms - b.ms)[0];
    if (best.size !== bytes) throw new Error(`size ${best.size} != ${bytes}`);
    const perTask = best.ms / best.tasks;
    console.log(
      `${label.padEnd(7)} ${String(best.tasks).padStart(5)}  ${perTask.toFixed(0).padStart(12)}  ${(perTask - bare).toFixed(0).padStart(24)}  ${(best.requests / best.tasks).toFixed(1).padStart(16)}  ${String(best.payload).padStart(19)}`,
    );
  }
  console.log(`(bare process start: ${bare.toFixed(1)} ms; wall/task includes the state machine interpreter and the python3 start of loader and body)`);
} finally {
  proxy.close();
  await aws.close();
}
