/**
 * The test executor of Argo workflows (executor.ts): Argo's semantics on small hand-written workflows whose pods
 * are shell commands. The flows flowc builds run through it in e2e.test.ts.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { executeWorkflow, type ExecOptions, type ExecResult, type NodeStatus } from './executor.ts';

const workdir = (): string => mkdtempSync(join(tmpdir(), 'flowc-argo-exec-'));
const run = (wf: unknown, extra: Partial<ExecOptions> = {}): Promise<ExecResult> => executeWorkflow(wf, { workdir: workdir(), name: 'wf', ...extra });

/** A container template running `sh -c SCRIPT`, writing outputs under /out. */
const sh = (name: string, script: string, extra: Record<string, unknown> = {}) => ({
  name,
  container: { image: 'alpine', command: ['/bin/sh', '-c', script] },
  ...extra,
});
const workflow = (templates: unknown[], spec: Record<string, unknown> = {}) => ({
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Workflow',
  metadata: { generateName: 'wf-' },
  spec: { entrypoint: 'main', ...spec, templates },
});
const byName = (r: ExecResult, name: string): NodeStatus | undefined => Object.values(r.nodes).find((n) => n.name === name);
const phaseOf = (r: ExecResult, name: string): string | undefined => byName(r, name)?.phase;
const param = (r: ExecResult, name: string, p: string): string | undefined => byName(r, name)?.outputs?.parameters?.find((x) => x.name === p)?.value;

const echoOut = sh('echo', 'mkdir -p /out && printf %s "$V" > /out/v', {
  inputs: { parameters: [{ name: 'v' }] },
  outputs: { parameters: [{ name: 'v', valueFrom: { path: '/out/v' } }] },
  container: { image: 'alpine', command: ['/bin/sh', '-c', 'mkdir -p /out && printf %s "$V" > /out/v'], env: [{ name: 'V', value: '{{inputs.parameters.v}}' }] },
});

test('executor: depends, when, Skipped and Omitted as Argo evaluates them', async () => {
  const wf = workflow([
    {
      name: 'main',
      dag: {
        tasks: [
          { name: 'ok', template: 'echo', arguments: { parameters: [{ name: 'v', value: '1' }] } },
          { name: 'bad', template: 'fail' },
          { name: 'off', template: 'echo', when: '{{tasks.ok.outputs.parameters.v}} == 2', depends: 'ok', arguments: { parameters: [{ name: 'v', value: 'x' }] } },
          { name: 'after-off', template: 'echo', depends: 'off', arguments: { parameters: [{ name: 'v', value: 'ran' }] } },
          { name: 'after-bad', template: 'echo', depends: 'bad', arguments: { parameters: [{ name: 'v', value: 'x' }] } },
          { name: 'on-failure', template: 'echo', depends: 'bad.Failed || bad.Errored', arguments: { parameters: [{ name: 'v', value: 'caught' }] } },
        ],
      },
    },
    echoOut,
    sh('fail', 'exit 3'),
  ]);
  const r = await run(wf);
  assert.is(r.phase, 'Failed');
  assert.is(phaseOf(r, 'wf.ok'), 'Succeeded');
  assert.is(phaseOf(r, 'wf.bad'), 'Failed');
  assert.is(phaseOf(r, 'wf.off'), 'Skipped');
  assert.is(param(r, 'wf.after-off', 'v'), 'ran', 'a bare name accepts a skipped task');
  assert.is(phaseOf(r, 'wf.after-bad'), 'Omitted');
  assert.is(param(r, 'wf.on-failure', 'v'), 'caught');
  assert.is(byName(r, 'wf.bad')?.outputs?.exitCode, '3');
});

