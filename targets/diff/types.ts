/**
 * The result of `diffFlows`: what a change to a `.flow` file does to each pipeline in it, in terms a reviewer
 * reads (steps, edges, artifacts, resources, schedule), not in terms of generated YAML.
 * This is also the documented `flowc diff --format json` shape (docs/ci.md); fields are only ever added.
 */

/** One changed property. `before`/`after` are short human-readable renderings; null means absent. */
export interface Change {
  /**
   * What changed: `image`, `body`, `next`, `resources.cpu`, `resources.memory`, `resources.gpu`, `resources.disk`,
   * `retry`, `timeout`, `catch`, `env`, `secrets`, `kubernetes`, `batch`, `input NAME`, `input NAME source`,
   * `output NAME` (steps); `param NAME`, `param NAME default`, `type NAME`, `schedule`, `trigger EVENT`, `project`,
   * `name` (flows).
   */
  field: string;
  before: string | null;
  after: string | null;
}

export type StepDiff =
  | { kind: 'added'; step: string }
  | { kind: 'removed'; step: string }
  /** Same body and the same neighbours under another name; `changes` are any other differences. */
  | { kind: 'renamed'; from: string; step: string; changes: Change[] }
  | { kind: 'changed'; step: string; changes: Change[] };

export interface EdgeRef {
  from: string;
  to: string;
  kind: 'linear' | 'split' | 'foreach' | 'switch';
  label?: string;
}

export interface FlowDiff {
  /** The flow's name after the change (before it, for a removed flow). */
  name: string;
  /** The name before the change, null for an added flow. */
  oldName: string | null;
  /** The name after the change, null for a removed flow. */
  newName: string | null;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Flow-level changes: parameters, record types, schedule, triggers, default image, project, name. */
  changes: Change[];
  /** Steps that differ: in the new flow's order, then removed steps in the old flow's order. */
  steps: StepDiff[];
  /** Edges, with old step names already mapped through renames. */
  edges: { added: EdgeRef[]; removed: EdgeRef[] };
}

export interface DiffResult {
  flows: FlowDiff[];
  /** True when any flow is not `unchanged`. */
  changed: boolean;
}
