/**
 * Long flows must not exhaust the stack or time in any backend: a 10,000-step chain (deeper than the JS stack
 * allows for per-step recursion) builds on every target, Batch's state machine split into children under 1 MB.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFlow } from '../../bench/gen.ts';
import { analyze } from '../../compiler/analyze.ts';
import { lower } from '../../compiler/lower.ts';
import { buildArgo } from '../../targets/argo/index.ts';
import { buildBatch } from '../../targets/batch/index.ts';

const config = {
  image: 'python:3.12-slim',
  datastore: 's3://bucket/flowc',
  batch: { jobQueue: 'q', region: 'us-east-1', jobRoleArn: 'arn:aws:iam::123456789012:role/job' },
};
const analysis = analyze(generateFlow('linear', 10_000), { file: 'long.flow', config });
const [ir] = lower(analysis);

test('a 10,000-step chain lowers with every step', () => {
  assert.is(ir.steps.length, 10_000);
});

test('Batch builds it: the state machine split into child state machines, each under 1 MB as written', () => {
  const res = buildBatch(ir, { config, sourceFile: 'long.flow' });
  assert.equal(res.diagnostics, []);
  const machines = res.files.filter((f) => f.path === 'statemachine.asl.json' || f.path.startsWith('statemachines/'));
  assert.ok(machines.length >= 5, `${machines.length} state machines`);
  for (const f of machines) assert.ok(Buffer.byteLength(f.content) < 1_048_576, `${f.path}: ${Buffer.byteLength(f.content)} bytes`);
  assert.is(res.files.filter((f) => f.path.startsWith('jobdefs/')).length, 10_000);
});

test('Batch: the join of a 200-way split has a job definition that does not grow with the fan-in', () => {
  const [wide] = lower(analyze(generateFlow('wide', 200), { file: 'wide.flow', config }));
  const res = buildBatch(wide, { config, sourceFile: 'wide.flow' });
  const defs = (JSON.parse(res.stdout) as { jobDefinitions: { jobDefinitionName: string; containerProperties: { environment: { name: string; value: string }[] } }[] }).jobDefinitions;
  const join = wide.steps.find((s) => s.joins !== null)!;
  const def = defs.find((d) => d.jobDefinitionName.endsWith(`-${join.name}`))!;
  assert.match(def.containerProperties.environment.find((e) => e.name === 'FLOWC_PLAN')!.value, /^sha256:[0-9a-f]{64}$/);
  assert.ok(JSON.stringify(def).length < 8192, `${JSON.stringify(def).length} bytes`);
  assert.not.ok(res.diagnostics.some((d) => d.code === 'batch-job-definition-too-large'));
});

test('Argo builds it', () => {
  const res = buildArgo(ir, { config, sourceFile: 'long.flow' });
  assert.is(res.diagnostics.filter((d) => d.severity === 'error').length, 0);
  assert.ok(res.stdout.includes('kind: WorkflowTemplate'));
});

test.run();