test('executor: withParam, withSequence and withItems fan out; outputs aggregate as JSON lists', async () => {
  const wf = workflow([
    {
      name: 'main',
      dag: {
        tasks: [
          { name: 'list', template: 'echo', arguments: { parameters: [{ name: 'v', value: '[{"a":1},{"a":2}]' }] } },
          { name: 'each', template: 'echo', depends: 'list', withParam: '{{tasks.list.outputs.parameters.v}}', arguments: { parameters: [{ name: 'v', value: '{{item.a}}' }] } },
          { name: 'count', template: 'echo', depends: 'each', withSequence: { count: '{{tasks.each.outputs.parameters.v}}' }, arguments: { parameters: [{ name: 'v', value: 'i{{item}}' }] } },
          { name: 'items', template: 'echo', withItems: ['x', 'y'], when: "'{{item}}' == 'y'", arguments: { parameters: [{ name: 'v', value: '{{item}}' }] } },
          { name: 'empty', template: 'echo', withSequence: { count: '0' }, arguments: { parameters: [{ name: 'v', value: '{{item}}' }] } },
          { name: 'sum', template: 'echo', depends: 'count && items && empty', arguments: { parameters: [{ name: 'v', value: '{{tasks.count.outputs.parameters.v}}' }] } },
        ],
      },
      outputs: { parameters: [{ name: 'r', valueFrom: { parameter: '{{tasks.sum.outputs.parameters.v}}' } }] },
    },
    echoOut,
  ]);
  // withSequence.count is '[1,2]' here, which is not a count: the task errors, as in Argo.
  const bad = await run(wf);
  assert.is(bad.phase, 'Error');
  assert.match(byName(bad, 'wf.count')?.message ?? '', 'withSequence.count');

  const tasks = (wf.spec.templates[0] as { dag: { tasks: { name: string; withSequence?: unknown }[] } }).dag.tasks;
  tasks[2].withSequence = { count: '3' };
  const r = await run(wf);
  assert.is(r.phase, 'Succeeded', r.message);
  assert.is(param(r, 'wf.each', 'v'), undefined, 'a task group has no outputs of its own');
  assert.is(phaseOf(r, 'wf.each(1:{"a":2})'), 'Succeeded');
  assert.equal(r.outputs?.parameters, [{ name: 'r', value: '["i0","i1","i2"]' }]);
  assert.is(phaseOf(r, 'wf.items(0:x)'), 'Skipped');
  assert.is(param(r, 'wf.items(1:y)', 'v'), 'y');
  assert.is(phaseOf(r, 'wf.empty'), 'Succeeded', 'an empty fan-out succeeds');
});

test('executor: retryStrategy retries failures with {{retries}}; activeDeadlineSeconds kills the pod', async () => {
  const wf = workflow([
    {
      name: 'main',
      dag: {
        tasks: [
          { name: 'flaky', template: 'flaky' },
          { name: 'slow', template: 'slow' },
        ],
      },
    },
    sh('flaky', '[ "$TRY" -ge 2 ]', { retryStrategy: { limit: 3 }, container: { image: 'alpine', command: ['/bin/sh', '-c', '[ "$TRY" -ge 2 ]'], env: [{ name: 'TRY', value: '{{retries}}' }] } }),
    sh('slow', 'sleep 20', { activeDeadlineSeconds: 1 }),
  ]);
  const r = await run(wf);
  assert.is(r.phase, 'Failed');
  const retry = byName(r, 'wf.flaky')!;
  assert.is(retry.type, 'Retry');
  assert.is(retry.phase, 'Succeeded');
  assert.equal(retry.children?.map((id) => r.nodes[id].phase), ['Failed', 'Failed', 'Succeeded']);
  assert.is(phaseOf(r, 'wf.slow'), 'Failed');
  assert.match(byName(r, 'wf.slow')?.message ?? '', 'deadline');
});

test('executor: retryPolicy OnError retries a pod that errored (a missing output); OnFailure, the default, does not', async () => {
  // Writes its output from the second attempt on.
  const script = 'mkdir -p /out; [ "$TRY" -lt 1 ] || printf ok > /out/v';
  const tmpl = (policy: string) =>
    sh('t', script, {
      retryStrategy: { limit: 3, retryPolicy: policy },
      container: { image: 'alpine', command: ['/bin/sh', '-c', script], env: [{ name: 'TRY', value: '{{retries}}' }] },
      outputs: { parameters: [{ name: 'v', valueFrom: { path: '/out/v' } }] },
    });
  const phases = async (policy: string) => {
    const r = await run(workflow([{ name: 'main', dag: { tasks: [{ name: 'a', template: 't' }] } }, tmpl(policy)]));
    return byName(r, 'wf.a')!.children!.map((id) => r.nodes[id].phase);
  };
  assert.equal(await phases('OnError'), ['Error', 'Succeeded']);
  assert.equal(await phases('OnFailure'), ['Error']);
});

