/**
 * End to end without AWS: the emitted state machine runs in aws-local-stepfunctions, each job runs its job
 * definition's command (the bootstrap around the step body) as a local process, and artifacts live in a real
 * S3-protocol server on loopback (see local-batch.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { testRoot } from '../../helpers/golden.ts';
import { irOf, sampleIR } from './helpers.ts';
import { awsSuite, readText, runFlow } from './local-batch.ts';

const e2e = awsSuite('batch e2e');

e2e('the branch sample ends with out = 3', async ({ aws }) => {
  const r = await runFlow(aws, await sampleIR('branches'), {}, { runId: 'branches-1' });
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.is(await r.output('join', 'out'), 3);
  assert.equal(r.submissions.map((s) => s.jobDefinition).sort(), ['MyFlow-a', 'MyFlow-b', 'MyFlow-end', 'MyFlow-join', 'MyFlow-start']);
});

e2e('a foreach gathers its results in list order, and the switch skips publish', async ({ aws }) => {
  const r = await runFlow(aws, await sampleIR('genres'), { limit: 1000 }, { runId: 'genres-1' });
  assert.is(r.status, 'SUCCEEDED', r.error);
  const stats = [];
  for (let i = 0; i < 3; i++) stats.push(await r.output('count', 'stats', `t.${i}`));
  assert.equal(stats, [
    { genre: 'drama', count: 50 },
    { genre: 'comedy', count: 60 },
    { genre: 'horror', count: 60 },
  ]);
  // max() keeps the first of equal counts: 'comedy' only if the gather kept list order.
  assert.is(await r.output('tally', 'best'), 'comedy');
  assert.not.ok(r.submissions.some((s) => s.jobDefinition === 'Genres-publish'));
});

e2e('a parameter from the execution input reaches the foreach tasks', async ({ aws }) => {
  const r = await runFlow(aws, await sampleIR('genres'), { limit: 55 }, { runId: 'genres-2' });
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.equal(await r.output('count', 'stats', 't.2'), { genre: 'horror', count: 55 });
  assert.is(await r.output('tally', 'best'), 'comedy');
});

e2e('a switch runs exactly one branch', async ({ aws }) => {
  const staging = await runFlow(aws, await sampleIR('switch'), {}, { runId: 'switch-1' });
  assert.is(staging.status, 'SUCCEEDED', staging.error);
  assert.equal(staging.submissions.map((s) => s.jobDefinition), ['Deploy-start', 'Deploy-quick', 'Deploy-end']);
  assert.is(await staging.output('quick', 'report'), 'straight to staging');
  const prod = await runFlow(aws, await sampleIR('switch'), { environment: 'production' }, { runId: 'switch-2' });
  assert.is(prod.status, 'SUCCEEDED', prod.error);
  assert.equal(prod.submissions.map((s) => s.jobDefinition), ['Deploy-start', 'Deploy-careful', 'Deploy-end']);
  assert.is(await prod.output('careful', 'report'), 'canary first');
  assert.is(await prod.output('quick', 'report'), null);
});

e2e('the train sample: a record type validated, a file passed on, a production run of its project', async ({ aws }) => {
  const r = await runFlow(aws, await sampleIR('train'), {}, { runId: 'train-1' });
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.equal(await r.output('train', 'metrics'), { accuracy: 0.91, loss: 0.23 });
  assert.is(await r.output('evaluate', 'passed'), true);
  const run = JSON.parse((await readText(aws, 'store/runs/TrainModel/train-1/run.json'))!) as { status: string; namespace: string; params: Record<string, { value?: unknown }> };
  assert.equal([run.status, run.namespace, run.params.epochs.value], ['done', 'production:recommendations', 10]);
});

e2e('a @retry step that fails once succeeds on its second attempt', async ({ aws }) => {
  const ir = await irOf(
    `flow Flaky {
  image "python:3.12-slim"
  step start {
    out n: int
    python "n = 41"
    next work
  }
  @retry(times: 2)
  step work {
    in n: int
    out m: int
    sh """
      if [ ! -e "$FLAKY_DIR/failed-once" ]; then touch "$FLAKY_DIR/failed-once"; exit 3; fi
      m=$((n + 1))
    """
    next end
  }
  step end {}
}
`,
    'flaky.flow',
  );
  const dir = mkdtempSync(join(tmpdir(), 'flowc-flaky-'));
  const r = await runFlow(aws, ir, {}, { runId: 'flaky-1', extraEnv: { FLAKY_DIR: dir } });
  assert.is(r.status, 'SUCCEEDED', r.error);
  // @retry runs inside the job: one submission, two attempts in its record.
  assert.equal(
    r.submissions.filter((s) => s.jobDefinition === 'Flaky-work').map((s) => s.exitCode),
    [0],
  );
  assert.is((await r.record('work'))?.attempts, 2);
  assert.is(await r.output('work', 'm'), 42);
});

e2e('a hostile parameter value stays a value', async ({ aws }) => {
  const hostile = `'; rm -rf / # $(touch pwned) {{x}}`;
  const r = await runFlow(aws, await sampleIR('switch'), { environment: hostile }, { runId: 'switch-hostile' });
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.is(await r.output('start', 'target'), hostile);
  assert.equal(r.submissions.map((s) => s.jobDefinition), ['Deploy-start', 'Deploy-skip', 'Deploy-end']);
});

e2e('a bounded loop goes back through the Choice with a counter, and past @loop(max) fails the execution', async ({ aws }) => {
  const text = readFileSync(join(testRoot, 'cases', 'metaflow', 'recursive-switch.flow'), 'utf8');
  const r = await runFlow(aws, await irOf(text, 'recursive-switch.flow'), {}, { runId: 'loop-1' });
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.equal(r.submissions.map((s) => `${s.jobDefinition} ${s.path}`), ['RecursiveSwitch-start t', 'RecursiveSwitch-loop_step tr0', 'RecursiveSwitch-loop_step tr1', 'RecursiveSwitch-loop_step tr2', 'RecursiveSwitch-exit_loop t', 'RecursiveSwitch-end t']);
  // Each iteration keeps its own task record (the local runner's ids: 0, 0r1, 0r2); after the loop, the latest value.
  assert.equal([await r.output('loop_step', 'count'), await r.output('loop_step', 'count', 'tr1'), await r.output('loop_step', 'count', 'tr2')], [1, 2, 3]);
  assert.equal((await r.record('loop_step', 'tr2'))?.parents, ['loop_step/0r1']);
  const exit = (await r.record('exit_loop')) as { parents: string[]; inputs: Record<string, { value?: unknown }> };
  assert.equal(exit.parents, ['loop_step/0r2']);
  assert.is(exit.inputs.count.value, 3);
  const tight = await runFlow(aws, await irOf(text.replace('@loop(max: 10)', '@loop(max: 2)'), 'recursive-switch.flow'), {}, { runId: 'loop-2' });
  assert.is(tight.status, 'FAILED');
  // The switching step's job refuses to go back (as a local run does); the run records why.
  assert.equal(tight.submissions.map((s) => `${s.path} ${s.exitCode}`), ['t 0', 'tr0 0', 'tr1 1']);
  const failed = JSON.parse((await readText(aws, 'store/runs/RecursiveSwitch/loop-2/run.json')) ?? '{}') as { failed?: { step: string; task: string; message: string } };
  assert.equal(failed.failed, { step: 'loop_step', task: '0r1', message: "Step 'loop_step' went back to 'loop_step' after 2 iterations of its loop, but @loop(max: 2) allows at most 2." });
});

e2e('@catch in the runtime: a Failure record per task, null in a [T?] gather; pass at a join', async ({ aws }) => {
  const caught = await runFlow(aws, await irOf(readFileSync(join(testRoot, 'cases', 'check', 'ok', 'catch.flow'), 'utf8'), 'catch.flow'), {}, { runId: 'catch-1' });
  assert.is(caught.status, 'SUCCEEDED', caught.error);
  assert.equal(await caught.output('join', 'ok'), [10, 5]);
  assert.equal(await caught.output('join', 'errors'), ['ZeroDivisionError']);
  const passed = await runFlow(aws, await irOf(readFileSync(join(testRoot, 'cases', 'check', 'ok', 'pass.flow'), 'utf8'), 'pass.flow'), {}, { runId: 'pass-1' });
  assert.is(passed.status, 'SUCCEEDED', passed.error);
  assert.is(await passed.output('end', 'summary'), 'tree fast b 0.7');
});

e2e('64-bit integers: exact between jobs; beyond 64 bits the job fails naming the value', async ({ aws }) => {
  const text = `flow Big {\n  image "python:3.12-slim"\n  step start {\n    out n: int\n    python "n = 2**62 + 1"\n    next check\n  }\n  step check {\n    in n\n    out m: int\n    python "m = n + 1"\n    next end\n  }\n  step end {}\n}\n`;
  const ok = await runFlow(aws, await irOf(text, 'big.flow'), {}, { runId: 'big-1' });
  assert.is(ok.status, 'SUCCEEDED', ok.error);
  assert.is(String(await ok.output('check', 'm')), '4611686018427387906');
  const over = await runFlow(aws, await irOf(text.replace('2**62 + 1', '2**63'), 'big.flow'), {}, { runId: 'big-2' });
  assert.is(over.status, 'FAILED');
  // Literals beyond 2^53 in the flow: the parameter's default and the switch case reach the job exactly.
  const literals = await runFlow(aws, await irOf(readFileSync(join(testRoot, 'cases', 'check', 'ok', 'big-int.flow'), 'utf8'), 'big-int.flow'), {}, { runId: 'big-3' });
  assert.is(literals.status, 'SUCCEEDED', literals.error);
  assert.equal(literals.submissions.map((x) => x.jobDefinition), ['Big-start', 'Big-hit', 'Big-end']);
  assert.is(String(await literals.output('start', 'm')), '9007199254740994');
});

e2e('every S3 request of these runs was signed as S3 wants (SigV4 checked by AWS\'s own signer)', ({ aws }) => {
  assert.equal(aws.refused, []);
});

e2e.run();
