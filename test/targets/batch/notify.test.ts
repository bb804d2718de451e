/**
 * Notifications on Batch (`batch.notify`, docs/targets.md "Notifications"): the state machine runs in
 * aws-local-stepfunctions (local-batch.ts), whose `sns:publish` handler records every message; jobs run as local
 * processes against s3rver. A failure at the top level, inside a foreach iteration and inside a child state machine
 * each notify exactly once; success notifies only when asked; SNS failing leaves the run's outcome alone.
 */
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowcConfig, NotifyEvent } from '../../../compiler/config-types.ts';
import type { StateMachineDefinition } from '../../../targets/batch/asl.ts';
import { splitFlowStateMachine } from '../../../targets/batch/index.ts';
import { parseS3Root } from '../../../targets/batch/store.ts';
import { buildOk, CONFIG, irOf } from './helpers.ts';
import { assertGolden } from '../../helpers/golden.ts';
import { awsSuite, readText, runBuilt, S3_ROOT, type BuiltFlow, type LocalAws, type RunResult } from './local-batch.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (def: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:flowc-runs';
const config = (on?: NotifyEvent[]): FlowcConfig => ({ ...CONFIG, datastore: S3_ROOT, batch: { ...CONFIG.batch, notify: { snsTopicArn: TOPIC, ...(on ? { on } : {}) } } });

/** start → a foreach over three elements (`work`, failing for `fail_at`) → join → end. */
const flow = (failAt: string) => `flow Notified {
  step start {
    out xs: [int]
    python "xs = [1, 2, 3]${failAt === 'start' ? '; raise SystemExit(4)' : ''}"
    next work foreach x in xs
  }
  step work {
    in x: int
    out y: int
    python "y = x * 2${failAt === 'work' ? '; assert x != 2' : ''}"
    next join
  }
  step join {
    in y: [int]
    out total: int
    python "total = sum(y)"
    next end
  }
  step end {}
}
`;

const e2e = awsSuite('batch notify e2e');

async function run(aws: LocalAws, opts: { failAt?: string; on?: NotifyEvent[]; runId: string; input?: Record<string, unknown>; budget?: number; snsDown?: boolean; putFails?: RegExp }): Promise<RunResult> {
  const ir = await irOf(flow(opts.failAt ?? ''), 'notified.flow');
  const doc = JSON.parse(buildOk(ir, { config: config(opts.on) }).stdout) as BuiltFlow;
  if (opts.budget !== undefined) {
    // Split small, as a large flow would be, then notify from the root only.
    const plain = JSON.parse(buildOk(ir, { config: { ...CONFIG, datastore: S3_ROOT } }).stdout) as BuiltFlow;
    const split = splitFlowStateMachine(ir, plain.stateMachine.definition, parseS3Root(S3_ROOT)!, ir.source.file, opts.budget, config(opts.on));
    assert.ok(split.children.length >= 2, `${split.children.length} children`);
    for (const d of [split.root, ...split.children.map((c) => c.definition)]) assert.ok(aslValidator(structuredClone(d)).isValid);
    doc.stateMachine.definition = split.root;
    doc.childStateMachines = split.children;
  }
  return runBuilt(aws, ir.name, doc, opts.input ?? {}, { runId: opts.runId, snsDown: opts.snsDown, putFails: opts.putFails });
}

e2e('a job failing at the top level: failure.json, then one message naming it; a run started by hand has its namespace', async ({ aws }) => {
  const r = await run(aws, { failAt: 'start', runId: 'notified-1', input: { flowc: { namespace: 'user:ana' } } });
  assert.is(r.status, 'FAILED');
  assert.match(r.error ?? '', /flowc\.TaskFailed/);
  assert.is(r.published.length, 1);
  assert.is(r.published[0].topic, TOPIC);
  const m = r.published[0].message;
  assert.equal(
    { flow: m.flow, run: m.run, status: m.status, step: m.step, task: m.task, namespace: m.namespace, engine: m.engine },
    { flow: 'Notified', run: 'notified-1', status: 'Failed', step: 'start', task: 't', namespace: 'user:ana', engine: 'aws-batch' },
  );
  assert.is(m.text, `flowc: run Notified/notified-1 failed at step start (task t): ${String(m.error)}`);
  assert.match(String(m.cause), /exit code 4/);
  assert.match((await readText(aws, 'store/runs/Notified/notified-1/failure.json')) ?? '', /"step":"start"/);
});

