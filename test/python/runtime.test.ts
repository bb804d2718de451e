/**
 * The task runtime (clients/python/flowc/_runtime.py) run directly, as an engine runs it: the loader with the
 * packed runtime inline (`FLOWC_RUNTIME_ZIP`, the Argo way), a directory datastore, one task at a time. Checks the
 * records, the routing values, output validation, and faults: a corrupt object and an unreachable datastore fail
 * naming the object's key / the bucket and key, and never leave a record.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowIR } from '../../compiler/ir.ts';
import { taskCommand } from '../../targets/protocol/index.ts';
import { buildTaskPlan, runInfo, runtimeCommand, RUNTIME_ZIP_BASE64 } from '../../targets/runtime/index.ts';
import { irOf } from '../targets/batch/helpers.ts';
import { runPython } from './helpers.ts';

const FLOW = `flow Direct {
  image "python:3.12-slim"
  step start {
    out xs: [int]
    out word: string
    python """
xs = [4, 5, 6]
word = "hello"
"""
    next count foreach x in xs
  }
  step count {
    in x: int
    in word: string
    out n: int
    python "n = x + len(word)"
    next tally
  }
  step tally {
    in n: [int]
    out total: int
    python "total = sum(n)"
    next end
  }
  step end {}
}
`;

async function task(ir: FlowIR, step: string, taskId: string, env: Record<string, string>) {
  const s = ir.steps.find((x) => x.name === step)!;
  const cmd = taskCommand(s);
  const [exe, ...args] = runtimeCommand(cmd.argv);
  const routes = mkdtempSync(join(tmpdir(), 'flowc-routes-'));
  const res = await runPython([...args], {
    ...cmd.env,
    FLOWC_PLAN: JSON.stringify(buildTaskPlan(ir, s)),
    FLOWC_RUNTIME_ZIP: RUNTIME_ZIP_BASE64,
    FLOWC_RUN_INFO: runInfo(ir, 'direct.flow').inline,
    FLOWC_RUN_ID: 'r1',
    FLOWC_TASK_ID: taskId,
    FLOWC_ROUTE_DIR: routes,
    FLOWC_NAMESPACE: 'user:ana',
    ...env,
  });
  assert.is(exe, 'python3');
  const route = (name: string) => (existsSync(join(routes, name)) ? readFileSync(join(routes, name), 'utf8') : null);
  return { ...res, route };
}

test('the runtime runs tasks by the plan, records them, reports routes, and fails naming what is wrong', async () => {
  const ir = await irOf(FLOW, 'direct.flow');
  const store = mkdtempSync(join(tmpdir(), 'flowc-rt-store-'));
  const env = { FLOWC_DATASTORE: store };
  const rec = (step: string, id: string) => {
    const p = join(store, 'runs', 'Direct', 'r1', 'tasks', step, `${id}.json`);
    return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as Record<string, any>) : null;
  };

  const start = await task(ir, 'start', '0', env);
  assert.is(start.code, 0, start.stderr);
  assert.is(start.route('foreach-count'), '3');
  const run = JSON.parse(readFileSync(join(store, 'runs', 'Direct', 'r1', 'run.json'), 'utf8'));
  assert.equal([run.status, run.namespace, run.sourceFile], ['running', 'user:ana', 'direct.flow']);
  assert.ok(existsSync(join(store, 'runs', 'Direct', 'r1', 'ir.json')));
  assert.equal(rec('start', '0')!.foreachCount, 3);

  for (const i of [0, 1, 2]) {
    const c = await task(ir, 'count', `t.${i}`, env);
    assert.is(c.code, 0, c.stderr);
  }
  assert.equal(rec('count', '1')!.outputs.n.value, 10);
  assert.equal(rec('count', '1')!.parents, ['start/0']);
  const tally = await task(ir, 'tally', '0', env);
  assert.is(tally.code, 0, tally.stderr);
  assert.is(rec('tally', '0')!.outputs.total.value, 30);
  assert.equal(rec('tally', '0')!.parents, ['count/0', 'count/1', 'count/2']);
  const end = await task(ir, 'end', '0', env);
  assert.is(end.code, 0, end.stderr);
  assert.is(JSON.parse(readFileSync(join(store, 'runs', 'Direct', 'r1', 'run.json'), 'utf8')).status, 'done');

  // A corrupt object fails the task naming its key, and writes no record.
  const second = mkdtempSync(join(tmpdir(), 'flowc-rt-store-'));
  const s2 = await task(ir, 'start', '0', { FLOWC_DATASTORE: second });
  assert.is(s2.code, 0, s2.stderr);
  const sha2 = JSON.parse(readFileSync(join(second, 'runs', 'Direct', 'r1', 'tasks', 'start', '0.json'), 'utf8')).outputs.xs.sha as string;
  writeFileSync(join(second, 'objects', sha2.slice(0, 2), sha2), '[1, 2]');
  const corrupt = await task(ir, 'count', '0', { FLOWC_DATASTORE: second });
  assert.is(corrupt.code, 1);
  assert.match(corrupt.stderr, new RegExp(`objects/${sha2.slice(0, 2)}/${sha2}.*corrupt`));
  assert.not.ok(existsSync(join(second, 'runs', 'Direct', 'r1', 'tasks', 'count', '0.json')));

  // After the run failed, a task that starts later (Argo starts one whose dependencies finished) does not run:
  // no body, no record, exit status 3, naming the failure.
  const third = mkdtempSync(join(tmpdir(), 'flowc-rt-store-'));
  assert.is((await task(ir, 'start', '0', { FLOWC_DATASTORE: third })).code, 0);
  const runJson = join(third, 'runs', 'Direct', 'r1', 'run.json');
  writeFileSync(runJson, JSON.stringify({ ...JSON.parse(readFileSync(runJson, 'utf8')), status: 'failed', failed: { step: 'count', task: '2', message: 'boom' } }));
  const late = await task(ir, 'count', 't.1', { FLOWC_DATASTORE: third, FLOWC_ENGINE: 'argo-workflows' });
  assert.is(late.code, 3);
  assert.match(late.stderr, "run Direct/r1 failed (step 'count' task 2) before step 'count' task 1 started: not running it");
  assert.not.ok(existsSync(join(third, 'runs', 'Direct', 'r1', 'tasks', 'count', '1.json')));
  // Only on Argo: on Step Functions the engine cancels the other branches itself, and the task runs as usual.
  const batchLate = await task(ir, 'count', 't.1', { FLOWC_DATASTORE: third, FLOWC_ENGINE: 'aws-batch' });
  assert.is(batchLate.code, 0, batchLate.stderr);
  assert.ok(existsSync(join(third, 'runs', 'Direct', 'r1', 'tasks', 'count', '1.json')));

  // An unreachable datastore names the bucket and key.
  const down = await task(ir, 'count', '0', { FLOWC_DATASTORE: 's3://some-bucket/pre', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_ACCESS_KEY_ID: 'k', AWS_SECRET_ACCESS_KEY: 's', FLOWC_S3_ATTEMPTS: '1' });
  assert.is(down.code, 1);
  assert.match(down.stderr, /s3:\/\/some-bucket\/pre\/runs\/Direct\/r1\/run\.json failed: cannot reach/);
});

test('an output of the wrong type fails the task with a record saying why', async () => {
  const ir = await irOf(
    `flow Typed {
  image "python:3.12-slim"
  step start {
    out n: int
    python "n = 'three'"
    next end
  }
  step end {}
}
`,
    'typed.flow',
  );
  const store = mkdtempSync(join(tmpdir(), 'flowc-rt-store-'));
  const res = await task(ir, 'start', '0', { FLOWC_DATASTORE: store });
  assert.is(res.code, 1);
  const rec = JSON.parse(readFileSync(join(store, 'runs', 'Typed', 'r1', 'tasks', 'start', '0.json'), 'utf8'));
  assert.is(rec.status, 'failed');
  assert.match(rec.error, /Output 'n' of step 'start' should be int but is string "three"/);
  const run = JSON.parse(readFileSync(join(store, 'runs', 'Typed', 'r1', 'run.json'), 'utf8'));
  assert.equal([run.status, run.failed.step], ['failed', 'start']);
});

test('a plan too large for a job definition is read from the run information object it names', async () => {
  const ir = await irOf(FLOW, 'direct.flow');
  const store = mkdtempSync(join(tmpdir(), 'flowc-rt-store-'));
  const text = JSON.stringify({ plans: { start: buildTaskPlan(ir, ir.steps[0]) } });
  const sha = createHash('sha256').update(text).digest('hex');
  mkdirSync(join(store, 'objects', sha.slice(0, 2)), { recursive: true });
  writeFileSync(join(store, 'objects', sha.slice(0, 2), sha), text);
  const res = await task(ir, 'start', '0', { FLOWC_DATASTORE: store, FLOWC_PLAN: `sha256:${sha}`, FLOWC_STEP: 'start' });
  assert.is(res.code, 0, res.stderr);
  assert.is(res.route('foreach-count'), '3');
  const missing = await task(ir, 'start', '0', { FLOWC_DATASTORE: store, FLOWC_PLAN: `sha256:${'0'.repeat(64)}`, FLOWC_STEP: 'start', FLOWC_RUN_ID: 'r2' });
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /objects\/00\/0{64} is missing/);
});

test.run();
