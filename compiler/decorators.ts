/**
 * The decorator catalogue: every decorator flowc knows, where it may appear, and its typed arguments with
 * defaults and one-line docs. The checker (`checks/decorators.ts`) validates against it, the language server
 * uses it for completion and hover, and docs/language.md renders it.
 * Invariant: data only; no checking logic lives here.
 */

/**
 * Argument kinds:
 * `number` (a positive decimal), `count` (a whole number), `size` (`512MiB`, `20GiB`), `duration` (`30s`, `5m`),
 * `string`, `name` (a bare name or a string), `cron` (a cron string, or `hourly`/`daily`/`weekly`),
 * `string-map` (`{ key: "value" }`), `tolerations` (a list of `{ key, operator, value, effect }`), `flow-names` (a flow
 * name as a string, or a list of them).
 */
export type ArgKind = 'number' | 'count' | 'size' | 'duration' | 'string' | 'name' | 'cron' | 'string-map' | 'tolerations' | 'flow-names';

export interface ArgSpec {
  name: string;
  kind: ArgKind;
  /** One line for completion and hover. */
  doc: string;
  /** The default as written in flowc syntax; absent when the argument is optional without default or required. */
  default?: string;
  required?: boolean;
  /** May be given without its name, as the first argument: `@timeout(30m)`. */
  positional?: boolean;
}

export interface DecoratorSpec {
  name: string;
  /** Where the decorator may appear. */
  on: 'flow' | 'step';
  doc: string;
  args: ArgSpec[];
  /**
   * For decorators taking arbitrary names (`@env(NAME: "value")`, `@secrets(ENV: "name/key")`): the kind of
   * every named argument, and whether positional values are allowed too.
   */
  rest?: { kind: 'string'; doc: string; positional?: string };
  /** May be given more than once (`@trigger`). */
  repeatable?: boolean;
  example: string;
}

const spec = (s: DecoratorSpec): DecoratorSpec => s;

