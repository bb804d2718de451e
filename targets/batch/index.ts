/**
 * The AWS Batch + Step Functions target: `buildBatch(ir, options)`.
 *
 * A visitor over the IR in its topological order: it resolves the settings (`flowc.yaml` `batch`), builds one
 * job definition per step that runs a container (job-definition.ts), the state machine (state-machine.ts), the
 * schedule and triggers (schedule.ts), checks AWS's limits (limits.ts), and serializes last (serialize.ts).
 * With `format: 'cloudformation'` the files are one template (cloudformation.ts).
 *
 * Pure: no IO, no clock, no environment. Invariant: parameter and artifact values never appear in anything this
 * target emits; they reach jobs through the datastore (`datastore: s3://...`) at run time.
 */
import type { FlowcConfig } from '../../compiler/config-types.ts';
import type { FlowIR, StepIR } from '../../compiler/ir.ts';
import { isError } from '../../diagnostics/types.ts';
import type { OutputFile, TargetOptions, TargetResult } from '../types.ts';
import { buildCloudFormation, buildNestedCloudFormation, jobDefinitionVariable } from './cloudformation.ts';
import { buildJobDefinition, type JobDefinition } from './job-definition.ts';
import { checkChildName, checkCloudFormationTemplate, checkContainerOverrides, cloudFormationExcess, checkHistoryEvents, checkJobDefinitionSize, checkStateMachineSize, checkStateNames, mayFitOneStack, SPLIT_BUDGET } from './limits.ts';
import { checkBatch } from './check.ts';
import { checkFlowOfIr } from '../check-flow.ts';
import { FLOW_STATES, jobDefinitionName, stateMachineName } from './names.ts';
import { queueOf } from './settings.ts';
import { createReporter } from '../../diagnostics/report.ts';
import type { Diagnostic } from '../../diagnostics/types.ts';
import { buildFinishTrigger, buildSchedule, buildTrigger, finishPattern, triggerPattern, type ScheduleDefinition, type TriggerDefinition } from './schedule.ts';
import { toJson } from './serialize.ts';
import { buildStateMachine, failurePathState } from './state-machine.ts';
import { splitStateMachine, type SplitResult } from './split.ts';
import { addNotifications } from './notify.ts';
import type { StateMachineDefinition } from './asl.ts';
import { parseS3Root, type S3Root } from './store.ts';

export { LOADER } from '../runtime/index.ts';

/**
 * Splits a flow's state machine into child state machines where it exceeds `budget` bytes (split.ts), then adds
 * the notifications of `batch.notify` to the root (notify.ts); the tests call it with a small budget to run a
 * split flow that stays small.
 */
export function splitFlowStateMachine(ir: FlowIR, definition: StateMachineDefinition, root: S3Root, sourceFile: string, budget = SPLIT_BUDGET, config: FlowcConfig = {}, inPlace = false): SplitResult {
  const name = stateMachineName(ir);
  const failureState = (state: string) => failurePathState(root, ir.name, state);
  const split = splitStateMachine(definition, {
    rootName: name,
    budget,
    pinned: Object.keys(definition.States).indexOf(FLOW_STATES.init) + 1,
    shared: failureState,
    comment: (child) => `flowc: part of flow '${ir.name}' from ${sourceFile}, run by state machine '${name}' (split to stay under 1 MB): ${child}`,
    inPlace,
  });
  // Notifications go into the root only, once it is split: the children's failures reach it (notify.ts).
  const notify = config.batch?.notify;
  if (notify) {
    addNotifications(split.root, { ir, root, topicArn: notify.snsTopicArn, on: notify.on ?? ['failure'], failurePath: failureState });
  }
  return split;
}