e2e('a failure record that cannot be written does not stop the notification; a failing call of the state machine notifies', async ({ aws }) => {
  const r = await run(aws, { failAt: 'start', runId: 'notified-7', putFails: /failure\.json$/ });
  assert.is(r.status, 'FAILED');
  assert.equal(r.published.map((p) => [p.message.status, p.message.step]), [['Failed', 'start']]);
  assert.is(await readText(aws, 'store/runs/Notified/notified-7/failure.json'), null);
  // The state machine's own call failing (storing the packed runtime): recorded and notified, no job ran.
  const own = await run(aws, { runId: 'notified-8', putFails: /\/objects\// });
  assert.is(own.status, 'FAILED');
  assert.equal(own.submissions, []);
  assert.equal(own.published.map((p) => [p.message.status, p.message.step, p.message.error]), [['Failed', '', 'S3.InternalError']]);
  assert.match((await readText(aws, 'store/runs/Notified/notified-8/failure.json')) ?? '', /S3\.InternalError/);
});

e2e('a task failing inside a foreach iteration notifies once, from the top level, naming the task', async ({ aws }) => {
  const r = await run(aws, { failAt: 'work', runId: 'notified-2' });
  assert.is(r.status, 'FAILED');
  assert.equal(r.published.map((p) => [p.message.status, p.message.step, p.message.task, p.message.namespace]), [['Failed', 'work', 't.1', 'production:Notified']]);
});

e2e('a failure inside a child state machine notifies exactly once', async ({ aws }) => {
  const r = await run(aws, { failAt: 'work', runId: 'notified-3', budget: 1500 });
  assert.is(r.status, 'FAILED');
  assert.ok(r.childRuns.length >= 1, r.childRuns.join(', '));
  assert.equal(r.published.map((p) => [p.message.status, p.message.step, p.message.task]), [['Failed', 'work', 't.1']]);
});

e2e('a succeeded run notifies only with success in on; SNS failing does not fail it', async ({ aws }) => {
  const quiet = await run(aws, { runId: 'notified-4' });
  assert.is(quiet.status, 'SUCCEEDED', quiet.error);
  assert.equal(quiet.published, []);
  const told = await run(aws, { runId: 'notified-5', on: ['success'] });
  assert.is(told.status, 'SUCCEEDED', told.error);
  assert.equal(told.published.map((p) => p.message), [
    { text: 'flowc: run Notified/notified-5 succeeded', flow: 'Notified', run: 'notified-5', status: 'Succeeded', step: null, task: null, error: null, cause: null, namespace: 'production:Notified', engine: 'aws-batch' },
  ]);
  const down = await run(aws, { runId: 'notified-6', on: ['failure', 'success'], snsDown: true });
  assert.is(down.status, 'SUCCEEDED', down.error);
  assert.equal(down.published, []);
});

e2e('every S3 request was signed as S3 wants', ({ aws }) => {
  assert.equal(aws.refused, []);
});

test('the notification states: valid ASL, the topic, and the role told to publish in the CloudFormation template', async () => {
  const ir = await irOf(flow(''), 'notified.flow');
  const res = buildOk(ir, { config: config(['failure', 'success']) });
  const def = (JSON.parse(res.stdout) as { stateMachine: { definition: StateMachineDefinition } }).stateMachine.definition;
  const v = aslValidator(structuredClone(def));
  assert.ok(v.isValid, v.errorsText());
  const publishes = Object.entries(def.States).filter(([, s]) => s.Type === 'Task' && s.Resource === 'arn:aws:states:::sns:publish');
  assert.equal(publishes.map(([name]) => name), ['flowc.notify-failure.publish', 'flowc.notify-success.publish']);
  // The golden: the states notifications add, and the transitions they change (a Catch, a Next instead of End).
  const shown = Object.entries(def.States).flatMap(([name, s]): [string, unknown][] => {
    if (/^flowc\.(notify-|read-failure|failure-unrecorded|save-failure|fail$)/.test(name)) return [[name, s]];
    const catchers = 'Catch' in s ? s.Catch?.filter((c) => c.Next === 'flowc.read-failure' || c.Next === 'flowc.failure-unrecorded') : [];
    const next = 'Next' in s && s.Next === 'flowc.notify-success' ? { Next: s.Next } : {};
    return catchers?.length || 'Next' in next ? [[name, { ...(catchers?.length ? { Catch: catchers } : {}), ...next }]] : [];
  });
  assertGolden('baselines/batch/notify-states.json', `${JSON.stringify(Object.fromEntries(shown), null, 2)}\n`);
  for (const [, s] of publishes) assert.is(s.Type === 'Task' && s.Parameters.TopicArn, TOPIC);
  // The execution input (up to 256 KiB) is never copied into the payload: only its flowc.namespace is read.
  assert.not.match(res.stdout, /"\$\$\.Execution\.Input"/);
  const cf = buildOk(ir, { config: { ...config(), batch: { ...config().batch, stateMachineRoleArn: undefined } }, format: 'cloudformation' });
  assert.match(cf.stdout, /sns:Publish on arn:aws:sns:eu-west-1:123456789012:flowc-runs/);
  // Without notify: no SNS state at all.
  assert.not.match(buildOk(ir).stdout, /sns:publish/);
});

test.run();
e2e.run();
