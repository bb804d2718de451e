/**
 * The Step Functions state machine (Amazon States Language) that runs a flow on Batch.
 *
 * The state payload is only `{ run, path }` (the run id and the task's path) plus, right after a switch step,
 * the index of the case it took. Artifacts never pass through the payload: every job runs the task runtime
 * (docs/targets.md), which keeps them in the datastore, and every job task discards its result (`ResultPath: null`).
 *
 * Layout, in order:
 * - `flowc.check-params` (when some parameter is required): a Choice that fails the execution with
 *   `flowc.MissingParameter` when the execution input lacks one (a resume, `{"flowc": {"origin": RUN}}`, skips it);
 * - `flowc.save-params`: writes the execution input to `runs/<Flow>/<run>/input.json`, read by the first task;
 * - `flowc.init`: a Pass that sets `{ run: <execution name>, path: "t" }` (these first states stay in the state
 *   machine the execution started, whose name is the run id, when a large one is split: split.ts);
 * - `flowc.save-runtime`, `flowc.save-flow-<n>`: store the packed task runtime and the run information (IR, step
 *   hashes) in the datastore as content-addressed objects (the same bytes every time: idempotent), since a job
 *   definition has no room for them; the run information is compressed and cut in parts that each fit a task's
 *   input (256 KiB), the last state storing the index of the parts (`RunInfo.objects`);
 * - then the steps from `start`, visited along `next` (each step once per scope):
 *   - every step: a `batch:submitJob.sync` Task named after the step; `@retry`, `@timeout` and `@catch` are
 *     handled by the runtime inside the job; a failed job goes to `<step>.failed` (a Pass that names the step and
 *     task), then to its scope's failure path (`failurePath`), which records `runs/<Flow>/<run>/failure.json` (for
 *     jobs that died without the runtime noticing) and fails the run;
 *   - a split: a Parallel `<step>.split`, one branch per `next` target, each running up to the join;
 *   - a foreach: a distributed Map `<step>.foreach` whose ItemReader reads the element indices the runtime wrote
 *     (`runs/<Flow>/<run>/routes/<step>/<path>.json`) and whose iterations run up to the join with `path`
 *     extended by the element's index;
 *   - a switch: `<step>.read-switch` (S3 GetObject of the case index in the same place) and a Choice
 *     `<step>.switch`; the cases run up to the step where they reconverge; a case going back in a bounded loop
 *     (`@loop(max: N)`) passes through `<step>.loop-next` / `-check`, which count the iteration in
 *     `$.loop_<step>.n` (0 from where the scope starts: `flowc.init`, a foreach's items) and fail the execution
 *     with `flowc.LoopLimit` (`<step>.loop-limit`) rather than start iteration N+1 (the job of the switching step
 *     already refuses to go back then). The jobs of a loop's steps get the iteration after their task path
 *     (`t.1r2`), so each iteration keeps its own task records.
 */
import type { FlowcConfig } from '../../compiler/config-types.ts';
import type { FlowIR, StepIR } from '../../compiler/ir.ts';
import {
  S3_GET_OBJECT,
  S3_ITEM_READER,
  S3_PUT_OBJECT,
  SUBMIT_JOB_SYNC,
  type Retrier,
  type State,
  type StateList,
  type StateMachineDefinition,
} from './asl.ts';
import { RUNTIME_ZIP_BASE64, RUNTIME_ZIP_SHA256, runInfo } from '../runtime/index.ts';
import { FLOW_STATES, helperState, jobDefinitionName, saveFlowState } from './names.ts';
import { formatLiteral, ROOT_PATH, type S3Root } from './store.ts';
import { foreachMaxWorkers } from '../workers.ts';

export interface StateMachineContext {
  ir: FlowIR;
  config: FlowcConfig;
  root: S3Root;
  sourceFile: string;
  /** The job queue of a step (already checked to exist). */
  queueOf: (step: StepIR) => string;
  /** How a Task names a step's job definition: its name, or a CloudFormation substitution. */
  jobDefinitionRef: (step: StepIR) => string;
}