export function buildBatch(ir: FlowIR, options: TargetOptions): TargetResult {
  const diagnostics: Diagnostic[] = [];
  const report = createReporter(diagnostics);
  const config = options.config;
  const batch = config.batch ?? {};
  const platform = batch.platform ?? 'EC2';
  const format = options.format ?? 'json';
  const flowSpan = ir.source.span;

  const datastore = config.datastore?.startsWith('s3://') ? config.datastore : undefined;
  if (batch.s3Root !== undefined) {
    report(
      'batch-s3-root-deprecated',
      flowSpan,
      datastore
        ? `'batch.s3Root' is deprecated and ignored: runs keep everything in the datastore '${datastore}'.`
        : `'batch.s3Root' is deprecated: set 'datastore: ${batch.s3Root}' in flowc.yaml (or --datastore); it is used as the datastore for now.`,
    );
  }
  const rootUrl = datastore ?? batch.s3Root;
  let root: S3Root = { bucket: 'flowc-unset', prefix: '' };
  if (rootUrl === undefined) {
    report('batch-no-s3-root', flowSpan, `Flow '${ir.name}' needs a datastore in S3 on Batch; set 'datastore: s3://bucket/prefix' in flowc.yaml or pass --datastore.`);
  } else {
    const parsed = parseS3Root(rootUrl);
    if (parsed) root = parsed;
    else report('batch-invalid-s3-root', flowSpan, `The S3 root '${rootUrl}' is not a valid 's3://bucket/prefix' URL.`);
  }
  if (!batch.jobRoleArn) {
    report('batch-no-job-role', flowSpan, `Batch jobs of flow '${ir.name}' have no role to reach S3; set 'batch.jobRoleArn' in flowc.yaml.`);
  }
  if (platform === 'FARGATE' && (batch.sharedMemoryMiB !== undefined || batch.swapMiB !== undefined)) {
    report('batch-linux-parameters-fargate', flowSpan, `'batch.sharedMemory' and 'batch.swap' have no effect on Fargate (no linuxParameters there); the job definitions of flow '${ir.name}' leave them out.`);
  }
  const smName = stateMachineName(ir);
  checkBatch(checkFlowOfIr(ir), config, report);

  const running = ir.steps;
  const queues = new Map<string, string>();
  const jobDefinitions: { step: string; def: JobDefinition; text: string }[] = [];
  const ctx = { ir, config, platform, root, sourceFile: options.sourceFile, report } as const;
  /** Each step of a bounded loop → the loop's `max` (its task ids carry the iteration). */
  const loopMax = new Map(ir.steps.flatMap((s) => (s.loop ? s.loop.body.map((b): [string, number] => [b, s.loop!.max]) : [])));
  for (const step of running) {
    const queue = queueOf(step) ?? batch.jobQueue;
    if (queue === undefined || queue === null) {
      report('batch-no-job-queue', step.source.span, `Step '${step.name}' has no Batch job queue; set 'batch.jobQueue' in flowc.yaml or '@batch(queue: ...)' on the step.`);
    } else queues.set(step.name, queue);
    const def = buildJobDefinition(step, ctx);
    // Serialized once: the file's text, also what the size check measures.
    const text = toJson(def);
    checkJobDefinitionSize(step, def, text, report);
    checkContainerOverrides(step, report, loopMax.get(step.name));
    jobDefinitions.push({ step: step.name, def, text });
  }

  const cloudformation = format === 'cloudformation';
  const definition = buildStateMachine({
    ir,
    config,
    root,
    sourceFile: options.sourceFile,
    queueOf: (step: StepIR) => queues.get(step.name) ?? '',
    jobDefinitionRef: (step: StepIR) => (cloudformation ? jobDefinitionVariable(step.name) : jobDefinitionName(ir, step.name)),
  });
  // The definition is this build's own: cut in place.
  const split = splitFlowStateMachine(ir, definition, root, options.sourceFile, SPLIT_BUDGET, config, true);
  const machines = [{ name: smName, definition: split.root }, ...split.children];
  const texts = machines.map((m) => toJson(m.definition));
  machines.forEach((m, i) => {
    checkStateNames(ir, m.definition, report);
    if (i > 0) checkChildName(ir, m.name, report);
    checkStateMachineSize(ir, m.name, texts[i], split.oversized, report);
    checkHistoryEvents(ir, m.name, m.definition, report);
  });
  const definitionJson = texts[0];

  const schedule: ScheduleDefinition | null = ir.schedule ? buildSchedule(ir, ir.schedule, smName, report) : null;
  const triggers: { pattern: object; def: TriggerDefinition }[] = [
    ...ir.triggers.map((t) => ({ pattern: triggerPattern(t.event), def: buildTrigger(ir, t.event, smName, report) })),
    ...(ir.triggerOnFinish ?? []).map((up) => ({ pattern: finishPattern(stateMachineName({ name: up, project: ir.project })), def: buildFinishTrigger(ir, up, smName, report) })),
  ];

  if (diagnostics.some(isError)) return { files: [], stdout: '', diagnostics };

  if (cloudformation) {
    const input = { ir, config, sourceFile: options.sourceFile, stateMachineName: smName, definition: split.root, children: split.children, jobDefinitions, schedule, triggers };
    // The one-stack template holds every job definition and state machine as written above, indented deeper: when
    // those alone are over a quota, it is not built just to be measured.
    const least = jobDefinitions.reduce((sum, j) => sum + j.text.length, 0) + texts.reduce((sum, t) => sum + t.length, 0);
    if (mayFitOneStack(jobDefinitions.length + machines.length, least)) {
      const stack = buildCloudFormation(input);
      const template = toJson(stack);
      if (cloudFormationExcess(Object.keys(stack.Resources as object).length, template).length === 0) {
        return { files: [{ path: `${smName}.cloudformation.json`, content: template }], stdout: template, diagnostics };
      }
    }
    // Too large for one stack: nested stacks, the parent indented like the one-stack template, the nested ones compact.
    const layout = buildNestedCloudFormation(input, smName);
    const files = layout.map((f, i) => ({ path: f.path, content: i === 0 ? toJson(f.template) : `${JSON.stringify(f.template)}\n` }));
    layout.forEach((f, i) => checkCloudFormationTemplate(ir, f.path, Object.keys(f.template.Resources as object).length, files[i].content, report));
    if (diagnostics.some(isError)) return { files: [], stdout: '', diagnostics };
    // Printed only without --out (a large flow's is tens of MB), as for the JSON output.
    let printed: string | undefined;
    return {
      files,
      get stdout() {
        return (printed ??= toJson(Object.fromEntries(layout.map((f) => [f.path, f.template]))));
      },
      diagnostics,
    };
  }

  const files: OutputFile[] = [
    ...jobDefinitions.map(({ step, text }) => ({ path: `jobdefs/${step}.json`, content: text })),
    { path: 'statemachine.asl.json', content: definitionJson },
    ...split.children.map((c, i) => ({ path: `statemachines/${c.name}.asl.json`, content: texts[i + 1] })),
  ];
  if (schedule) files.push({ path: 'schedule.json', content: toJson(schedule) });
  for (const { def } of triggers) files.push({ path: `triggers/${def.Rule.Name}.json`, content: toJson(def) });
  // Only printed without --out: built when asked for (a 10,000-step flow's is tens of MB).
  let stdout: string | undefined;
  const printed = () =>
    toJson({
      stateMachine: { name: smName, ...(batch.stateMachineRoleArn ? { roleArn: batch.stateMachineRoleArn } : {}), definition: split.root },
      ...(split.children.length > 0
        ? { childStateMachines: split.children.map((c) => ({ name: c.name, ...(batch.stateMachineRoleArn ? { roleArn: batch.stateMachineRoleArn } : {}), definition: c.definition })) }
        : {}),
      jobDefinitions: jobDefinitions.map((j) => j.def),
      schedule,
      triggers: triggers.map((t) => t.def),
    });
  return {
    files,
    get stdout() {
      return (stdout ??= printed());
    },
    diagnostics,
  };
}
