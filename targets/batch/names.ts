/**
 * Names of the AWS objects the Batch target creates, and AWS's rules for them.
 *
 * - State machine: `<project>-<Flow>` (or `<Flow>`), at most 80 characters of letters, digits, `-` and `_`.
 * - Job definition and job: `<state machine name>-<step>`, at most 128 characters of letters, digits, `-`
 *   and `_`, starting with a letter or digit.
 * - States: the step's own name for its job; helper states are `<step>.<role>` (step names are identifiers, so
 *   they never contain a dot and cannot collide), and flow-level helpers are `flowc.<role>`. At most 80 characters.
 */
export const STATE_MACHINE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
export const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** What the names are made of: a flow's name and `@project` (an IR, or the flow analysis checks). */
type Named = { name: string; project: string | null };
export const MAX_STATE_NAME = 80;

export function stateMachineName(flow: Named): string {
  return flow.project ? `${flow.project}-${flow.name}` : flow.name;
}

export function jobDefinitionName(flow: Named, step: string): string {
  return `${stateMachineName(flow)}-${step}`;
}

/** Helper states around a step's job. */
export const helperState = (
  step: string,
  role:
    | 'split'
    | 'foreach'
    | 'read-switch'
    | 'switch'
    | 'failed'
    | 'task-done'
    | 'no-case'
    | 'loop-next'
    | 'loop-check'
    | 'loop-limit',
): string =>
  `${step}.${role}`;

/** Flow-level helper states. */
export const FLOW_STATES = {
  checkParams: 'flowc.check-params',
  missingParam: 'flowc.missing-parameter',
  saveRuntime: 'flowc.save-runtime',
  saveParams: 'flowc.save-params',
  init: 'flowc.init',
} as const;

/** The state that stores object `i` of the run information (its parts, then their index). */
export const saveFlowState = (i: number): string => `flowc.save-flow-${i + 1}`;

/** The child state machines of a state machine split to stay under 1 MB: `<state machine>-part-<n>`, n from 1. */
export const childMachineName = (root: string, n: number): string => `${root}-part-${n}`;

/** The state that runs child state machine `n` and waits for it. */
export const launcherState = (n: number): string => `flowc.run-part-${n}`;

/** CloudFormation logical ids: alphanumeric only. `start` → `JobDefinitionStart`. */
export function logicalId(prefix: string, name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return prefix + words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
}