/** The payload of a job submission besides the fixed names: what varies per task (`taskId`: the path of the task id). */
const containerOverrides = (taskId = '$.path') => ({
  Environment: [
    { Name: 'FLOWC_RUN_ID', 'Value.$': '$.run' },
    { Name: 'FLOWC_TASK_ID', 'Value.$': taskId },
  ],
});

/** The counter of a bounded loop's iterations in the state payload. */
const loopCounter = (loop: string): string => `$.loop_${loop}`;
/** Where each scope starts the counters of the loops directly in it (`flowc.init`, a foreach's ItemSelector). */
const loopCounters = (loops: StepIR[]): Record<string, { n: number }> => Object.fromEntries(loops.map((l) => [`loop_${l.name}`, { n: 0 }]));

/** The datastore key of a content-addressed object. */
const objectKeyIn = (root: S3Root, sha: string): string => [root.prefix, 'objects', sha.slice(0, 2), sha].filter(Boolean).join('/');

/** Retries of the Batch API itself (throttling, transient errors), on every job task. */
const API_RETRY: Retrier = { ErrorEquals: ['Batch.AWSBatchException', 'Batch.TooManyRequestsException'], IntervalSeconds: 5, MaxAttempts: 5, BackoffRate: 2 };
/** Retries of the S3 calls the state machine makes itself. */
export const S3_RETRY: Retrier = { ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 };

/**
 * The failure path the `<step>.failed` Passes of one scope go to (state names are unique across a state machine,
 * nested scopes included, so each scope has its own): `<prefix>.save-failure` writes the record the Pass made to
 * `runs/<Flow>/<run>/failure.json`, then `<prefix>.fail` fails the execution with `flowc.TaskFailed`. The prefix is
 * `flowc` at the top level and the first step of a nested scope (a split branch, a foreach iteration).
 */
/** The `Key.$` of the run's `failure.json` (the run id is `$.run` in the state's input). */
export const failureKeyPath = (root: S3Root, flow: string): string =>
  `States.Format('${formatLiteral(`${[root.prefix, 'runs', flow].filter(Boolean).join('/')}/`)}{}/failure.json', $.run)`;

function failurePath(root: S3Root, flow: string, prefix: string): Record<string, State> {
  const [save, fail] = failureStates(prefix);
  return {
    [save]: {
      Type: 'Task',
      Comment: 'A job failed: record which task and why in failure.json (the runtime may not have recorded it), then fail the run.',
      Resource: S3_PUT_OBJECT,
      Parameters: { Bucket: root.bucket, 'Key.$': failureKeyPath(root, flow), 'Body.$': 'States.JsonToString($)' },
      ResultPath: null,
      Retry: [S3_RETRY],
      Next: fail,
    },
    [fail]: { Type: 'Fail', Error: 'flowc.TaskFailed', Cause: "A task failed; failure.json in the run's folder of the datastore names it, and its task record says why." },
  };
}

/** The state named `name` when it belongs to a failure path (`failurePath`), else null. */
export function failurePathState(root: S3Root, flow: string, name: string): State | null {
  const dot = name.lastIndexOf('.');
  if (dot < 0) return null;
  const role = name.slice(dot + 1);
  return role === 'save-failure' || role === 'fail' ? failurePath(root, flow, name.slice(0, dot))[name] : null;
}

const failureStates = (prefix: string): [string, string] => [`${prefix}.save-failure`, `${prefix}.fail`];

