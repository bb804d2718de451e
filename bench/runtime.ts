/**
 * The task runtime's cost (clients/python/flowc/_runtime.py) against a local S3 server (s3rver on loopback), and
 * what the engine stores per task, for a 1 KB and a 10 MB artifact: a three-step Batch flow (start writes a
 * `file` of N bytes, use reads it and writes its size, end) runs in aws-local-stepfunctions with jobs as local
 * processes (test/targets/batch/local-batch.ts).
 *
 * Per task: the runtime's own time (everything but the body, reported by the runtime with FLOWC_RUNTIME_STATS),
 * the start of the loader's python3 process (measured apart), and the job's S3 requests (counted by a proxy in
 * front of s3rver, so the loader's fetch of the runtime counts too).
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

/** The start of a python3 process that imports what the loader imports (the loader is one more process per task). */
function pythonStartMs(): number {
  const t = performance.now();
  for (let i = 0; i < 5; i++) spawnSync(python, ['-c', 'import base64, datetime, hashlib, hmac, json, urllib.request, subprocess, threading, zlib']);
  return (performance.now() - t) / 5;
}
const python = (() => {
  const res = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim() : 'python3';
})();

async function measure(aws: LocalAws, proxyUrl: string, counter: { count: () => number; reset: () => void }, ir: FlowIR, run: string) {
  counter.reset();
  const t = performance.now();
  const r = await runFlow(aws, ir, {}, { runId: run, extraEnv: { AWS_ENDPOINT_URL_S3: proxyUrl, FLOWC_RUNTIME_STATS: '1' } });
  const ms = performance.now() - t;
  if (r.status !== 'SUCCEEDED') throw new Error(`bench run failed: ${r.error}`);
  const stats = r.submissions.map((s) => JSON.parse(/flowc-stats: (.*)/.exec(s.stderr)?.[1] ?? '{"ms":0}') as { ms: number });
  const runtimeMs = stats.reduce((a, s) => a + s.ms, 0);
  return { ms, runtimeMs, tasks: r.submissions.length, requests: counter.count(), payload: r.maxPayloadBytes, size: await r.output('use', 'size') };
}

const aws = await startS3();
const proxy = await countingProxy(aws.endpoint);
try {
  console.log('size    tasks  wall/task ms  runtime/task ms  + loader python3 start ms  S3 requests/task  max state payload B');
  const start = pythonStartMs();
  for (const [label, bytes] of [['1 KB', 1024], ['10 MB', 10 * 1024 * 1024]] as const) {
    const ir = await irOf(flowText(bytes), 'sized.flow');
    await measure(aws, proxy.url, proxy, ir, `warm-${bytes}`);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await measure(aws, proxy.url, proxy, ir, `run-${bytes}-${i}`));
    const best = runs.sort((a, b) => a.runtimeMs - b.runtimeMs)[0];
    if (best.size !== bytes) throw new Error(`size ${best.size} != ${bytes}`);
    const perTask = best.ms / best.tasks;
    console.log(
      `${label.padEnd(7)} ${String(best.tasks).padStart(5)}  ${perTask.toFixed(0).padStart(12)}  ${(best.runtimeMs / best.tasks).toFixed(0).padStart(15)}  ${start.toFixed(0).padStart(25)}  ${(best.requests / best.tasks).toFixed(1).padStart(16)}  ${String(best.payload).padStart(19)}`,
    );
  }
  console.log('(wall/task: the whole execution per job, including the body and the state machine interpreter; runtime/task: all but the body; the 10 MB case moves the file up once and down once)');
} finally {
  proxy.close();
  await aws.close();
}
