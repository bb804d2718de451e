/**
 * What the Batch target reports: each case is a flow (and `flowc.yaml` settings) and the codes and messages
 * it must produce, all through one `check` helper.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JobDefinition } from '../../../targets/batch/job-definition.ts';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import { awsCron } from '../../../targets/batch/schedule.ts';
import { nearestFargatePair, isFargatePair } from '../../../targets/batch/resources.ts';
import { lookupCode } from '../../../diagnostics/catalog.ts';
import { batchCodes } from '../../../diagnostics/catalog/batch.ts';
import { CONFIG, build, irOf } from './helpers.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3_PUT_OBJECT, SUBMIT_JOB_SYNC, type State, type StateList } from '../../../targets/batch/asl.ts';
import { checkCloudFormationTemplate, checkHistoryEvents, historyEvents } from '../../../targets/batch/limits.ts';
import { generateFlow } from '../../../bench/gen.ts';
import { testRoot } from '../../helpers/golden.ts';

const withBatch = (batch: NonNullable<FlowcConfig['batch']>, rest: Partial<FlowcConfig> = {}): FlowcConfig => ({ ...CONFIG, ...rest, batch: { ...CONFIG.batch, ...batch } });

const flow = (decorators: string, body = 'python "x = 1"', flowDecorators = '', name = 'F') => `${flowDecorators}
flow ${name} {
  image "python:3.12-slim"
  ${decorators}
  step start {
    out x: int
    ${body}
    next end
  }
  step end {}
}
`;

/** Builds `source` with `config` and compares `code: message` lines of the diagnostics with `expected`. */
async function check(source: string, config: FlowcConfig, expected: string[]): Promise<void> {
  const ir = await irOf(source, 'case.flow', config);
  const res = build(ir, { config });
  assert.equal(
    res.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`),
    expected,
  );
  for (const d of res.diagnostics) assert.ok(d.start <= d.end && d.end <= source.length, 'span inside the source');
  if (res.diagnostics.some((d) => d.severity === 'error')) {
    assert.equal(res.files, []);
    assert.is(res.stdout, '');
  }
}

test('fargate: a GPU is an error', async () => {
  await check(flow('@resources(gpu: 1)'), withBatch({ platform: 'FARGATE' }), [
    "error batch-fargate-gpu: Step 'start' asks for 1 GPU, but Fargate has no GPUs; use 'batch.platform: EC2' in flowc.yaml or drop the GPU.",
  ]);
});

test('fargate: a @parallel step is an error (multi-node parallel jobs run on EC2 only)', async () => {
  await check(flow('@parallel(nodes: 2)'), withBatch({ platform: 'FARGATE' }), [
    "error batch-parallel-fargate: Step 'start' runs on 2 nodes (@parallel), but multi-node parallel jobs need EC2; use 'batch.platform: EC2' in flowc.yaml.",
  ]);
});

test('fargate: an impossible vCPU/memory pair names the nearest valid one', async () => {
  await check(flow('@resources(cpu: 3, memory: 5GiB)'), withBatch({ platform: 'FARGATE' }), [
    "error batch-fargate-resources: Step 'start' asks for 3 vCPU and 5 GiB, which Fargate does not offer; the nearest valid pair is 4 vCPU and 8 GiB.",
  ]);
  await check(flow('@resources(cpu: 1, memory: 16GiB)'), withBatch({ platform: 'FARGATE' }), [
    "error batch-fargate-resources: Step 'start' asks for 1 vCPU and 16 GiB, which Fargate does not offer; the nearest valid pair is 2 vCPU and 16 GiB.",
  ]);
});

test('fargate: valid pairs, cpu alone and memory alone build', async () => {
  await check(flow('@resources(cpu: 0.25, memory: 512MiB)'), withBatch({ platform: 'FARGATE' }), []);
  await check(flow('@resources(cpu: 8)'), withBatch({ platform: 'FARGATE' }), []);
  await check(flow('@resources(memory: 30GiB)'), withBatch({ platform: 'FARGATE' }), []);
});

test('fargate pairs table', () => {
  assert.ok(isFargatePair(16, 122880));
  assert.not.ok(isFargatePair(8, 18432));
  assert.equal(nearestFargatePair(8, 20000), { vcpu: 8, memoryMiB: 20480 });
  assert.equal(nearestFargatePair(64, 1), { vcpu: 16, memoryMiB: 122880 });
});

test('fargate: disk beyond 200 GiB is an error; EC2 ignores disk with a warning', async () => {
  await check(flow('@resources(disk: 500GiB)'), withBatch({ platform: 'FARGATE' }), [
    "error batch-fargate-disk: Step 'start' asks for 500 GiB of disk, but Fargate offers at most 200 GiB.",
  ]);
  await check(flow('@resources(disk: 100GiB)'), CONFIG, [
    "warning batch-disk-ignored: Step 'start' asks for 100 GiB of disk, which Batch on EC2 ignores; size the volume in the compute environment's launch template.",
  ]);
});

test('EC2: fractional vCPU is rounded up with a warning', async () => {
  await check(flow('@resources(cpu: 0.5)'), CONFIG, ["warning batch-cpu-rounded: Step 'start' asks for 0.5 vCPU; Batch on EC2 reserves whole vCPUs, so it gets 1."]);
});

test('resources beyond batch.limits (the target check runs in analysis and again on the IR it is given)', async () => {
  const ir = await irOf(flow('@resources(cpu: 128, gpu: 16)'), 'case.flow', withBatch({ limits: undefined }));
  const res = build(ir);
  assert.equal(res.diagnostics.map((d) => `${d.code}: ${d.message}`), [
    "resources-exceed-limits: Step 'start' asks for 128 cpu, but the largest batch node in flowc.yaml has 96.",
    "resources-exceed-limits: Step 'start' asks for 16 gpu, but the largest batch node in flowc.yaml has 8.",
  ]);
});

test('no job queue, no S3 root, no job role', async () => {
  await check(flow(''), { image: 'python:3.12-slim', batch: {} }, [
    "error batch-no-s3-root: Flow 'F' needs a datastore in S3 on Batch; set 'datastore: s3://bucket/prefix' in flowc.yaml or pass --datastore.",
    "warning batch-no-job-role: Batch jobs of flow 'F' have no role to reach S3; set 'batch.jobRoleArn' in flowc.yaml.",
    "error batch-no-job-queue: Step 'start' has no Batch job queue; set 'batch.jobQueue' in flowc.yaml or '@batch(queue: ...)' on the step.",
    "error batch-no-job-queue: Step 'end' has no Batch job queue; set 'batch.jobQueue' in flowc.yaml or '@batch(queue: ...)' on the step.",
  ]);
});

test('@batch(queue) and an s3 datastore are enough (every step runs a job, so end needs a queue too)', async () => {
  const config: FlowcConfig = { datastore: 's3://bucket-x/flows', batch: { jobRoleArn: 'arn:aws:iam::123456789012:role/r' } };
  const source = flow('@batch(queue: "gpu")');
  await check(source, config, ["error batch-no-job-queue: Step 'end' has no Batch job queue; set 'batch.jobQueue' in flowc.yaml or '@batch(queue: ...)' on the step."]);
  const withQueue: FlowcConfig = { ...config, batch: { ...config.batch, jobQueue: 'cpu' } };
  const res = build(await irOf(source, 'case.flow', withQueue), { config: withQueue });
  const asl = JSON.parse(res.files.find((f) => f.path === 'statemachine.asl.json')!.content);
  assert.is(asl.States.start.Parameters.JobQueue, 'gpu');
  assert.is(asl.States['flowc.save-params'].Parameters.Bucket, 'bucket-x');
});

test('an invalid S3 datastore', async () => {
  await check(flow(''), { ...CONFIG, datastore: 's3://Bad_Bucket/x' }, ["error batch-invalid-s3-root: The S3 root 's3://Bad_Bucket/x' is not a valid 's3://bucket/prefix' URL."]);
});

test('batch.s3Root is deprecated: used as the datastore when none is in S3, else ignored', async () => {
  const old = { ...CONFIG, datastore: undefined, batch: { ...CONFIG.batch, s3Root: 's3://old-bucket/flows' } };
  await check(flow(''), old, ["warning batch-s3-root-deprecated: 'batch.s3Root' is deprecated: set 'datastore: s3://old-bucket/flows' in flowc.yaml (or --datastore); it is used as the datastore for now."]);
  const res = build(await irOf(flow(''), 'case.flow', old), { config: old });
  assert.is(JSON.parse(res.files.find((f) => f.path === 'statemachine.asl.json')!.content).States['flowc.save-params'].Parameters.Bucket, 'old-bucket');
  await check(flow(''), withBatch({ s3Root: 's3://old-bucket/flows' }), [
    "warning batch-s3-root-deprecated: 'batch.s3Root' is deprecated and ignored: runs keep everything in the datastore 's3://ml-artifacts/flowc'.",
  ]);
});

test('shared memory, swap and log settings: linuxParameters and logConfiguration on EC2, a warning on Fargate', async () => {
  const settings = { sharedMemoryMiB: 8192, swapMiB: 1024, logs: { driver: 'awslogs', options: { 'awslogs-group': '/flowc' } } };
  const ec2 = withBatch(settings);
  const res = build(await irOf(flow(''), 'case.flow', ec2), { config: ec2 });
  const def = JSON.parse(res.files.find((f) => f.path === 'jobdefs/start.json')!.content) as JobDefinition;
  assert.equal(def.containerProperties!.linuxParameters, { sharedMemorySize: 8192, maxSwap: 1024, swappiness: 60 });
  assert.equal(def.containerProperties!.logConfiguration, { logDriver: 'awslogs', options: { 'awslogs-group': '/flowc' } });
  await check(flow(''), withBatch({ ...settings, platform: 'FARGATE', executionRoleArn: 'arn:aws:iam::123456789012:role/exec' }), [
    "warning batch-linux-parameters-fargate: 'batch.sharedMemory' and 'batch.swap' have no effect on Fargate (no linuxParameters there); the job definitions of flow 'F' leave them out.",
  ]);
});

test('secrets: a whole secret needs a variable; a key needs an ARN or region and role', async () => {
  await check(flow('@secrets("db-credentials")'), CONFIG, [
    `error batch-secret-unsupported: Step 'start': secret 'db-credentials' must be bound to one environment variable on Batch, e.g. @secrets(NAME: "db-credentials").`,
  ]);
  await check(flow('@secrets(TOKEN: "api/token")'), withBatch({ region: undefined }), [
    "error batch-secret-unsupported: Step 'start': secret 'api' key 'token' needs a Secrets Manager ARN on Batch; give the full ARN, or set 'batch.region' and 'batch.jobRoleArn' in flowc.yaml so flowc can build it.",
  ]);
  const res = build(await irOf(flow('@secrets(TOKEN: "api/token")'), 'case.flow'));
  const def = JSON.parse(res.files.find((f) => f.path === 'jobdefs/start.json')!.content);
  assert.equal(def.containerProperties.secrets, [{ name: 'TOKEN', valueFrom: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:api:token::' }]);
});

test('names: a state machine name over 80 characters', async () => {
  // Analysis reports it through the target's check; the build checks the IR it is given the same way.
  const ir = await irOf(flow(''), 'case.flow');
  ir.name = `F${'x'.repeat(85)}`;
  const res = build(ir);
  assert.equal(
    res.diagnostics.map((d) => d.code),
    ['batch-name-invalid'],
  );
  assert.match(res.diagnostics[0].message, /state machine name 'Fx+' must be 1 to 80 letters/);
});

test('a schedule restricting both day fields is an error', async () => {
  await check(flow('', 'python "x = 1"', '@schedule(cron: "0 3 1 * 1")'), CONFIG, [
    "error batch-cron-unsupported: The schedule '0 3 1 * 1' of flow 'F' cannot run on EventBridge: EventBridge cannot restrict both the day of the month and the day of the week; keep one of them \"*\".",
  ]);
});

test('cron: five fields to EventBridge six, days of the week from 1 = Sunday', () => {
  assert.is(awsCron('0 3 * * *'), 'cron(0 3 * * ? *)');
  assert.is(awsCron('*/15 * 1 * *'), 'cron(*/15 * 1 * ? *)');
  assert.is(awsCron('0 9 * * 1-5'), 'cron(0 9 ? * 2-6 *)');
  assert.is(awsCron('0 9 * * 0,6'), 'cron(0 9 ? * 1,7 *)');
  assert.is(awsCron('0 9 * * 7'), 'cron(0 9 ? * 1 *)');
  assert.is(awsCron('0 9 * * */2'), 'cron(0 9 ? * */2 *)');
  assert.is(awsCron('0 9 * * MON'), 'cron(0 9 ? * MON *)');
});

test('a switch of a thousand cases is one region over 1 MB: no split divides it, so it is an error naming it', async () => {
  const cases = Array.from({ length: 1000 }, (_, i) => i);
  const source = `flow Wide {
  image "python:3.12-slim"
  step start {
    out kind: string
    python "kind = 'c0'"
    next switch kind { ${cases.map((i) => `"c${i}" -> c${i}`).join(', ')}, else -> other }
  }
${cases.map((i) => `  step c${i} { next end }`).join('\n')}
  step other { next end }
  step end {}
}
`;
  const res = build(await irOf(source, 'case.flow'));
  assert.equal([...new Set(res.diagnostics.map((d) => d.code))], ['batch-state-machine-too-large']);
  assert.match(res.diagnostics[0].message, /^The state machine '.+' of flow 'Wide' is \d+ bytes, more than Step Functions' 1048576\. The region from state 'start\.switch' cannot be split/);
});

test('a job definition over 24 KiB is an error', async () => {
  const big = `python """\n${Array.from({ length: 700 }, (_, i) => `    x = ${i}  # ${'padding '.repeat(4)}`).join('\n')}\n    """`;
  const res = build(await irOf(flow('', big), 'case.flow'));
  assert.equal(res.diagnostics.map((d) => d.code), ['batch-job-definition-too-large']);
  assert.match(res.diagnostics[0].message, /^The job definition of step 'start' is \d+ bytes, more than Batch's 24576; move the step's script into the image\.$/);
});

test('the job definition limit applies to the compact JSON Batch counts, which the indented file may exceed', async () => {
  const { checkJobDefinitionSize, MAX_JOB_DEFINITION_BYTES } = await import('../../../targets/batch/limits.ts');
  const { createReporter } = await import('../../../diagnostics/report.ts');
  const step = (await irOf(flow(''), 'case.flow')).steps[0];
  const codes = (tags: number) => {
    const def: JobDefinition = { jobDefinitionName: 'F-start', type: 'container', tags: Object.fromEntries(Array.from({ length: tags }, (_, i) => [`k${i}`, 'v'])) };
    const diagnostics: Parameters<typeof createReporter>[0] = [];
    checkJobDefinitionSize(step, def, `${JSON.stringify(def, null, 2)}\n`, createReporter(diagnostics));
    return { compact: JSON.stringify(def).length, indented: JSON.stringify(def, null, 2).length, codes: diagnostics.map((d) => d.code) };
  };
  const within = codes(1500);
  assert.ok(within.indented > MAX_JOB_DEFINITION_BYTES && within.compact < MAX_JOB_DEFINITION_BYTES, JSON.stringify(within));
  assert.equal(within.codes, []);
  assert.equal(codes(2500).codes, ['batch-job-definition-too-large']);
});

test('@trigger: an EventBridge rule whose detail is the execution input', async () => {
  const res = build(await irOf(flow('', 'python "x = 1"', '@trigger(event: "data-ready")'), 'case.flow'));
  const trigger = JSON.parse(res.files.find((f) => f.path === 'triggers/F-data-ready.json')!.content);
  assert.equal(JSON.parse(trigger.Rule.EventPattern), { source: ['flowc'], 'detail-type': ['data-ready'] });
  assert.is(trigger.Targets.Targets[0].InputPath, '$.detail');
  const cfn = JSON.parse(build(await irOf(flow('', 'python "x = 1"', '@trigger(event: "data-ready")'), 'case.flow'), { format: 'cloudformation' }).stdout);
  assert.is(cfn.Resources.Trigger1.Type, 'AWS::Events::Rule');
  assert.ok(cfn.Parameters.EventsRoleArn);
});

test('history events: counted per execution along the longest path, a loop at its max; exact without a Choice', () => {
  const job = (next?: string): State => ({ Type: 'Task', Resource: SUBMIT_JOB_SYNC, Parameters: {}, ResultPath: null, ...(next ? { Next: next } : { End: true as const }) });
  const put = (next?: string): State => ({ Type: 'Task', Resource: S3_PUT_OBJECT, Parameters: {}, ResultPath: null, ...(next ? { Next: next } : { End: true as const }) });
  const once = () => 1;
  // Execution 2, job 6, Pass 2, Parallel 4 + its branches (6 + 5): 25; the failure path (a Catch) is not on it.
  const chain: StateList = {
    StartAt: 'a',
    States: {
      a: { ...job('b'), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'a.failed' }] } as State,
      b: { Type: 'Pass', Next: 'c' },
      c: { Type: 'Parallel', Branches: [{ StartAt: 'x', States: { x: job() } }, { StartAt: 'y', States: { y: put() } }], ResultPath: null, End: true },
      'a.failed': { Type: 'Fail', Error: 'E', Cause: 'c' },
    },
  };
  assert.equal(historyEvents(chain, once), { events: 25, exact: true });
  // A Choice: the longer case counts; a loop (d goes back to a) counts its states `repeat` times.
  const choice: StateList = {
    StartAt: 'a',
    States: {
      a: job('d'),
      d: { Type: 'Choice', Choices: [{ Variable: '$.v', NumericEquals: 1, Next: 'a' }, { Variable: '$.v', NumericEquals: 2, Next: 'long' }], Default: 'short' },
      long: job('long2'),
      long2: job(),
      short: job(),
    },
  };
  assert.equal(historyEvents(choice, once), { events: 2 + 6 + 2 + 12, exact: false });
  assert.equal(historyEvents(choice, (n) => (n === 'a' || n === 'd' ? 10 : 1)), { events: 2 + 60 + 20 + 12, exact: false });
});

test('a bounded loop that can exceed 25,000 history events is a warning naming it; a fixed count over it, an error-worthy message', async () => {
  const loop = readFileSync(join(testRoot, 'cases', 'check', 'ok', 'loop.flow'), 'utf8');
  const ok = build(await irOf(loop.replace('@loop(max: 5)', '@loop(max: 1000)'), 'loop.flow'));
  assert.equal(ok.diagnostics, []);
  const source = loop.replace('@loop(max: 5)', '@loop(max: 2000)');
  const res = build(await irOf(source, 'loop.flow'));
  assert.equal(res.diagnostics.map((d) => `${d.severity} ${d.code}: ${d.message}`), [
    "warning batch-history-too-long: An execution of state machine 'Retrain' can write up to 48030 events to its history (its longest case, every loop at its @loop max), more than Step Functions' 25000; a run that gets that far fails. To be safe, lower the @loop max of step 'evaluate' (2000) or make its loop shorter.",
  ]);
  assert.match(source.slice(res.diagnostics[0].start, res.diagnostics[0].end), /^@loop\(max: 2000\)\s+step evaluate \{/);
  assert.ok(res.files.length > 0, 'a warning: the build goes on');
  // A count without a Choice is exact: said so (no build makes one, since a split child holds a few thousand events).
  const ir = await irOf(flow(''), 'case.flow');
  const names = Array.from({ length: 4200 }, (_, i) => `s${i}`);
  const long: StateList = { StartAt: 's0', States: Object.fromEntries(names.map((n, i) => [n, { Type: 'Task', Resource: SUBMIT_JOB_SYNC, Parameters: {}, ResultPath: null, ...(i + 1 < names.length ? { Next: names[i + 1] } : { End: true }) } as State])) };
  const found: string[] = [];
  checkHistoryEvents(ir, 'F', long, (code, _span, message) => found.push(`${code}: ${message}`));
  assert.equal(found, ["batch-history-too-long: Every execution of state machine 'F' writes 25202 events to its history, more than Step Functions' 25000, and would fail there; move some of its steps into a flow of their own."]);
});

test('CloudFormation: a flow over one stack (1 MB, 500 resources) builds as nested stacks, each within both; a small one as one template', async () => {
  const small = build(await irOf(generateFlow('linear', 20), 'small.flow'), { format: 'cloudformation' });
  assert.equal(small.diagnostics, []);
  assert.equal(small.files.map((f) => f.path), ['Bench.cloudformation.json']);
  for (const [kind, n, files] of [
    ['linear', 160, ['Bench.cloudformation.json', 'Bench.jobdefs-1.cloudformation.json', 'Bench.statemachines-1.cloudformation.json']], // over 1 MB
    ['wide', 520, ['Bench.cloudformation.json', 'Bench.jobdefs-1.cloudformation.json', 'Bench.jobdefs-2.cloudformation.json', 'Bench.jobdefs-3.cloudformation.json', 'Bench.statemachines-1.cloudformation.json']], // over 500 resources
  ] as const) {
    const ir = await irOf(generateFlow(kind, n), `${kind}.flow`);
    const res = build(ir, { format: 'cloudformation' });
    assert.equal(res.diagnostics, [], kind);
    assert.equal(res.files.map((f) => f.path), files);
    const templates = res.files.map((f) => JSON.parse(f.content) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> });
    for (const [i, f] of res.files.entries()) {
      assert.ok(Buffer.byteLength(f.content) <= 1_000_000, `${f.path}: ${Buffer.byteLength(f.content)} bytes`);
      assert.ok(Object.keys(templates[i].Resources).length <= 500, f.path);
    }
    // The parent names every nested file; every job definition is in exactly one of them, as the JSON output has it.
    const parent = templates[0].Resources;
    assert.equal(Object.values(parent).filter((r) => r.Type === 'AWS::CloudFormation::Stack').map((r) => r.Properties.TemplateURL), files.slice(1));
    const json = build(ir);
    const jobdefs = json.files.filter((f) => f.path.startsWith('jobdefs/')).map((f) => JSON.parse(f.content) as JobDefinition);
    const nestedDefs = templates.slice(1).flatMap((t) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::Batch::JobDefinition'));
    assert.equal(nestedDefs.map((r) => r.Properties.JobDefinitionName).sort(), jobdefs.map((d) => d.jobDefinitionName).sort());
    // The state machines name their job definitions by name (DefinitionSubstitutions), as the JSON output does: every
    // variable is filled, and every step's job is submitted once. (The machines are split as the one-stack template's
    // are, by the size of their variables, so they may be cut elsewhere than the JSON output's.)
    const machines = templates.slice(1).flatMap((t) => Object.values(t.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine'));
    const submitted = machines.flatMap((m) => {
      let text = JSON.stringify(m.Properties.Definition);
      for (const [v, name] of Object.entries(m.Properties.DefinitionSubstitutions as Record<string, string>)) text = text.split(`\${${v}}`).join(name);
      assert.not.match(text, /\$\{/);
      return [...text.matchAll(/"JobDefinition":"([^"]+)"/g)].map((x) => x[1]);
    });
    assert.equal(submitted.sort(), jobdefs.map((d) => d.jobDefinitionName).sort());
    assert.equal(machines.map((m) => m.Properties.StateMachineName), ['Bench', ...json.files.filter((f) => f.path.startsWith('statemachines/')).map((f) => f.path.slice('statemachines/'.length, -'.asl.json'.length))]);
  }
});

test('batch-cloudformation-too-large: a template that no nesting brings within one stack', async () => {
  const ir = await irOf(flow(''), 'case.flow');
  const found: string[] = [];
  checkCloudFormationTemplate(ir, 'F.statemachines-1.cloudformation.json', 2, 'x'.repeat(1_000_001), (code, _span, message) => found.push(`${code}: ${message}`));
  checkCloudFormationTemplate(ir, 'F.cloudformation.json', 500, 'x'.repeat(1_000_000), (code, _span, message) => found.push(`${code}: ${message}`));
  assert.equal(found, [
    "batch-cloudformation-too-large: The CloudFormation template F.statemachines-1.cloudformation.json of flow 'F' has 1000001 bytes (at most 1000000, read from S3), more than one stack accepts, even in nested stacks; build with --format json and deploy with the AWS CLI (docs/targets.md, \"Deploying\").",
  ]);
});

test('every Batch code is in the catalogue with a summary, doc and example', () => {
  for (const [code, entry] of Object.entries(batchCodes)) {
    assert.ok(code.startsWith('batch-'), code);
    assert.is(lookupCode(code), entry);
    assert.ok(entry.summary.endsWith('.') && entry.doc.length > 20 && entry.example.length > 0, code);
  }
});

test.run();
