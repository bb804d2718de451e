/**
 * AWS size and name limits only the build can measure (the names analysis can check are in `check.ts`). Each check reports against the
 * flow or the step responsible, with the measured size.
 *
 * Not applicable by design: array jobs (2-10,000 children) and `dependsOn` (at most 20) are not used, since
 * ordering and fan-out belong to the state machine; and no artifact value passes through the state payload
 * (256 KiB), only the run id, the task path and a switch value.
 */
import type { FlowIR, StepIR } from '../../compiler/ir.ts';
import { transitions, type State, type StateList } from './asl.ts';
import type { JobDefinition } from './job-definition.ts';
import { MAX_STATE_NAME, STATE_MACHINE_NAME } from './names.ts';
import type { Report } from '../../diagnostics/report.ts';
import { jsonBytes, utf8Length } from './serialize.ts';

export const MAX_STATE_MACHINE_BYTES = 1_048_576;
export const MAX_JOB_DEFINITION_BYTES = 24 * 1024;
const MAX_CONTAINER_OVERRIDES_CHARS = 8192;
/** Execution names are at most 80 characters; a foreach index is below 10^9. */
const WORST_RUN_ID = 'r'.repeat(80);
const WORST_INDEX = '.999999999';

export function checkStateNames(ir: FlowIR, list: StateList, report: Report): void {
  const visit = (states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      if ([...name].length > MAX_STATE_NAME) {
        const step = ir.steps.find((s) => name === s.name || name.startsWith(`${s.name}.`));
        report('batch-name-invalid', (step ?? ir).source.span, `The state name '${name}' is longer than ${MAX_STATE_NAME} characters; shorten step '${step?.name ?? name}'.`);
      }
      if (state.Type === 'Parallel') state.Branches.forEach((b) => visit(b.States));
      if (state.Type === 'Map') visit(state.ItemProcessor.States);
    }
  };
  visit(list.States);
}

/**
 * Batch counts a job definition as compact JSON. `text` is its file (the same JSON indented): never smaller, so
 * when the file is within the limit the definition is too, and it is not serialized a second time. A UTF-16 code
 * unit is at most 3 bytes of UTF-8, so a short text is not even measured.
 */
export function checkJobDefinitionSize(step: StepIR, def: JobDefinition, text: string, report: Report): void {
  if (text.length * 3 <= MAX_JOB_DEFINITION_BYTES || utf8Length(text) <= MAX_JOB_DEFINITION_BYTES) return;
  const size = jsonBytes(def);
  if (size > MAX_JOB_DEFINITION_BYTES) {
    report('batch-job-definition-too-large', step.source.span, `The job definition of step '${step.name}' is ${size} bytes, more than Batch's ${MAX_JOB_DEFINITION_BYTES}; move the step's script into the image.`, { data: { size } });
  }
}

/**
 * How many bytes of compact JSON the states of one state machine may take before the build splits it into child
 * state machines (targets/batch/split.ts): the files are indented, which can double the size (deeply nested branches), and a child adds its
 * own failure path and comment.
 */
export const SPLIT_BUDGET = 448 * 1024;

/** The size of one state machine as deployed (the file's text); `oversized` names regions no split could divide. */
export function checkStateMachineSize(ir: FlowIR, machine: string, definition: string, oversized: string[], report: Report): number {
  const size = utf8Length(definition);
  if (size > MAX_STATE_MACHINE_BYTES) {
    const why = oversized.length > 0 ? ` The region from state '${oversized[0]}' cannot be split into child state machines (a switch with its cases, or a loop, stays in one): make it smaller.` : '';
    report('batch-state-machine-too-large', ir.source.span, `The state machine '${machine}' of flow '${ir.name}' is ${size} bytes, more than Step Functions' ${MAX_STATE_MACHINE_BYTES}.${why}`, { data: { size } });
  }
  return size;
}

