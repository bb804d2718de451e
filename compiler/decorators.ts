/**
 * The decorator catalogue, the one source for every decorator flowc knows: where it may appear, its typed
 * arguments (kind, typed default, allowed range, one-line doc), and how its checked values lower into the IR
 * (`lower`). The checker (`checks/decorators.ts`) is generic over it; hover, completion and signature help
 * (`ide/`) and the decorator section of docs/language.md (`scripts/gen-language-decorators.ts`) render it.
 * Adding a decorator is its entry here, plus the IR field it lowers into and the targets that map it.
 */
import type { Decorator } from '../grammar/ast.ts';
import type { Span } from '../diagnostics/types.ts';
import type { CheckContext } from './context.ts';
import type { ArgValue, FlowDecorations, StepDecorations } from './checks/decorators.ts';

/**
 * Argument kinds:
 * `number` (a positive decimal), `count` (a whole number), `size` (`512MiB`, `20GiB`), `duration` (`30s`, `5m`),
 * `string`, `name` (a bare name or a string), `cron` (a cron string, or `hourly`/`daily`/`weekly`),
 * `string-map` (`{ key: "value" }`), `tolerations` (a list of `{ key, operator, value, effect }`), `flow-names` (a flow
 * name as a string, or a list of them).
 */
export type ArgKind = 'number' | 'count' | 'size' | 'duration' | 'string' | 'name' | 'cron' | 'string-map' | 'tolerations' | 'flow-names';

/** Allowed values of a number as written (for `size` and `duration`, the number before the unit). */
export interface Range {
  min: number;
  /** True when `min` itself is not allowed. */
  minExclusive?: boolean;
  max?: number;
}

export interface ArgSpec {
  name: string;
  kind: ArgKind;
  /** One line for completion and hover. */
  doc: string;
  /**
   * The value when the argument is not given, in normalized units (cores, MiB, seconds) or as the string it
   * stands for; absent when the argument is optional without default, or required.
   */
  default?: number | string;
  required?: boolean;
  /** May be given without its name, as the first argument: `@timeout(30m)`. */
  positional?: boolean;
  /** Allowed values; the kind's range (`KIND_RANGES`) when absent. */
  range?: Range;
}

/** The checked arguments of one decorator, as its `lower` reads them. */
export interface DecoratorArgs {
  decorator: Decorator;
  /** A number argument (normalized: cores, MiB, seconds): the value given, else the catalogue default. */
  num(name: string): number | undefined;
  /** A string argument: the value given, else the catalogue default. */
  str(name: string): string | undefined;
  /** The checked value given for an argument (no default). */
  given(name: string): ArgValue | undefined;
  /** Where an argument's value was written. */
  span(name: string): Span | undefined;
  /** For `rest` decorators: named entries and positional values in order. */
  rest: { name: string | undefined; value: string; span: Span }[];
}

