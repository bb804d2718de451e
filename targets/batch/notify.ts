/**
 * Notifications on Step Functions (`batch.notify`, docs/targets.md "Notifications"): the root state machine
 * publishes the run's outcome to an SNS topic (`sns:publish`), a JSON message with the fields every target sends.
 *
 * Applied to the root state machine after it was split (split.ts), so that exactly one state machine, the one the
 * execution started, ever notifies:
 * - a job of the root's top level that fails goes, as always, through `<step>.failed` and `flowc.save-failure`
 *   (failure.json), which now continues to the notification before `flowc.fail`;
 * - a failure anywhere below the top level (a split branch, a foreach iteration, a child state machine) has
 *   already been recorded in failure.json by the failure path of its own scope, and ends that scope; the top-level
 *   state holding it (the Parallel, the Map, the launcher of a child) catches it and reads failure.json back
 *   (`flowc.read-failure`), so the message names the step and task that failed. When there is none (a failure
 *   outside any job), the caught error is recorded instead (`flowc.failure-unrecorded`, then failure.json), as
 *   for a failure of the state machine's own calls at the top level (storing the runtime, reading a case);
 * - with `success` in `on`, every end of the top level goes to the success notification first.
 * The children keep their failure paths as they are (save failure.json, fail): their failure reaches the root.
 * The message's namespace is the execution input's `flowc.namespace` when given (a run started by hand), else the
 * production namespace; a notification that cannot be sent (after retries) does not change the run's outcome.
 */
import { productionNamespace, type FlowIR } from '../../compiler/ir.ts';
import type { NotifyEvent } from '../../compiler/config-types.ts';
import { S3_GET_OBJECT, SNS_PUBLISH, START_EXECUTION_SYNC, type Catcher, type State, type StateMachineDefinition } from './asl.ts';
import { FLOW_STATES } from './names.ts';
import { failureKeyPath, S3_RETRY } from './state-machine.ts';
import { formatLiteral, type S3Root } from './store.ts';

export interface NotifyOptions {
  ir: FlowIR;
  root: S3Root;
  topicArn: string;
  on: NotifyEvent[];
  /** The state named `name` of the top level's failure path (`flowc.save-failure`, `flowc.fail`). */
  failurePath: (name: string) => State | null;
}

const SAVE_FAILURE = 'flowc.save-failure';
const FAIL = 'flowc.fail';
const READ_FAILURE = 'flowc.read-failure';
const UNRECORDED = 'flowc.failure-unrecorded';
const prefixOf = (event: NotifyEvent): string => `flowc.notify-${event}`;

/** Adds the notification states to the root state machine `def` (in place). */
export function addNotifications(def: StateMachineDefinition, opts: NotifyOptions): void {
  const { ir, root } = opts;
  const states = def.States;
  const top = Object.entries(states);
  if (opts.on.includes('failure')) {
    const notify = prefixOf('failure');
    const caught = (next: string): Catcher[] => [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: next }];
    for (const [name, state] of top) {
      const holds = state.Type === 'Parallel' || state.Type === 'Map' || (state.Type === 'Task' && state.Resource === START_EXECUTION_SYNC);
      if (holds) state.Catch = caught(READ_FAILURE);
      // The state machine's own calls once the run has an id (storing the runtime, reading a switch's case).
      else if (state.Type === 'Task' && !state.Catch && name !== SAVE_FAILURE && name !== FLOW_STATES.saveParams) state.Catch = caught(UNRECORDED);
    }
    for (const name of [SAVE_FAILURE, FAIL]) states[name] ??= opts.failurePath(name)!;
    // The record first; when it cannot be written, the notification still goes out.
    const save = states[SAVE_FAILURE] as { Next: string; Catch?: Catcher[] };
    save.Next = notify;
    save.Catch = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.unsaved', Next: notify }];
    states[READ_FAILURE] = {
      Type: 'Task',
      Comment: 'A failure below the top level (a split branch, a foreach iteration, a child state machine) was recorded in failure.json: read it back for the notification.',
      Resource: S3_GET_OBJECT,
      Parameters: { Bucket: root.bucket, 'Key.$': failureKeyPath(root, ir.name) },
      ResultSelector: { 'doc.$': 'States.StringToJson($.Body)' },
      ResultPath: '$.recorded',
      OutputPath: '$.recorded.doc',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.unread', Next: UNRECORDED }],
      Next: notify,
    };
    states[UNRECORDED] = {
      Type: 'Pass',
      Comment: 'No task recorded the failure (it happened outside any job): record the error the state machine caught.',
      Parameters: { step: '', task: '', 'run.$': '$.run', 'error.$': '$.failure.Error', 'cause.$': '$.failure.Cause' },
      Next: SAVE_FAILURE,
    };
    Object.assign(states, notification(opts, 'failure', FAIL));
  }
  if (opts.on.includes('success')) {
    const notify = prefixOf('success');
    for (const [, state] of top) {
      if ('End' in state && state.End === true) {
        delete state.End;
        (state as { Next?: string }).Next = notify;
      }
    }
    const done = `${notify}.done`;
    Object.assign(states, notification(opts, 'success', done));
    states[done] = { Type: 'Pass', Comment: 'The run succeeded (whether or not its notification could be sent).', End: true };
  }
}

/**
 * The states that publish one outcome's message, then go to `after`: a Choice on the execution input's
 * `flowc.namespace` (read from the context object, so the input, up to 256 KiB, is never copied into the payload),
 * the message (with that namespace, or the production one), the `sns:publish`, whose failure is caught (the run's
 * outcome stays its own).
 */
function notification(opts: NotifyOptions, event: NotifyEvent, after: string): Record<string, State> {
  const { ir } = opts;
  const p = prefixOf(event);
  const [given, production, publish] = [`${p}.user-namespace`, `${p}.production-namespace`, `${p}.publish`];
  const givenNamespace = '$$.Execution.Input.flowc.namespace';
  const run = formatLiteral(`${ir.name}/`);
  const failed = event === 'failure';
  const message = (namespace: Record<string, string>): Record<string, unknown> => ({
    'text.$': failed ? `States.Format('flowc: run ${run}{} failed at step {} (task {}): {}', $.run, $.step, $.task, $.error)` : `States.Format('flowc: run ${run}{} succeeded', $.run)`,
    flow: ir.name,
    'run.$': '$.run',
    status: failed ? 'Failed' : 'Succeeded',
    ...(failed ? { 'step.$': '$.step', 'task.$': '$.task', 'error.$': '$.error', 'cause.$': '$.cause' } : { step: null, task: null, error: null, cause: null }),
    ...namespace,
    engine: 'aws-batch',
  });
  return {
    [p]: {
      Type: 'Choice',
      Comment: `Notify SNS that the run ${failed ? 'failed' : 'succeeded'}, in the namespace the execution input names, else the production one.`,
      Choices: [{ Variable: givenNamespace, IsPresent: true, Next: given }],
      Default: production,
    },
    [given]: { Type: 'Pass', Parameters: message({ 'namespace.$': givenNamespace }), ResultPath: '$.notify', Next: publish },
    [production]: { Type: 'Pass', Parameters: message({ namespace: productionNamespace(ir) }), ResultPath: '$.notify', Next: publish },
    [publish]: {
      Type: 'Task',
      Resource: SNS_PUBLISH,
      Parameters: { TopicArn: opts.topicArn, 'Message.$': 'States.JsonToString($.notify)' },
      ResultPath: null,
      Retry: [S3_RETRY], // as the state machine's own S3 calls: a throttled or transient error
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.unsent', Next: after }],
      Next: after,
    },
  };
}