/** A child state machine's name (`<state machine>-part-<n>`) must be a valid state machine name. */
export function checkChildName(ir: FlowIR, name: string, report: Report): void {
  if (!STATE_MACHINE_NAME.test(name)) {
    report('batch-name-invalid', ir.source.span, `The child state machine name '${name}' is longer than 80 characters; shorten the flow's name or @project.`);
  }
}

/**
 * The largest `containerOverrides` a submission of this step can carry, measured as SubmitJob's JSON; a step of
 * a bounded loop's task id ends with `r` and its last iteration (`loopMax - 1`).
 */
export function checkContainerOverrides(step: StepIR, report: Report, loopMax?: number): number {
  const worst = {
    environment: [
      { name: 'FLOWC_RUN_ID', value: WORST_RUN_ID },
      { name: 'FLOWC_TASK_ID', value: `t${WORST_INDEX.repeat(step.foreachStack.length)}${loopMax ? `r${loopMax - 1}` : ''}` },
    ],
  };
  const size = JSON.stringify(worst).length;
  if (size > MAX_CONTAINER_OVERRIDES_CHARS) {
    report('batch-container-overrides-too-large', step.source.span, `The container overrides of step '${step.name}' can reach ${size} characters, more than Batch's ${MAX_CONTAINER_OVERRIDES_CHARS}.`, { data: { size } });
  }
  return size;
}

/** Step Functions' quota of events in the history of one execution (Standard workflows). */
const MAX_HISTORY_EVENTS = 25_000;

/**
 * The events a state writes to its execution's history when it runs and succeeds: a Task waiting for its job or
 * child execution (`.sync`) 6 (entered, scheduled, started, submitted, succeeded, exited), another Task 5, a
 * Parallel 4 besides its branches' states (they are in the same history), a distributed Map 6 whatever its items
 * (each item is a child execution with a history of its own), a Fail 1, a Pass or Choice 2.
 */
function ownEvents(state: State): number {
  switch (state.Type) {
    case 'Task':
      return /\.sync(:\d+)?$/.test(state.Resource) ? 6 : 5;
    case 'Parallel':
      return 4;
    case 'Map':
      return 6;
    case 'Fail':
      return 1;
    default:
      return 2;
  }
}


/**
 * The events of one execution of `list` (ExecutionStarted and its end included) along its longest path, a state
 * counted `repeat(name)` times (the `@loop` max of every loop it is in; the edge a loop goes back by is not
 * followed). `exact` when no Choice is on any path: then every successful execution writes exactly `events`.
 * Retries of throttled S3 requests add a few events each; a failed execution writes fewer than `events` plus the
 * failure path's 8.
 */
export function historyEvents(list: StateList, repeat: (state: string) => number): { events: number; exact: boolean } {
  let exact = true;
  const longestOf = (l: StateList): number => {
    const memo = new Map<string, number>();
    const onPath = new Set<string>();
    const longest = (name: string): number => {
      const known = memo.get(name);
      if (known !== undefined) return known;
      const state = l.States[name];
      if (!state) return 0;
      if (state.Type === 'Choice') exact = false;
      onPath.add(name);
      let own = ownEvents(state) * repeat(name);
      if (state.Type === 'Parallel') for (const b of state.Branches) own += longestOf(b);
      let rest = 0;
      // Not along a `Catch`: the failure path ends the execution in a few events.
      for (const next of transitions(state, false)) if (!onPath.has(next)) rest = Math.max(rest, longest(next));
      onPath.delete(name);
      memo.set(name, own + rest);
      return own + rest;
    };
    return longest(l.StartAt);
  };
  return { events: 2 + longestOf(list), exact };
}

/**
 * Each execution a state machine's runs make (its own, and one per item of each distributed Map, whose iterations
 * are child executions) against Step Functions' 25,000 history events. Decidable where no Choice is on the way (a
 * chain, splits, foreach: the count is fixed); with a switch or a bounded loop the check takes the longest case
 * and every loop at its `@loop` max, a bound a run may not reach, so it warns. Returns the largest count.
 */
