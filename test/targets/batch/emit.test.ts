/**
 * The Batch target on every sample: golden files, the state machine against asl-validator, job definitions
 * against the Batch API's constraints, determinism, and hostile parameter values.
 */
import { createRequire } from 'node:module';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowIR } from '../../../compiler/ir.ts';
import type { JobDefinition } from '../../../targets/batch/job-definition.ts';
import { PYTHON_BOOT, PYTHON_WRAPPER } from '../../../targets/runtime/index.ts';
import { assertGolden } from '../../helpers/golden.ts';
import { SAMPLES, buildOk, file, sampleIR } from './helpers.ts';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (def: unknown) => { isValid: boolean; errorsText: (sep?: string) => string };

for (const name of SAMPLES) {
  test(`${name}: golden job definitions, state machine and schedule`, async () => {
    const res = buildOk(await sampleIR(name));
    for (const f of res.files) assertGolden(`baselines/batch/${name}/${f.path}`, f.content);
    assertGolden(`baselines/batch/${name}/files.txt`, res.files.map((f) => f.path).join('\n') + '\n');
  });

  test(`${name}: golden CloudFormation template`, async () => {
    const res = buildOk(await sampleIR(name), { format: 'cloudformation' });
    assert.is(res.files.length, 1);
    assertGolden(`baselines/batch/${name}/cloudformation.json`, res.files[0].content);
    assert.is(res.stdout, res.files[0].content);
    const template = JSON.parse(res.stdout);
    assert.ok(template.Resources.StateMachine);
    const v = aslValidator(template.Resources.StateMachine.Properties.Definition);
    assert.ok(v.isValid, v.errorsText());
  });

  test(`${name}: the state machine is valid ASL`, async () => {
    const res = buildOk(await sampleIR(name));
    const v = aslValidator(JSON.parse(file(res, 'statemachine.asl.json')));
    assert.ok(v.isValid, v.errorsText());
  });

  test(`${name}: job definitions meet the Batch API's constraints`, async () => {
    const ir = await sampleIR(name);
    const res = buildOk(ir);
    const defs = res.files.filter((f) => f.path.startsWith('jobdefs/'));
    assert.ok(defs.length > 0);
    for (const f of defs) checkJobDefinition(JSON.parse(f.content) as JobDefinition, f.content, f.path);
  });

  test(`${name}: output is deterministic`, async () => {
    const a = buildOk(await sampleIR(name));
    const b = buildOk(structuredClone(await sampleIR(name)));
    assert.equal(a.files, b.files);
    assert.is(a.stdout, b.stdout);
  });

  test(`${name}: stdout is one JSON document holding everything`, async () => {
    const res = buildOk(await sampleIR(name));
    const doc = JSON.parse(res.stdout);
    assert.equal(doc.stateMachine.definition, JSON.parse(file(res, 'statemachine.asl.json')));
    assert.is(doc.jobDefinitions.length, res.files.filter((f) => f.path.startsWith('jobdefs/')).length);
  });
}