test('executor: workflow parameters, artifacts between pods, paths remapped, onExit sees the status', async () => {
  const wf = workflow(
    [
      {
        name: 'main',
        dag: {
          tasks: [
            { name: 'make', template: 'make' },
            { name: 'use', template: 'use', depends: 'make', arguments: { artifacts: [{ name: 'data', from: '{{tasks.make.outputs.artifacts.data}}' }] } },
          ],
        },
      },
      sh('make', 'mkdir -p /work/out && printf %s "$GREETING" > /work/out/data', {
        container: { image: 'alpine', command: ['/bin/sh', '-c', 'mkdir -p /work/out && printf %s "$GREETING" > /work/out/data'], env: [{ name: 'GREETING', value: '{{workflow.parameters.greeting}}' }] },
        outputs: { artifacts: [{ name: 'data', path: '/work/out/data', s3: { key: 'runs/{{workflow.name}}/data' } }] },
      }),
      sh('use', 'mkdir -p /work/o && cat /work/in/data /work/in/raw > /work/o/v', {
        inputs: { artifacts: [{ name: 'data', path: '/work/in/data' }, { name: 'raw', path: '/work/in/raw', raw: { data: '+{{workflow.name}}' } }] },
        outputs: { parameters: [{ name: 'v', valueFrom: { path: '/work/o/v' } }] },
      }),
      sh('exit', 'mkdir -p /work && printf %s "$S" > /work/status', {
        container: { image: 'alpine', command: ['/bin/sh', '-c', 'mkdir -p /work && printf %s "$S" > /work/status'], env: [{ name: 'S', value: '{{workflow.status}}' }] },
        outputs: { parameters: [{ name: 'status', valueFrom: { path: '/work/status' } }] },
      }),
    ],
    { onExit: 'exit', arguments: { parameters: [{ name: 'greeting', value: 'hello' }] } },
  );
  const r = await run(wf, { parameters: { greeting: 'hi' } });
  assert.is(r.phase, 'Succeeded', r.message);
  assert.is(param(r, 'wf.use', 'v'), 'hi+wf');
  assert.is(param(r, 'wf.onExit', 'status'), 'Succeeded');
  const missing = await run(workflow([{ name: 'main', dag: { tasks: [] } }], { arguments: { parameters: [{ name: 'p' }] } }), { skipValidation: true });
  assert.is(missing.phase, 'Error');
  assert.match(missing.message ?? '', 'p.value is required');
});

test("executor: a template's parallelism bounds its active children, a nested DAG counting once; the workflow's bounds its pods", async () => {
  const pause = sh('pause', 'sleep 0.1');
  // Six calls of a body of two parallel pods, at most two calls at once: four pods at most.
  const bounded = workflow([
    { name: 'main', dag: { tasks: [{ name: 'fan', template: 'bounded' }] } },
    { name: 'bounded', parallelism: 2, dag: { tasks: [{ name: 'body', template: 'body', withSequence: { count: '6' } }] } },
    { name: 'body', dag: { tasks: [{ name: 'a', template: 'pause' }, { name: 'b', template: 'pause' }] } },
    pause,
  ]);
  const r = await run(bounded, { parallelism: 8 });
  assert.is(r.phase, 'Succeeded', r.message);
  assert.is(r.pods.length, 12);
  assert.equal(r.concurrency.templates.find((t) => t.template === 'bounded'), { node: 'wf.fan', template: 'bounded', limit: 2, peak: 2 });
  assert.is(r.concurrency.pods, 4);
  // Seven independent pods, the workflow's parallelism 3 (this host allows 8).
  const wide = workflow([{ name: 'main', dag: { tasks: Array.from({ length: 7 }, (_, i) => ({ name: `t${i}`, template: 'pause' })) } }, pause], { parallelism: 3 });
  const w = await run(wide, { parallelism: 8 });
  assert.is(w.phase, 'Succeeded', w.message);
  assert.is(w.pods.length, 7);
  assert.is(w.concurrency.pods, 3);
  assert.equal(w.concurrency.templates, [{ node: 'wf', template: 'main', peak: 3 }]);
});