interface BaseSpec {
  name: string;
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

export interface StepDecoratorSpec extends BaseSpec {
  on: 'step';
  /** Writes the decorator's checked values into the step's decorations (the IR's fields). */
  lower: (args: DecoratorArgs, out: StepDecorations, ctx: CheckContext) => void;
}

export interface FlowDecoratorSpec extends BaseSpec {
  on: 'flow';
  /** Writes the decorator's checked values into the flow's decorations (the IR's fields). */
  lower: (args: DecoratorArgs, out: FlowDecorations, ctx: CheckContext) => void;
}

/** A decorator that means something on a flow and on a step (`@max_workers`): one lowering for each. */
export interface FlowOrStepDecoratorSpec extends BaseSpec {
  on: 'flow-or-step';
  lower: (args: DecoratorArgs, out: StepDecorations, ctx: CheckContext) => void;
  lowerFlow: (args: DecoratorArgs, out: FlowDecorations, ctx: CheckContext) => void;
}

export type DecoratorSpec = StepDecoratorSpec | FlowDecoratorSpec | FlowOrStepDecoratorSpec;

/** True when the decorator may be written on a flow (`flow`) or a step (`step`). */
export const appliesTo = (spec: DecoratorSpec, on: 'flow' | 'step'): boolean => spec.on === on || spec.on === 'flow-or-step';

/** Where a decorator may be written, in words: `a flow`, `a step`, `a flow or a step`. */
export const placeText = (spec: DecoratorSpec): string => (spec.on === 'flow-or-step' ? 'a flow or a step' : `a ${spec.on}`);

/** The range of each numeric kind unless an argument narrows it. */
export const KIND_RANGES: Partial<Record<ArgKind, Range>> = {
  number: { min: 0, minExclusive: true },
  count: { min: 0 },
  size: { min: 0, minExclusive: true },
  duration: { min: 0 },
};

export const rangeOf = (arg: ArgSpec): Range | undefined => arg.range ?? KIND_RANGES[arg.kind];

/** A range in words: `between 1 and 10`, `greater than 0`, `0 or more`. */
export function rangeText(range: Range): string {
  if (range.max !== undefined) return `between ${range.min} and ${range.max}`;
  return range.minExclusive ? `greater than ${range.min}` : `${range.min} or more`;
}

/** A default as written in flowc syntax (`3`, `0s`, `"UTC"`, `error`), or undefined. */
export function defaultText(arg: ArgSpec): string | undefined {
  const d = arg.default;
  if (d === undefined) return undefined;
  if (arg.kind === 'duration') return `${d}s`;
  if (arg.kind === 'size') return `${d}MiB`;
  if (arg.kind === 'string' || arg.kind === 'cron') return JSON.stringify(d);
  return String(d);
}

/** An argument as signatures show it: `times: count = 3`. */
export const argSignature = (arg: ArgSpec): string => `${arg.name}: ${arg.kind}${arg.default !== undefined ? ` = ${defaultText(arg)}` : ''}`;

const step = (s: Omit<StepDecoratorSpec, 'on'>): StepDecoratorSpec => ({ on: 'step', ...s });
const flow = (s: Omit<FlowDecoratorSpec, 'on'>): FlowDecoratorSpec => ({ on: 'flow', ...s });

export const decoratorCatalog: Readonly<Record<string, DecoratorSpec>> = {
  resources: step({
    name: 'resources',
    doc: 'The cpu, memory, gpu, disk and shared memory a task needs; becomes requests/limits on Argo and resourceRequirements on Batch.',
    args: [
      { name: 'cpu', kind: 'number', doc: 'Cores, e.g. `4` or `0.5`.' },
      { name: 'gpu', kind: 'count', doc: 'Number of GPUs.' },
      { name: 'memory', kind: 'size', doc: 'Memory, e.g. `8GiB`.' },
      { name: 'disk', kind: 'size', doc: 'Ephemeral disk, e.g. `100GiB`.' },
      { name: 'shared_memory', kind: 'size', doc: 'Size of `/dev/shm` (PyTorch data loaders), e.g. `8GiB`; it is memory, so it must be less than `memory`.' },
    ],
    example: '@resources(cpu: 16, gpu: 1, memory: 64GiB, disk: 100GiB, shared_memory: 8GiB)',
    lower: (a, out, ctx) => {
      out.resources = { cpu: a.num('cpu') ?? null, memoryMiB: a.num('memory') ?? null, gpu: a.num('gpu') ?? null, diskMiB: a.num('disk') ?? null };
      out.resourceSpans = { cpu: a.span('cpu'), memoryMiB: a.span('memory'), gpu: a.span('gpu'), diskMiB: a.span('disk') };
      const shm = a.num('shared_memory');
      if (shm === undefined) return;
      // /dev/shm is a tmpfs: its pages are charged to the task's memory (the pod's cgroup, the container's on Batch).
      const memory = out.resources.memoryMiB;
      if (memory !== null && shm >= memory) {
        ctx.report('out-of-range', a.span('shared_memory')!, `Argument 'shared_memory' of '@resources' (${shm}MiB) must be less than 'memory' (${memory}MiB): /dev/shm is memory and counts against it.`);
        return;
      }
      out.resources.sharedMemoryMiB = shm;
      out.resourceSpans.sharedMemoryMiB = a.span('shared_memory');
    },
  }),
  retry: step({
    name: 'retry',
    doc: 'Retries a failed task (after the first attempt) before failing the run.',
    args: [
      { name: 'times', kind: 'count', doc: 'Retries after the first attempt.', default: 3, range: { min: 1, max: 10 }, positional: true },
      { name: 'delay', kind: 'duration', doc: 'Wait between attempts.', default: 0 },
    ],
    example: '@retry(times: 3, delay: 1m)',
    lower: (a, out) => {
      out.retry = { times: a.num('times')!, delaySeconds: a.num('delay')! };
    },
  }),
  timeout: step({
    name: 'timeout',
    doc: 'Fails a task that runs longer than the given duration.',
    args: [{ name: 'duration', kind: 'duration', doc: 'The longest a task may run, e.g. `30m`.', required: true, positional: true, range: { min: 0, minExclusive: true } }],
    example: '@timeout(30m)',
    lower: (a, out) => {
      out.timeoutSeconds = a.num('duration') ?? null;
    },
  }),
  loop: step({
    name: 'loop',
    doc: 'Bounds a loop: a switch case of this step may go back to an earlier step (or this one); the loop runs at most `max` times, and going past that fails the run.',
    args: [{ name: 'max', kind: 'count', doc: 'The most times the steps of the loop run.', required: true, positional: true, range: { min: 1 } }],
    example: '@loop(max: 5)',
    // The DAG reads the bound (compiler/dag.ts, LoopInfo) and lowering puts it on the switching step's `loop`.
    lower: () => {},
  }),
  catch: step({
    name: 'catch',
    doc: 'Lets the flow continue when the step fails: its outputs are absent and `var` records the failure.',
    args: [{ name: 'var', kind: 'name', doc: 'The artifact name that records the failure.', default: 'error', positional: true }],
    example: '@catch(var: failure)',
    lower: (a, out) => {
      out.catch = { var: a.str('var')! };
    },
  }),
  env: step({
    name: 'env',
    doc: 'Environment variables set for every task of the step.',
    args: [],
    rest: { kind: 'string', doc: 'An environment variable and its value.' },
    example: '@env(PYTHONUNBUFFERED: "1", LOG_LEVEL: "info")',
    lower: (a, out) => {
      for (const e of a.rest) if (e.name) out.env.push({ name: e.name, value: e.value });
    },
  }),
  secrets: step({
    name: 'secrets',
    doc: 'Exposes secrets as environment variables: `ENV: "secret-name/key"` for one key, or `"secret-name"` for every key of a secret.',
    args: [],
    rest: { kind: 'string', doc: 'An environment variable and the `secret-name/key` it is read from.', positional: 'A whole secret, every key as its own variable.' },
    example: '@secrets(WANDB_API_KEY: "wandb/api-key", "db-credentials")',
    lower: (a, out, ctx) => {
      for (const s of a.rest) {
        if (s.name === undefined) {
          if (!s.value) ctx.report('out-of-range', s.span, `A secret name must not be empty.`);
          else out.secrets.push({ env: null, secret: s.value, key: null });
          continue;
        }
        const slash = s.value.lastIndexOf('/');
        if (slash <= 0 || slash === s.value.length - 1) {
          ctx.report('invalid-argument', s.span, `Secret '${s.name}' must be given as "secret-name/key", not "${s.value}".`);
          continue;
        }
        out.secrets.push({ env: s.name, secret: s.value.slice(0, slash), key: s.value.slice(slash + 1) });
      }
    },
  }),
  schedule: flow({
    name: 'schedule',
    doc: 'Runs the flow on a schedule (a CronWorkflow on Argo, an EventBridge rule on Batch).',
    args: [
      { name: 'cron', kind: 'cron', doc: 'A five-field cron expression, or `hourly`, `daily`, `weekly`.', required: true, positional: true },
      { name: 'timezone', kind: 'string', doc: 'IANA time zone of the cron expression, such as `Europe/Berlin` (a name that is not one is `unknown-timezone`).', default: 'UTC' },
    ],
    example: '@schedule(cron: "0 3 * * *", timezone: "Europe/Berlin")',
    lower: (a, out) => {
      const cron = a.str('cron');
      if (cron) out.schedule = { cron, timezone: a.str('timezone')! };
    },
  }),
  trigger: flow({
    name: 'trigger',
    doc: 'Starts the flow when an event is published.',
    args: [{ name: 'event', kind: 'string', doc: 'The event name.', required: true, positional: true }],
    repeatable: true,
    example: '@trigger(event: "data-ready")',
    lower: (a, out) => {
      const event = a.str('event');
      if (event) out.triggers.push({ event });
    },
  }),
  trigger_on_finish: flow({
    name: 'trigger_on_finish',
    doc: 'Starts the flow when a run of another flow (or of any of several) succeeds; the run reads the upstream run id as the parameter `upstream_run`.',
    args: [{ name: 'flow', kind: 'flow-names', doc: 'The upstream flow, or a list of flows.', required: true, positional: true }],
    repeatable: true,
    example: '@trigger_on_finish(flow: "Ingest")',
    lower: (a, out) => {
      const flows = a.given('flow');
      if (flows?.kind === 'string-list') for (const f of flows.value) if (!out.triggerOnFinish.includes(f)) out.triggerOnFinish.push(f);
    },
  }),
  project: flow({
    name: 'project',
    doc: 'Groups the flow into a project (a label on Argo, a name prefix on Batch).',
    args: [{ name: 'name', kind: 'string', doc: 'The project name.', required: true, positional: true }],
    example: '@project(name: "recommendations")',
    lower: (a, out, ctx) => {
      const name = a.str('name');
      if (name === undefined) return;
      // It becomes part of Kubernetes label values and AWS resource names, so it is kept to what both allow.
      if (PROJECT_NAME.test(name)) out.project = name;
      else {
        ctx.report('invalid-argument', a.span('name')!, `Project name '${name}' must start with a letter and hold only letters, digits, '-' and '_' (at most 40 characters): it becomes part of Kubernetes labels and AWS names.`);
      }
    },
  }),
  max_workers: {
    on: 'flow-or-step',
    name: 'max_workers',
    doc: 'The most tasks running at once: on the flow, for the whole run (over `flowc build --max-workers` and `maxWorkers` in flowc.yaml); on a foreach step, for its fan-out.',
    args: [{ name: 'workers', kind: 'count', doc: 'Tasks at once, 1 or more.', required: true, positional: true, range: { min: 1 } }],
    example: '@max_workers(10)',
    lower: (a, out) => {
      const n = a.num('workers');
      if (n !== undefined) out.maxWorkers = n;
    },
    lowerFlow: (a, out) => {
      const n = a.num('workers');
      if (n !== undefined) out.maxWorkers = n;
    },
  },
  kubernetes: step({
    name: 'kubernetes',
    doc: 'Kubernetes-only settings for the step on the Argo target.',
    args: [
      { name: 'node_selector', kind: 'string-map', doc: 'Node labels the pod must run on.' },
      { name: 'tolerations', kind: 'tolerations', doc: 'Taints the pod tolerates: `[{ key: "gpu", operator: "Exists", effect: "NoSchedule" }]`.' },
      { name: 'service_account', kind: 'string', doc: 'The service account of the pod (overrides `argo.serviceAccount`).' },
    ],
    example: '@kubernetes(node_selector: { pool: "gpu" }, service_account: "trainer")',
    lower: (a, out) => {
      const sel = a.given('node_selector');
      const tol = a.given('tolerations');
      out.kubernetes = {
        nodeSelector: sel?.kind === 'string-map' ? sel.value : {},
        tolerations: tol?.kind === 'tolerations' ? tol.value : [],
        serviceAccount: a.str('service_account') ?? null,
      };
    },
  }),
  batch: step({
    name: 'batch',
    doc: 'AWS Batch-only settings for the step.',
    args: [{ name: 'queue', kind: 'string', doc: 'The job queue (overrides `batch.jobQueue`).' }],
    example: '@batch(queue: "gpu-queue")',
    lower: (a, out) => {
      out.batch = { queue: a.str('queue') ?? null };
    },
  }),
};

const PROJECT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** `hourly`, `daily`, `weekly` as cron expressions. */
export const SCHEDULE_PRESETS: Readonly<Record<string, string>> = { hourly: '0 * * * *', daily: '0 0 * * *', weekly: '0 0 * * 0' };
