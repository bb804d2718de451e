/**
 * Notifications on Argo (`argo.notify`, docs/targets.md "Notifications"): the emitted Workflow runs in the test
 * executor, whose exit handler pod reads the webhook URL from a Kubernetes secret given to the executor
 * (`secretKeyRef`) and POSTs to an HTTP server on loopback started here; failure.json goes to s3rver. Lean: a
 * two-step flow, one run per case.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { FlowcConfig, NotifyEvent } from '../../../compiler/config-types.ts';
import { buildArgoManifests } from '../../../targets/argo/index.ts';
import { compileFlow } from './cases.ts';
import { executeWorkflow, type ExecResult, type NodeStatus } from './executor.ts';
import { s3Suite, type S3Context } from './s3-suite.ts';
import { pythonPath } from '../../python/helpers.ts';

const BUCKET = 'flowc-notify';
const STORE = `s3://${BUCKET}/runs`;
const e2e = s3Suite('argo notify', BUCKET);

const flow = (fails: boolean) => `flow Ping {
  image "python:3.12-slim"
  step start {
    python "${fails ? 'raise SystemExit(3)' : 'x = 1'}"
    next end
  }
  step end {}
}
`;

interface Hook {
  url: string;
  /** The bodies POSTed, parsed. */
  posts: Record<string, unknown>[];
  /** The HTTP status the server answers with. */
  status: number;
  server: Server;
}

async function startHook(): Promise<Hook> {
  const hook = { posts: [], status: 200 } as unknown as Hook;
  hook.server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString('utf8')));
    req.on('end', () => {
      assert.is(req.method, 'POST');
      assert.is(req.headers['content-type'], 'application/json');
      hook.posts.push(JSON.parse(body) as Record<string, unknown>);
      res.writeHead(hook.status).end();
    });
  });
  await new Promise<void>((resolve) => hook.server.listen(0, '127.0.0.1', resolve));
  hook.url = `http://127.0.0.1:${(hook.server.address() as AddressInfo).port}/services/T000/B000/secret-token`;
  return hook;
}

/** Builds the flow with `argo.notify` (webhook in secret `ops-hooks`, key `slack`) and runs it as run `name`. */
async function run(ctx: { aws: Record<string, string> }, opts: { fails: boolean; name: string; on?: NotifyEvent[]; hook?: Hook }): Promise<ExecResult> {
  const config: FlowcConfig = { datastore: STORE, argo: { notify: { webhook: { secret: 'ops-hooks', key: 'slack' }, ...(opts.on ? { on: opts.on } : {}) } } };
  const ir = compileFlow(flow(opts.fails), 'ping.flow')[0];
  const { manifests, diagnostics } = buildArgoManifests(ir, { config, sourceFile: 'ping.flow', kind: 'workflow', user: 'tester' });
  assert.equal(diagnostics, []);
  const text = JSON.stringify(manifests);
  if (opts.hook) assert.not.ok(text.includes(opts.hook.url), 'the webhook URL is not in the manifest');
  return executeWorkflow(JSON.parse(text)[0], {
    workdir: mkdtempSync(join(tmpdir(), 'flowc-argo-notify-')),
    name: opts.name,
    secrets: opts.hook ? { 'ops-hooks': { slack: opts.hook.url } } : {},
    env: { PATH: pythonPath(), HOME: tmpdir(), ...ctx.aws },
  });
}