test('executor: failFast (the default) lets a task whose dependencies finish after a failure start, as Argo does; the DAG fails once nothing runs, then onExit', async () => {
  const wf = workflow(
    [
      {
        name: 'main',
        dag: {
          failFast: true,
          tasks: [
            { name: 'bad', template: 'fail' },
            { name: 'slow', template: 'slow' },
            { name: 'after-slow', template: 'echo', depends: 'slow', arguments: { parameters: [{ name: 'v', value: 'ran' }] } },
            { name: 'after-bad', template: 'echo', depends: 'bad', arguments: { parameters: [{ name: 'v', value: 'x' }] } },
          ],
        },
      },
      echoOut,
      sh('fail', 'exit 1'),
      sh('slow', 'sleep 0.3'),
      sh('exit', 'true'),
    ],
    { onExit: 'exit' },
  );
  const r = await run(wf);
  assert.is(r.phase, 'Failed');
  assert.match(r.message ?? '', "child 'wf.bad' failed");
  assert.is(phaseOf(r, 'wf.after-bad'), 'Omitted');
  // Argo starts it: slow was still running when bad failed (argo-workflows#5223).
  assert.is(param(r, 'wf.after-slow', 'v'), 'ran');
  assert.is(phaseOf(r, 'wf.onExit'), 'Succeeded');
});

test('executor: gang scheduling: a PodGroup needs minMember pods naming it, placed by its scheduler; a pod naming a missing group errors', async () => {
  const group = (min: number) => ({
    name: 'group',
    resource: { action: 'create', manifest: `apiVersion: scheduling.volcano.sh/v1beta1\nkind: PodGroup\nmetadata:\n  generateName: g-\nspec:\n  minMember: ${min}\n` },
    outputs: { parameters: [{ name: 'name', valueFrom: { jsonPath: '{.metadata.name}' } }] },
  });
  const member = (extra: Record<string, unknown> = {}) =>
    sh('member', 'true', { inputs: { parameters: [{ name: 'g' }] }, metadata: { annotations: { 'scheduling.k8s.io/group-name': '{{inputs.parameters.g}}' } }, schedulerName: 'volcano', ...extra });
  const wf = (min: number, tmpl: unknown) =>
    workflow([
      {
        name: 'main',
        dag: {
          tasks: [
            { name: 'group', template: 'group' },
            { name: 'pods', template: 'member', depends: 'group', withSequence: { count: '2' }, arguments: { parameters: [{ name: 'g', value: '{{tasks.group.outputs.parameters.name}}' }] } },
          ],
        },
      },
      group(min),
      tmpl,
    ]);
  const ok = await run(wf(2, member()));
  assert.is(ok.phase, 'Succeeded', ok.message);
  assert.equal(ok.podGroups.map((g) => [g.minMember, g.members.length, g.schedulerNames]), [[2, 2, ['volcano']]]);
  const short = await run(wf(3, member()));
  assert.is(short.phase, 'Error');
  assert.match(short.message ?? '', /PodGroup 'g-[a-z0-9]+' wants 3 pods but 2 named it/);
  const unplaced = await run(wf(2, member({ schedulerName: undefined })));
  assert.is(unplaced.phase, 'Error');
  assert.match(unplaced.message ?? '', 'placed by the default scheduler');
  const missing = await run(wf(2, member({ metadata: { annotations: { 'scheduling.k8s.io/group-name': 'nope' } } })));
  assert.is(missing.phase, 'Error');
  assert.match(byName(missing, 'wf.pods(0:0)')?.message ?? '', "PodGroup 'nope' does not exist");
});

test('executor: an invalid manifest is refused before anything runs', async () => {
  const wf = workflow([{ name: 'main', dag: { tasks: [{ name: 'a', template: 'nope' }] } }]);
  try {
    await run(wf);
    assert.unreachable('should have thrown');
  } catch (e) {
    assert.match((e as Error).message, "template 'nope' does not exist");
  }
});

test.run();