/** The constraints RegisterJobDefinition enforces (and a few flowc promises on top). */
function checkJobDefinition(def: JobDefinition, text: string, where: string): void {
  const msg = (m: string) => `${where}: ${m}`;
  assert.ok(new TextEncoder().encode(text).length <= 24 * 1024, msg('larger than 24 KiB'));
  assert.ok(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(def.jobDefinitionName ?? ''), msg('bad name'));
  assert.is(def.type, 'container', msg('type'));
  const c = def.containerProperties!;
  assert.ok(c.image && c.image.length > 0, msg('image'));
  assert.ok(Array.isArray(c.command) && c.command.length > 0, msg('command'));
  // The wrapper of python bodies comes from the packed runtime (FLOWC_PY_WRAPPER); a python body runs PYTHON_BOOT.
  assert.not.ok(c.command.includes(PYTHON_WRAPPER), msg('the command carries the python wrapper'));
  if (c.command[3] === 'python3') assert.equal(c.command.slice(3, 6), ['python3', '-c', PYTHON_BOOT], msg('python body'));
  const platform = def.platformCapabilities?.[0];
  assert.ok(platform === 'EC2' || platform === 'FARGATE', msg('platform'));
  const req = Object.fromEntries((c.resourceRequirements ?? []).map((r) => [r.type, Number(r.value)]));
  assert.ok(req.VCPU >= (platform === 'EC2' ? 1 : 0.25), msg('VCPU'));
  if (platform === 'EC2') assert.ok(Number.isInteger(req.VCPU), msg('EC2 VCPU must be whole'));
  assert.ok(Number.isInteger(req.MEMORY) && req.MEMORY >= 4, msg('MEMORY'));
  if (req.GPU !== undefined) assert.ok(Number.isInteger(req.GPU) && req.GPU >= 1 && platform === 'EC2', msg('GPU'));
  const attempts = def.retryStrategy?.attempts ?? 1;
  assert.ok(attempts >= 1 && attempts <= 10, msg('attempts'));
  assert.ok((def.retryStrategy?.evaluateOnExit ?? []).length <= 5, msg('evaluateOnExit has at most 5 entries'));
  for (const e of def.retryStrategy?.evaluateOnExit ?? []) assert.ok(e.action === 'RETRY' || e.action === 'EXIT', msg('action'));
  if (def.timeout) assert.ok((def.timeout.attemptDurationSeconds ?? 0) >= 60, msg('timeout'));
  const names = new Set<string>();
  for (const e of c.environment ?? []) {
    assert.ok(e.name && !e.name.startsWith('AWS_BATCH'), msg(`env name ${e.name}`));
    assert.not.ok(names.has(e.name!), msg(`duplicate env ${e.name}`));
    names.add(e.name!);
  }
  for (const s of c.secrets ?? []) assert.ok(s.name && s.valueFrom, msg('secret'));
  for (const [k, v] of Object.entries(def.tags ?? {})) assert.ok(k.length <= 128 && v.length <= 256 && !k.startsWith('aws:'), msg('tag'));
  assert.is(def.propagateTags, true, msg('propagateTags'));
}

const HOSTILE = [`'; rm -rf / #`, '{{x}}', '$(touch /tmp/pwned)', '"; echo hacked; "', 'Ref::limit'];

test('parameter values never reach a job command or definition', async () => {
  const ir = await sampleIR('genres');
  const clean = buildOk(ir);
  for (const value of HOSTILE) {
    const hostile: FlowIR = structuredClone(ir);
    for (const p of hostile.params) if (p.type.kind === 'string') p.default = value;
    const res = buildOk(hostile);
    for (const f of res.files.filter((x) => x.path.startsWith('jobdefs/'))) {
      const def = JSON.parse(f.content) as JobDefinition;
      const cleanDef = JSON.parse(file(clean, f.path)) as JobDefinition;
      assert.equal(def.containerProperties!.command, cleanDef.containerProperties!.command, `${f.path} command changed for ${value}`);
    }
    // The IR (defaults included) is data in the Bodies of 'flowc.save-flow-<n>' (it becomes ir.json); nothing else changes.
    const withoutIR = (text: string) => {
      const sm = JSON.parse(text) as { States: Record<string, { Parameters?: { Body?: string; Key?: string } }> };
      const saves = Object.keys(sm.States).filter((n) => n.startsWith('flowc.save-flow-'));
      assert.ok(saves.length >= 2, 'the run information is stored as parts and an index');
      for (const n of saves) {
        delete sm.States[n].Parameters!.Body;
        delete sm.States[n].Parameters!.Key;
      }
      return JSON.stringify(sm);
    };
    assert.is(withoutIR(file(res, 'statemachine.asl.json')), withoutIR(file(clean, 'statemachine.asl.json')));
  }
});