/** An object of the datastore's bucket, as text. */
const read = async (ctx: S3Context, key: string): Promise<string> => (await (await ctx.s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString('utf8'));

/** The exit handler's pod node (the task of the `flowc-on-exit` DAG). */
const exitPod = (r: ExecResult): NodeStatus | undefined => Object.values(r.nodes).find((n) => n.displayName === 'flowc-exit');
const exitLog = (r: ExecResult): string => r.pods.find((p) => p.template === 'flowc-exit')?.stderr ?? '';

e2e('a failed run: failure.json first, then one POST with the summary; the URL never in a log', async (ctx) => {
  const hook = await startHook();
  try {
    const r = await run(ctx, { fails: true, name: 'ping-failed-1', hook });
    assert.is(r.phase, 'Failed');
    assert.is(exitPod(r)?.phase, 'Succeeded', exitLog(r));
    assert.is(hook.posts.length, 1);
    const post = hook.posts[0];
    assert.equal(
      { flow: post.flow, run: post.run, status: post.status, step: post.step, namespace: post.namespace, engine: post.engine },
      { flow: 'Ping', run: 'ping-failed-1', status: 'Failed', step: 'start', namespace: 'user:tester', engine: 'argo-workflows' },
    );
    // The failure the runtime recorded in run.json names the task by its flowc id and says why.
    assert.is(post.task, '0');
    assert.is(post.cause, "Step 'start' exited with code 3.");
    assert.is(post.text, "flowc: run Ping/ping-failed-1 failed at step start (task 0): Step 'start' exited with code 3.");
    assert.not.match(String(post.text), /\n/);
    const record = JSON.parse(await read(ctx, 'runs/runs/Ping/ping-failed-1/failure.json')) as Record<string, unknown>;
    assert.is(record.step, 'start');
    for (const p of r.pods) assert.not.ok(`${p.stdout}${p.stderr}`.includes('secret-token'), `${p.node} logged the webhook URL`);
  } finally {
    hook.server.close();
  }
});

e2e('a succeeded run posts nothing by default (the exit pod does not even run), and posts with on: [failure, success]', async (ctx) => {
  const hook = await startHook();
  try {
    const quiet = await run(ctx, { fails: false, name: 'ping-ok-1', hook });
    assert.is(quiet.phase, 'Succeeded');
    assert.is(exitPod(quiet)?.phase, 'Skipped');
    assert.is(hook.posts.length, 0);
    const told = await run(ctx, { fails: false, name: 'ping-ok-2', hook, on: ['failure', 'success'] });
    assert.is(told.phase, 'Succeeded', exitLog(told));
    assert.equal(hook.posts.map((p) => [p.status, p.run, p.text, p.step, p.cause]), [['Succeeded', 'ping-ok-2', 'flowc: run Ping/ping-ok-2 succeeded', null, null]]);
  } finally {
    hook.server.close();
  }
});

e2e('a webhook answering 500 is retried, fails the exit pod, and leaves failure.json; a 404 does not fail a succeeded run', async (ctx) => {
  const hook = await startHook();
  hook.status = 500;
  try {
    const r = await run(ctx, { fails: true, name: 'ping-failed-2', hook });
    assert.is(r.phase, 'Failed');
    assert.is(exitPod(r)?.phase, 'Failed');
    assert.is(hook.posts.length, 3);
    assert.match(exitLog(r), /the notification of run Ping\/ping-failed-2 was not sent: HTTP 500/);
    assert.match(await read(ctx, 'runs/runs/Ping/ping-failed-2/failure.json'), /"step": "start"/);

    hook.status = 404;
    const ok = await run(ctx, { fails: false, name: 'ping-ok-3', hook, on: ['success'] });
    assert.is(ok.phase, 'Succeeded', 'a notification that could not be sent leaves the run succeeded');
    assert.is(exitPod(ok)?.phase, 'Failed');
    assert.is(hook.posts.length, 4, 'a 4xx is not retried');
  } finally {
    hook.server.close();
  }
});

e2e('a missing webhook secret still records the failure and says which secret', async (ctx) => {
  const r = await run(ctx, { fails: true, name: 'ping-failed-3' });
  assert.is(r.phase, 'Failed');
  assert.is(exitPod(r)?.phase, 'Failed');
  assert.match(exitLog(r), /the webhook URL in secret ops-hooks\/slack is missing/);
  assert.match(await read(ctx, 'runs/runs/Ping/ping-failed-3/failure.json'), /"step": "start"/);
});

e2e.run();