export function checkHistoryEvents(ir: FlowIR, machine: string, definition: StateList, report: Report): number {
  const times = new Map<string, number>();
  for (const s of ir.steps) for (const b of s.loop?.body ?? []) times.set(b, (times.get(b) ?? 1) * s.loop!.max);
  const stepOf = (state: string): string => state.split('.')[0];
  const repeat = (state: string): number => times.get(stepOf(state)) ?? 1;
  let worst = 0;
  const check = (list: StateList, what: string): void => {
    const { events, exact } = historyEvents(list, repeat);
    worst = Math.max(worst, events);
    if (events > MAX_HISTORY_EVENTS) {
      const loops = ir.steps.filter((s) => s.loop && Object.keys(list.States).some((n) => s.loop!.body.includes(stepOf(n))));
      const span = (loops[0] ?? ir).source.span;
      const fix = loops.length > 0 ? `lower the @loop max of step '${loops[0].name}' (${loops[0].loop!.max}) or make its loop shorter` : 'move some of its steps into a flow of their own';
      const message = exact
        ? `Every execution of ${what} writes ${events} events to its history, more than Step Functions' ${MAX_HISTORY_EVENTS}, and would fail there; ${fix}.`
        : `An execution of ${what} can write up to ${events} events to its history (its longest case, every loop at its @loop max), more than Step Functions' ${MAX_HISTORY_EVENTS}; a run that gets that far fails. To be safe, ${fix}.`;
      report('batch-history-too-long', span, message, { data: { events, exact } });
    }
    visitMaps(list, (name, map) => check(map.ItemProcessor, `an iteration of foreach '${stepOf(name)}' (a child execution of '${machine}')`));
  };
  check(definition, `state machine '${machine}'`);
  return worst;
}

/** Calls `fn` for every Map state of `list`, inside splits too (not inside the Maps themselves). */
function visitMaps(list: StateList, fn: (name: string, map: Extract<State, { Type: 'Map' }>) => void): void {
  for (const [name, state] of Object.entries(list.States)) {
    if (state.Type === 'Map') fn(name, state);
    if (state.Type === 'Parallel') for (const b of state.Branches) visitMaps(b, fn);
  }
}

/** CloudFormation's quotas for one stack's template: resources, and the bytes of a template read from S3. */
const MAX_STACK_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1_000_000;

/**
 * Whether a template of `resources` resources, of which `leastBytes` bytes are known already (its resources as
 * written on their own, which the template only indents deeper), may fit one stack: false saves building it.
 */
export const mayFitOneStack = (resources: number, leastBytes: number): boolean => resources <= MAX_STACK_RESOURCES && leastBytes <= MAX_TEMPLATE_BYTES;

/** What a template has beyond one stack's quotas, as phrases (`501 resources (at most 500)`); empty when it fits. */
export function cloudFormationExcess(resources: number, text: string): string[] {
  const size = utf8Length(text);
  return [
    ...(resources > MAX_STACK_RESOURCES ? [`${resources} resources (at most ${MAX_STACK_RESOURCES})`] : []),
    ...(size > MAX_TEMPLATE_BYTES ? [`${size} bytes (at most ${MAX_TEMPLATE_BYTES}, read from S3)`] : []),
  ];
}

/**
 * A template of the nested layout against one stack's quotas. A flow that does not fit one stack is built as nested
 * stacks, each packed to fit (cloudformation.ts), so this fails only where no packing helps: one state machine region
 * that cannot be split, or a parent of more than 500 nested stacks.
 */
export function checkCloudFormationTemplate(ir: FlowIR, file: string, resources: number, text: string, report: Report): void {
  const over = cloudFormationExcess(resources, text);
  if (over.length === 0) return;
  report(
    'batch-cloudformation-too-large',
    ir.source.span,
    `The CloudFormation template ${file} of flow '${ir.name}' has ${over.join(' and ')}, more than one stack accepts, even in nested stacks; build with --format json and deploy with the AWS CLI (docs/targets.md, "Deploying").`,
    { data: { resources } },
  );
}