test('a bounded loop: the Choice goes back through a counter, valid ASL, with a Fail state past @loop(max)', async () => {
  const { irOf } = await import('./helpers.ts');
  const { readFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { testRoot } = await import('../../helpers/golden.ts');
  const ir = await irOf(readFileSync(join(testRoot, 'cases', 'metaflow', 'recursive-switch.flow'), 'utf8'), 'recursive-switch.flow');
  const def = JSON.parse(buildOk(ir).files.find((f) => f.path === 'statemachine.asl.json')!.content);
  const v = aslValidator(def);
  assert.ok(v.isValid, v.errorsText('\n'));
  const choice = def.States['loop_step.switch'];
  assert.equal(choice.Choices.map((c: { Next: string }) => c.Next), ['loop_step.loop-next', 'exit_loop']);
  // The counter starts at 0 with the scope; the loop's jobs and its switch's route carry the iteration.
  assert.equal(def.States['flowc.init'].Parameters.loop_loop_step, { n: 0 });
  assert.equal(def.States['loop_step.loop-next'].Parameters, { 'n.$': 'States.MathAdd($.loop_loop_step.n, 1)' });
  assert.equal(def.States.loop_step.Parameters.ContainerOverrides.Environment[1], { Name: 'FLOWC_TASK_ID', 'Value.$': "States.Format('{}r{}', $.path, $.loop_loop_step.n)" });
  assert.match(def.States['loop_step.read-switch'].Parameters['Key.$'], /\/routes\/loop_step\/\{\}r\{\}\.json', \$\.run, \$\.path, \$\.loop_loop_step\.n\)$/);
  assert.equal(def.States.exit_loop.Parameters.ContainerOverrides.Environment[1], { Name: 'FLOWC_TASK_ID', 'Value.$': '$.path' });
  // The size check counts the iteration a loop's task id carries (`r9` with @loop(max: 10)).
  const { checkContainerOverrides } = await import('../../../targets/batch/limits.ts');
  const loopStep = ir.steps.find((x) => x.name === 'loop_step')!;
  assert.is(checkContainerOverrides(loopStep, () => {}, 10) - checkContainerOverrides(loopStep, () => {}), 'r9'.length);
  assert.equal(def.States['loop_step.loop-check'].Choices, [{ Variable: '$.loop_loop_step.n', NumericGreaterThanEquals: 10, Next: 'loop_step.loop-limit' }]);
  assert.is(def.States['loop_step.loop-check'].Default, 'loop_step');
  assert.is(def.States['loop_step.loop-limit'].Type, 'Fail');
});

test('@trigger_on_finish: an EventBridge rule on the upstream state machine SUCCEEDED, with the run id as upstream_run', async () => {
  const { irOf } = await import('./helpers.ts');
  const ir = await irOf('@project(name: "ml")\n@trigger_on_finish(flow: "Ingest")\nflow Train {\n  step start { in upstream_run\n next end }\n  step end {}\n}\n', 'train.flow');
  const rule = JSON.parse(buildOk(ir).files.find((f) => f.path === 'triggers/ml-Train-after-Ingest.json')!.content);
  assert.equal(JSON.parse(rule.Rule.EventPattern), {
    source: ['aws.states'],
    'detail-type': ['Step Functions Execution Status Change'],
    detail: { status: ['SUCCEEDED'], stateMachineArn: [{ wildcard: 'arn:aws:states:*:*:stateMachine:ml-Ingest' }] },
  });
  assert.equal(rule.Targets.Targets[0].InputTransformer, { InputPathsMap: { run: '$.detail.name' }, InputTemplate: '{"upstream_run": <run>}' });
  const template = JSON.parse(buildOk(ir, { format: 'cloudformation' }).stdout);
  const cfn = Object.values(template.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).find((r) => r.Type === 'AWS::Events::Rule')!;
  assert.equal((cfn.Properties.EventPattern as { source: string[] }).source, ['aws.states']);
  assert.ok((cfn.Properties.Targets as { InputTransformer?: unknown }[])[0].InputTransformer);
});

test.run();