export const decoratorCatalog: Readonly<Record<string, DecoratorSpec>> = {
  resources: spec({
    name: 'resources',
    on: 'step',
    doc: 'The cpu, memory, gpu and disk a task needs; becomes requests/limits on Argo and resourceRequirements on Batch.',
    args: [
      { name: 'cpu', kind: 'number', doc: 'Cores, e.g. `4` or `0.5`.' },
      { name: 'gpu', kind: 'count', doc: 'Number of GPUs.' },
      { name: 'memory', kind: 'size', doc: 'Memory, e.g. `8GiB`.' },
      { name: 'disk', kind: 'size', doc: 'Ephemeral disk, e.g. `100GiB`.' },
    ],
    example: '@resources(cpu: 16, gpu: 1, memory: 64GiB, disk: 100GiB)',
  }),
  retry: spec({
    name: 'retry',
    on: 'step',
    doc: 'Retries a failed task (after the first attempt) before failing the run.',
    args: [
      { name: 'times', kind: 'count', doc: 'Retries after the first attempt, 1 to 10.', default: '3', positional: true },
      { name: 'delay', kind: 'duration', doc: 'Wait between attempts.', default: '0s' },
    ],
    example: '@retry(times: 3, delay: 1m)',
  }),
  loop: spec({
    name: 'loop',
    on: 'step',
    doc: 'Bounds a loop: a switch case of this step may go back to an earlier step (or this one); the loop runs at most `max` times, and going past that fails the run.',
    args: [{ name: 'max', kind: 'count', doc: 'The most times the steps of the loop run, 1 or more.', required: true, positional: true }],
    example: '@loop(max: 5)',
  }),
  timeout: spec({
    name: 'timeout',
    on: 'step',
    doc: 'Fails a task that runs longer than the given duration.',
    args: [{ name: 'duration', kind: 'duration', doc: 'The longest a task may run, e.g. `30m`.', required: true, positional: true }],
    example: '@timeout(30m)',
  }),
  catch: spec({
    name: 'catch',
    on: 'step',
    doc: 'Lets the flow continue when the step fails: its outputs are absent and `var` records the failure.',
    args: [{ name: 'var', kind: 'name', doc: 'The artifact name that records the failure.', default: 'error', positional: true }],
    example: '@catch(var: failure)',
  }),
  env: spec({
    name: 'env',
    on: 'step',
    doc: 'Environment variables set for every task of the step.',
    args: [],
    rest: { kind: 'string', doc: 'An environment variable and its value.' },
    example: '@env(PYTHONUNBUFFERED: "1", LOG_LEVEL: "info")',
  }),
  secrets: spec({
    name: 'secrets',
    on: 'step',
    doc: 'Exposes secrets as environment variables: `ENV: "secret-name/key"` for one key, or `"secret-name"` for every key of a secret.',
    args: [],
    rest: { kind: 'string', doc: 'An environment variable and the `secret-name/key` it is read from.', positional: 'A whole secret, every key as its own variable.' },
    example: '@secrets(WANDB_API_KEY: "wandb/api-key", "db-credentials")',
  }),
  schedule: spec({
    name: 'schedule',
    on: 'flow',
    doc: 'Runs the flow on a schedule (a CronWorkflow on Argo, an EventBridge rule on Batch).',
    args: [
      { name: 'cron', kind: 'cron', doc: 'A five-field cron expression, or `hourly`, `daily`, `weekly`.', required: true, positional: true },
      { name: 'timezone', kind: 'string', doc: 'IANA time zone of the cron expression, such as `Europe/Berlin` (a name that is not one is `unknown-timezone`).', default: '"UTC"' },
    ],
    example: '@schedule(cron: "0 3 * * *", timezone: "Europe/Berlin")',
  }),
  trigger: spec({
    name: 'trigger',
    on: 'flow',
    doc: 'Starts the flow when an event is published.',
    args: [{ name: 'event', kind: 'string', doc: 'The event name.', required: true, positional: true }],
    repeatable: true,
    example: '@trigger(event: "data-ready")',
  }),
  trigger_on_finish: spec({
    name: 'trigger_on_finish',
    on: 'flow',
    doc: 'Starts the flow when a run of another flow (or of any of several) succeeds; the run reads the upstream run id as the parameter `upstream_run`.',
    args: [{ name: 'flow', kind: 'flow-names', doc: 'The upstream flow, or a list of flows.', required: true, positional: true }],
    repeatable: true,
    example: '@trigger_on_finish(flow: "Ingest")',
  }),
  project: spec({
    name: 'project',
    on: 'flow',
    doc: 'Groups the flow into a project (a label on Argo, a name prefix on Batch).',
    args: [{ name: 'name', kind: 'string', doc: 'The project name.', required: true, positional: true }],
    example: '@project(name: "recommendations")',
  }),
  kubernetes: spec({
    name: 'kubernetes',
    on: 'step',
    doc: 'Kubernetes-only settings for the step on the Argo target.',
    args: [
      { name: 'node_selector', kind: 'string-map', doc: 'Node labels the pod must run on.' },
      { name: 'tolerations', kind: 'tolerations', doc: 'Taints the pod tolerates: `[{ key: "gpu", operator: "Exists", effect: "NoSchedule" }]`.' },
      { name: 'service_account', kind: 'string', doc: 'The service account of the pod (overrides `argo.serviceAccount`).' },
    ],
    example: '@kubernetes(node_selector: { pool: "gpu" }, service_account: "trainer")',
  }),
  batch: spec({
    name: 'batch',
    on: 'step',
    doc: 'AWS Batch-only settings for the step.',
    args: [{ name: 'queue', kind: 'string', doc: 'The job queue (overrides `batch.jobQueue`).' }],
    example: '@batch(queue: "gpu-queue")',
  }),
};

/** Bytes per size unit (decimal and binary). */
export const SIZE_UNITS: Readonly<Record<string, number>> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
};

/** Seconds per duration unit. */
export const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 };

/** A size in MiB, rounded up (undefined for an unknown unit). */
export function sizeToMiB(value: number, unit: string): number | undefined {
  const factor = SIZE_UNITS[unit];
  if (factor === undefined) return undefined;
  return Math.ceil((value * factor) / 1024 ** 2 - 1e-9);
}

/** A duration in whole seconds, rounded up (undefined for an unknown unit). */
export function durationToSeconds(value: number, unit: string): number | undefined {
  const factor = DURATION_UNITS[unit];
  if (factor === undefined) return undefined;
  return Math.ceil(value * factor - 1e-9);
}

/** `hourly`, `daily`, `weekly` as cron expressions. */
export const SCHEDULE_PRESETS: Readonly<Record<string, string>> = { hourly: '0 * * * *', daily: '0 0 * * *', weekly: '0 0 * * 0' };
