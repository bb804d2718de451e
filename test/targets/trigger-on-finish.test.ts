/**
 * `@trigger_on_finish` end to end on both engines, without a cluster or AWS: the upstream flow runs (Argo
 * executor, aws-local-stepfunctions), the event its success produces is put through what the downstream flow's
 * manifests ask of the event router (test/targets/events.ts: the Argo Events EventSource's filters and the
 * Sensor's trigger; the EventBridge rule's pattern and input transformer), and the run that starts reads the
 * upstream run's id. A failed upstream run, or another flow's, starts nothing.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import type { FlowIR } from '../../compiler/ir.ts';
import { lower } from '../../compiler/lower.ts';
import { buildArgoManifests } from '../../targets/argo/index.ts';
import type { EventSource, Sensor, WorkflowTemplate } from '../../targets/argo/manifest-types.ts';
import { startS3 as startLocalS3, type LocalS3 } from '../helpers/s3.ts';
import { pythonPath } from '../python/helpers.ts';
import { executeWorkflow } from './argo/executor.ts';
import { buildOk, CONFIG } from './batch/helpers.ts';
import { awsSuite, runFlow, S3_ROOT } from './batch/local-batch.ts';
import { patternMatches, resourceEvents, sensorSubmissions, transformInput } from './events.ts';

const upstreamText = `@project(name: "ml")
flow Ingest {
  image "python:3.12-slim"
  step start {
    out rows: int
    sh "rows=3"
    next end
  }
  step end {}
}
`;
const downstreamText = `@project(name: "ml")
@trigger_on_finish(flow: "Ingest")
flow Train {
  image "python:3.12-slim"
  step start {
    in upstream_run
    out source: string
    python "source = upstream_run or 'manual'"
    next end
  }
  step end {}
}
`;
const irOf = (text: string, file: string): FlowIR => lower(analyze(text, { file, config: {} }))[0];

const argo = suite<{ s3: LocalS3 }>('@trigger_on_finish on Argo');
argo.before(async (ctx) => {
  ctx.s3 = await startLocalS3(['flowc-tof']);
});
argo.after(async (ctx) => {
  await ctx.s3?.close();
});

argo('the upstream Workflow that succeeded passes the EventSource and Sensor; the run they submit reads its name', async ({ s3 }) => {
  const config = { datastore: 's3://flowc-tof/store' };
  const env = { PATH: pythonPath(), HOME: tmpdir(), ...s3.env };
  const up = buildArgoManifests(irOf(upstreamText, 'ingest.flow'), { config, sourceFile: 'ingest.flow' }).manifests[0] as WorkflowTemplate;
  const down = buildArgoManifests(irOf(downstreamText, 'train.flow'), { config, sourceFile: 'train.flow' }).manifests;
  const template = down.find((m) => m.kind === 'WorkflowTemplate') as WorkflowTemplate;
  const source = down.find((m) => m.kind === 'EventSource') as EventSource;
  const sensor = down.find((m) => m.kind === 'Sensor') as Sensor;

  // A run of the upstream template, as `argo submit --from workflowtemplate/ingest` creates it.
  const upRun = await executeWorkflow({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', metadata: { generateName: 'ingest-' }, spec: { workflowTemplateRef: { name: up.metadata.name } } }, {
    workdir: mkdtempSync(join(tmpdir(), 'flowc-tof-')),
    name: 'ingest-x7k2p',
    templates: { [up.metadata.name!]: up },
    env,
  });
  assert.is(upRun.phase, 'Succeeded', upRun.message);
  // The Workflow object as Argo keeps it: the template's workflowMetadata labels, and the phase Argo labels it with.
  const workflowObject = (phase: string, labels = up.spec.workflowMetadata!.labels!) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name: upRun.name, labels: { ...labels, 'workflows.argoproj.io/phase': phase, 'workflows.argoproj.io/completed': 'true' } },
    spec: { workflowTemplateRef: { name: up.metadata.name } },
  });
  const change = (object: Record<string, unknown>) => ({ type: 'UPDATE' as const, group: 'argoproj.io', version: 'v1alpha1', resource: 'workflows', object });

  const events = resourceEvents(source, change(workflowObject(upRun.phase)));
  assert.is(events.length, 1);
  const [submitted, ...more] = sensorSubmissions(sensor, events[0]);
  assert.is(more.length, 0);
  // Neither a failed run of the upstream flow nor a run of another flow sends an event.
  assert.equal(resourceEvents(source, change(workflowObject('Failed'))), []);
  assert.equal(resourceEvents(source, change(workflowObject('Succeeded', { ...up.spec.workflowMetadata!.labels!, 'flowc.dev/flow': 'other' }))), []);

  const run = await executeWorkflow(submitted, { workdir: mkdtempSync(join(tmpdir(), 'flowc-tof-')), name: 'train-q9w3e', templates: { [template.metadata.name!]: template }, env });
  assert.is(run.phase, 'Succeeded', `${run.message}\n${run.pods.map((p) => p.stderr.slice(-400)).join('\n')}`);
  const rec = await s3.client.send(new GetObjectCommand({ Bucket: 'flowc-tof', Key: 'store/runs/Train/train-q9w3e/tasks/start/0.json' }));
  const outputs = (JSON.parse(await rec.Body!.transformToString()) as { outputs: Record<string, { value?: unknown }> }).outputs;
  assert.is(outputs.source.value, 'ingest-x7k2p');
  assert.equal(s3.refused, []);
});

const aws = awsSuite('@trigger_on_finish on AWS');

aws('the upstream execution SUCCEEDED event matches the EventBridge rule; the execution it starts reads the upstream run id', async ({ aws }) => {
  const upIr = irOf(upstreamText, 'ingest.flow');
  // The upstream state machine's name, as its CloudFormation template creates it.
  const cfn = JSON.parse(buildOk(upIr, { config: { ...CONFIG, datastore: S3_ROOT }, format: 'cloudformation' }).stdout);
  const machine = cfn.Resources.StateMachine.Properties.StateMachineName as string;
  const up = await runFlow(aws, upIr, {}, { runId: 'ingest-exec-1' });
  assert.is(up.status, 'SUCCEEDED', up.error);

  // The event Step Functions sends to EventBridge when an execution's status changes.
  const event = (status: string, stateMachine = machine) => ({
    version: '0',
    id: '315c1398-40ff-a850-213b-158f73e60175',
    'detail-type': 'Step Functions Execution Status Change',
    source: 'aws.states',
    account: '123456789012',
    time: '2026-12-06T05:00:00Z',
    region: 'us-east-1',
    resources: [`arn:aws:states:us-east-1:123456789012:execution:${stateMachine}:ingest-exec-1`],
    detail: {
      executionArn: `arn:aws:states:us-east-1:123456789012:execution:${stateMachine}:ingest-exec-1`,
      stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${stateMachine}`,
      name: 'ingest-exec-1',
      status,
      startDate: 1796446800000,
      stopDate: 1796446810000,
      input: '{}',
      output: null,
    },
  });
  const downIr = irOf(downstreamText, 'train.flow');
  const trigger = buildOk(downIr, { config: { ...CONFIG, datastore: S3_ROOT } }).files.find((f) => f.path.startsWith('triggers/'))!;
  const rule = JSON.parse(trigger.content) as { Rule: { EventPattern: string }; Targets: { Targets: { InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string } }[] } };
  const pattern = JSON.parse(rule.Rule.EventPattern);
  assert.ok(patternMatches(pattern, event(up.status)));
  assert.not.ok(patternMatches(pattern, event('FAILED')));
  assert.not.ok(patternMatches(pattern, event('SUCCEEDED', `${machine}-other`)));

  const input = JSON.parse(transformInput(rule.Targets.Targets[0].InputTransformer, event(up.status))) as Record<string, unknown>;
  const down = await runFlow(aws, downIr, input, { runId: 'train-exec-1' });
  assert.is(down.status, 'SUCCEEDED', down.error);
  assert.is(await down.output('start', 'source'), 'ingest-exec-1');
});

argo.run();
aws.run();