export function buildStateMachine(ctx: StateMachineContext): StateMachineDefinition {
  const { ir } = ctx;
  const byName = new Map(ir.steps.map((s) => [s.name, s]));
  const base = [ctx.root.prefix, 'runs', ir.name].filter(Boolean).join('/');
  const runKey = (path: string) => `States.Format('${formatLiteral(`${base}/`)}{}/${formatLiteral(path)}', $$.Execution.Name)`;
  /** Each step of a bounded loop → its switching step; the task id of such a step carries the iteration (`t.1r2`). */
  const loopOf = new Map<string, string>();
  for (const s of ir.steps) for (const b of s.loop?.body ?? []) loopOf.set(b, s.name);
  // The bounded loops by the foreach they run in (undefined: the top level), found once: each foreach asks.
  const loopsByScope = new Map<string | undefined, StepIR[]>();
  for (const s of ir.steps) {
    if (!s.loop) continue;
    const scope = s.foreachStack.at(-1);
    const list = loopsByScope.get(scope);
    if (list) list.push(s);
    else loopsByScope.set(scope, [s]);
  }
  const loopsIn = (scope: string | undefined): StepIR[] => loopsByScope.get(scope) ?? [];
  const taskIdOf = (step: string): string => {
    const loop = loopOf.get(step);
    return loop === undefined ? '$.path' : `States.Format('{}r{}', $.path, ${loopCounter(loop)}.n)`;
  };
  const routeKey = (step: string) =>
    loopOf.has(step)
      ? `States.Format('${formatLiteral(`${base}/`)}{}/routes/${formatLiteral(step)}/{}r{}.json', $.run, $.path, ${loopCounter(loopOf.get(step)!)}.n)`
      : `States.Format('${formatLiteral(`${base}/`)}{}/routes/${formatLiteral(step)}/{}.json', $.run, $.path)`;
  const info = runInfo(ir, ctx.sourceFile);

  const states: Record<string, State> = {};
  const required = ir.params.filter((p) => p.required);
  let startAt: string = FLOW_STATES.saveParams;
  if (required.length > 0) {
    startAt = FLOW_STATES.checkParams;
    states[FLOW_STATES.checkParams] = {
      Type: 'Choice',
      Comment: 'Fail early when a required parameter is missing from the execution input (a resume takes the origin run\'s).',
      Choices: [
        { Variable: '$.flowc.origin', IsPresent: true as const, Next: FLOW_STATES.saveParams },
        ...required.map((p) => ({ Not: { Variable: `$.${p.name}`, IsPresent: true as const }, Next: FLOW_STATES.missingParam })),
      ],
      Default: FLOW_STATES.saveParams,
    };
    states[FLOW_STATES.missingParam] = {
      Type: 'Fail',
      Error: 'flowc.MissingParameter',
      Cause: `The execution input must give every required parameter: ${required.map((p) => p.name).join(', ')}.`,
    };
  }
  states[FLOW_STATES.saveParams] = {
    Type: 'Task',
    Comment: 'Store the execution input (parameters, run options) where the first task reads it.',
    Resource: S3_PUT_OBJECT,
    Parameters: { Bucket: ctx.root.bucket, 'Key.$': runKey('input.json'), 'Body.$': 'States.JsonToString($)' },
    ResultPath: null,
    Retry: [S3_RETRY],
    Next: FLOW_STATES.init,
  };
  states[FLOW_STATES.init] = {
    Type: 'Pass',
    Comment: 'The run id is the execution name; the top-level task path is "t".',
    Parameters: { 'run.$': '$$.Execution.Name', path: ROOT_PATH, ...loopCounters(loopsIn(undefined)) },
    Next: FLOW_STATES.saveRuntime,
  };
  states[FLOW_STATES.saveRuntime] = {
    Type: 'Task',
    Comment: 'Store the packed task runtime (base64) in the datastore, where the jobs load it from.',
    Resource: S3_PUT_OBJECT,
    Parameters: { Bucket: ctx.root.bucket, Key: objectKeyIn(ctx.root, RUNTIME_ZIP_SHA256), Body: RUNTIME_ZIP_BASE64 },
    ResultPath: null,
    Retry: [S3_RETRY],
    Next: saveFlowState(0),
  };
  // The run information in parts (each within a task input's 256 KiB), then the index that names them.
  info.objects.forEach((object, i) => {
    const last = i === info.objects.length - 1;
    states[saveFlowState(i)] = {
      Type: 'Task',
      ...(i === 0 ? { Comment: 'Store the run information (IR, step hashes) that the first task writes as ir.json and run.json: its parts, then their index.' } : {}),
      Resource: S3_PUT_OBJECT,
      Parameters: { Bucket: ctx.root.bucket, Key: objectKeyIn(ctx.root, object.sha), Body: object.text },
      ResultPath: null,
      Retry: [S3_RETRY],
      Next: last ? 'start' : saveFlowState(i + 1),
    };
  });

  /** The prefix of each scope's failure path (see `failurePath`). */
  const scopePrefix = new WeakMap<Record<string, State>, string>([[states, 'flowc']]);
  /** A scope whose steps go to its failure path gets it. */
  function addFailurePath(scope: Record<string, State>): void {
    const prefix = scopePrefix.get(scope)!;
    if (Object.values(scope).some((s) => 'Next' in s && s.Next === failureStates(prefix)[0])) Object.assign(scope, failurePath(ctx.root, ir.name, prefix));
  }

  /** A step's job Task (or Pass when it has nothing to do), continuing to `next` (null: end of the scope). */
  function addStep(step: StepIR, next: string | null, scope: Record<string, State>): void {
    const link = next === null ? { End: true as const } : { Next: next };
    const failed = helperState(step.name, 'failed');
    scope[step.name] = {
      Type: 'Task',
      Resource: SUBMIT_JOB_SYNC,
      Parameters: {
        JobName: jobDefinitionName(ctx.ir, step.name),
        JobDefinition: ctx.jobDefinitionRef(step),
        JobQueue: ctx.queueOf(step),
        // A multi-node parallel job takes its overrides per node range; every node gets the same variables.
        ...(step.parallel
          ? { NodeOverrides: { NodePropertyOverrides: [{ TargetNodes: '0:', ContainerOverrides: containerOverrides(taskIdOf(step.name)) }] } }
          : { ContainerOverrides: containerOverrides(taskIdOf(step.name)) }),
      },
      ResultPath: null,
      Retry: [API_RETRY],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: failed }],
      ...link,
    };
    scope[failed] = {
      Type: 'Pass',
      Parameters: { step: step.name, 'task.$': taskIdOf(step.name), 'run.$': '$.run', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
      Next: failureStates(scopePrefix.get(scope)!)[0],
    };
  }

  /**
   * Adds the states from step `name` up to (not including) step `stop`, the last ones continuing to state
   * `after` (null: they end the scope). Returns the entry state, or `after` when `name` is `stop`.
   * Each step is added once per scope (cases of a switch may share steps).
   * Iterative along the chain of steps (a 10,000-step flow must not exhaust the stack); it recurses only into
   * nested scopes (split branches, foreach bodies, switch cases).
   */
  function emit(first: string, stop: string | null, after: string | null, scope: Record<string, State>): string | null {
    if (first === stop) return after;
    for (let name: string | null = first; name !== null && name !== stop && !scope[name]; ) {
      name = emitStep(name, stop, after, scope);
    }
    return first;
  }

  /** Adds the states of step `name` (and its nested scopes); returns the step the chain continues with, or null. */
  function emitStep(name: string, stop: string | null, after: string | null, scope: Record<string, State>): string | null {
    const step = byName.get(name);
    if (!step) throw new Error(`The IR has no step '${name}'.`);
    const cont = (to: string): string | null => (to === stop ? after : to);
    const next = step.next;
    switch (next.kind) {
      case 'end':
        addStep(step, after, scope);
        return null;
      case 'linear':
        addStep(step, cont(next.to), scope);
        return next.to;
      case 'split': {
        const split = helperState(name, 'split');
        addStep(step, split, scope);
        scope[split] = {
          Type: 'Parallel',
          Comment: `Split: ${next.to.map((t) => `'${t}'`).join(', ')} run in parallel, joined by '${next.join}'.`,
          Branches: next.to.map((to) => subScope(to, next.join, null, `${name}.branch-${to}`)),
          ResultPath: null,
          ...(cont(next.join) === null ? { End: true as const } : { Next: cont(next.join)! }),
        };
        return next.join;
      }
      case 'foreach': {
        const map = helperState(name, 'foreach');
        addStep(step, map, scope);
        const done = helperState(name, 'task-done');
        const iteration = subScope(next.to, next.join, done, done);
        iteration.States[done] = { Type: 'Pass', Comment: 'Each iteration returns {}: results stay in S3.', Result: {}, End: true };
        scope[map] = {
          Type: 'Map',
          Comment: `Foreach: one '${next.to}' task per element of '${next.list}' (the indices are read from S3), joined by '${next.join}'.`,
          ItemReader: {
            Resource: S3_ITEM_READER,
            ReaderConfig: { InputType: 'JSON' },
            Parameters: { Bucket: ctx.root.bucket, 'Key.$': routeKey(name) },
          },
          ItemSelector: { 'run.$': '$.run', 'path.$': "States.Format('{}.{}', $.path, $$.Map.Item.Index)", ...loopCounters(loopsIn(name)) },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...iteration },
          MaxConcurrency: foreachMaxWorkers(ir, step, ctx.config),
          ResultPath: null,
          ...(cont(next.join) === null ? { End: true as const } : { Next: cont(next.join)! }),
        };
        return next.join;
      }
      case 'switch': {
        const read = helperState(name, 'read-switch');
        const choice = helperState(name, 'switch');
        addStep(step, read, scope);
        scope[read] = {
          Type: 'Task',
          Comment: `Read the index of the case that '${name}' took (switching on '${next.on}').`,
          Resource: S3_GET_OBJECT,
          Parameters: { Bucket: ctx.root.bucket, 'Key.$': routeKey(name) },
          ResultSelector: { 'value.$': 'States.StringToJson($.Body)' },
          ResultPath: '$.switch',
          Retry: [S3_RETRY],
          Next: choice,
        };
        const choiceState: State = { Type: 'Choice', Comment: `Switch on '${next.on}': exactly one case runs.`, Choices: [] };
        scope[choice] = choiceState;
        const reconverges = next.merge !== stop && byName.has(next.merge);
        const caseStop = reconverges ? next.merge : stop;
        const caseAfter = reconverges ? next.merge : after;
        const target = (to: string): string => {
          const entry = emit(to, caseStop, caseAfter, scope);
          if (entry !== null) return entry;
          const doneState = helperState(name, 'no-case');
          scope[doneState] = { Type: 'Pass', End: true };
          return doneState;
        };
        const caseTarget = (to: string): string => (step.loop?.body.includes(to) ? loopBack(step, to, scope) : target(to));
        next.cases.forEach((c, i) => choiceState.Choices.push({ Variable: '$.switch.value.case', NumericEquals: i, Next: caseTarget(c.to) }));
        if (next.default !== null) choiceState.Default = caseTarget(next.default);
        return reconverges ? next.merge : null;
      }
    }
  }

  /**
   * A switch case going back in a bounded loop: counts the iteration in `$.loop_<step>.n` (0 on the first), fails
   * the execution with `flowc.LoopLimit` when the loop would run more than `max` times, and goes on to the step
   * it goes back to (already in this scope, before the switching step).
   */
  function loopBack(step: StepIR, to: string, scope: Record<string, State>): string {
    const loop = step.loop!;
    const counter = loopCounter(step.name);
    const [more, check, limit] = (['loop-next', 'loop-check', 'loop-limit'] as const).map((r) => helperState(step.name, r));
    scope[more] = { Type: 'Pass', Comment: `The loop of '${step.name}' goes back to '${to}': count the iteration.`, Parameters: { 'n.$': `States.MathAdd(${counter}.n, 1)` }, ResultPath: counter, Next: check };
    scope[check] = {
      Type: 'Choice',
      Comment: `@loop(max: ${loop.max}): the steps of the loop run at most ${loop.max} times.`,
      Choices: [{ Variable: `${counter}.n`, NumericGreaterThanEquals: loop.max, Next: limit }],
      Default: to,
    };
    scope[limit] = {
      Type: 'Fail',
      Error: 'flowc.LoopLimit',
      Cause: `Step '${step.name}' went back to '${to}' after ${loop.max} iteration${loop.max === 1 ? '' : 's'} of its loop, but @loop(max: ${loop.max}) allows at most ${loop.max}.`,
    };
    return more;
  }

  function subScope(from: string, stop: string, after: string | null, emptyName: string): StateList {
    const scope: Record<string, State> = {};
    scopePrefix.set(scope, from);
    let entry = emit(from, stop, after, scope);
    if (entry === null) {
      entry = emptyName;
      scope[emptyName] = { Type: 'Pass', End: true };
    }
    addFailurePath(scope);
    return { StartAt: entry, States: scope };
  }

  emit('start', null, null, states);
  addFailurePath(states);
  return { Comment: `flowc: flow '${ir.name}' from ${ctx.sourceFile}`, StartAt: startAt, States: states };
}
