/**
 * The decorator catalogue, the one source for every decorator flowc knows: where it may appear, its typed
 * arguments (kind, typed default, allowed range, one-line doc), and how its checked values lower into the IR
 * (`lower`). The checker (`checks/decorators.ts`) is generic over it; hover, completion and signature help
 * (`ide/`) and the decorator section of docs/language.md (`scripts/gen-language-decorators.ts`) render it.
 * An entry with an `ir` part also owns its IR field: the field's type (`StepIR` and `FlowIR` extend the types
 * derived below), its value without the decorator, and its JSON Schema (`scripts/gen-schemas.ts` writes it
 * into `ir.schema.json`). Adding a decorator is its entry here plus the targets that map it.
 */
import type { Decorator } from '../grammar/ast.ts';
import type { Span } from '../diagnostics/types.ts';
import type { CheckContext } from './context.ts';
import type { ArgValue } from './checks/decorators.ts';
import { copyJson, type JsonSchema, type ResourcesIR, type RetryIR, type ScheduleIR, type SecretIR, type TriggerIR } from './ir.ts';

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
  /** For `rest` decorators: named entries and positional values in order (`span`: the value's; `nameSpan`: the name's). */
  rest: { name: string | undefined; value: string; span: Span; nameSpan?: Span }[];
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

/**
 * The IR field a decorator fills (on `StepIR` for a step decorator, on `FlowIR` for a flow decorator), in
 * catalogue order after the fields `ir.ts` declares itself.
 */
export interface IrPart<F extends string, V> {
  field: F;
  /** The field's value when the decorator is not given; `undefined` leaves the field out of the IR. */
  absent: V;
  /** The field's JSON Schema in `ir.schema.json` (may refer to `#/$defs/name`). */
  schema: JsonSchema;
  /** The field's value from the checked arguments and the value so far (`absent`, or the previous one for a repeatable decorator). */
  lower(args: DecoratorArgs, current: V, ctx: CheckContext): V;
}

export interface StepDecoratorSpec<F extends string = string, V = unknown> extends BaseSpec {
  on: 'step';
  /** Absent for a decorator that fills no field of its own (`@loop`: the DAG reads it; `target` decorators). */
  ir?: IrPart<F, V>;
  /**
   * Settings only this target reads (`@kubernetes` → `argo`): the checked arguments, with their defaults, go
   * by name into the step's opaque section `targets[target][decorator]`, whose schema and reading live in that
   * target's folder (`Target.stepSettings`).
   */
  target?: string;
}

export interface FlowDecoratorSpec<F extends string = string, V = unknown> extends BaseSpec {
  on: 'flow';
  ir?: IrPart<F, V>;
}

/** A decorator that means something on a flow and on a step (`@max_workers`): the same IR field on `FlowIR` and `StepIR`. */
export interface FlowOrStepDecoratorSpec<F extends string = string, V = unknown> extends BaseSpec {
  on: 'flow-or-step';
  ir?: IrPart<F, V>;
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

const step = <F extends string, V>(s: Omit<StepDecoratorSpec<F, V>, 'on'>): StepDecoratorSpec<F, V> => ({ on: 'step', ...s });
const flow = <F extends string, V>(s: Omit<FlowDecoratorSpec<F, V>, 'on'>): FlowDecoratorSpec<F, V> => ({ on: 'flow', ...s });
const flowOrStep = <F extends string, V>(s: Omit<FlowOrStepDecoratorSpec<F, V>, 'on'>): FlowOrStepDecoratorSpec<F, V> => ({ on: 'flow-or-step', ...s });
/** The absent value of an IR field, typed as the field's type. */
const absent = <V>(value: V): V => value;

const NAME: JsonSchema = { $ref: '#/$defs/name' };
const nullOr = (schema: JsonSchema): JsonSchema => ({ oneOf: [{ type: 'null' }, schema] });
const object = (properties: Record<string, JsonSchema>, required = Object.keys(properties)): JsonSchema => ({ type: 'object', additionalProperties: false, required, properties });
const STRING_OR_NULL: JsonSchema = { type: ['string', 'null'] };

/**
 * Whether `name` is an environment variable a step may not set (`reserved-env`, reported): flowc's task protocol
 * and runtime set the `FLOWC_` ones (the plan, the datastore, inputs and outputs), AWS Batch the `AWS_BATCH_` ones.
 */
function reservedEnv(name: string, span: Span, ctx: CheckContext): boolean {
  const prefix = /^(FLOWC_|AWS_BATCH_)/.exec(name)?.[1];
  if (prefix === undefined) return false;
  const owner = prefix === 'FLOWC_' ? "flowc's task runtime sets the FLOWC_ variables" : 'AWS Batch sets the AWS_BATCH_ variables';
  ctx.report('reserved-env', span, `Environment variable '${name}' is reserved: ${owner}. Choose another name.`);
  return true;
}

const catalog = {
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
    ir: {
      field: 'resources',
      absent: absent<ResourcesIR>({ cpu: null, memoryMiB: null, gpu: null, diskMiB: null }),
      schema: object(
        {
          cpu: nullOr({ type: 'number', exclusiveMinimum: 0 }),
          memoryMiB: nullOr({ type: 'integer', minimum: 0 }),
          gpu: nullOr({ type: 'integer', minimum: 0 }),
          diskMiB: nullOr({ type: 'integer', minimum: 0 }),
          sharedMemoryMiB: { description: '@resources(shared_memory): the size of /dev/shm in MiB (absent when not set).', type: 'integer', minimum: 1 },
        },
        ['cpu', 'memoryMiB', 'gpu', 'diskMiB'],
      ),
      lower: (a, _current, ctx) => {
        const out: ResourcesIR = { cpu: a.num('cpu') ?? null, memoryMiB: a.num('memory') ?? null, gpu: a.num('gpu') ?? null, diskMiB: a.num('disk') ?? null };
        const shm = a.num('shared_memory');
        if (shm === undefined) return out;
        // /dev/shm is a tmpfs: its pages are charged to the task's memory (the pod's cgroup, the container's on Batch).
        if (out.memoryMiB !== null && shm >= out.memoryMiB) {
          ctx.report('out-of-range', a.span('shared_memory')!, `Argument 'shared_memory' of '@resources' (${shm}MiB) must be less than 'memory' (${out.memoryMiB}MiB): /dev/shm is memory and counts against it.`);
          return out;
        }
        return { ...out, sharedMemoryMiB: shm };
      },
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
    ir: {
      field: 'retry',
      absent: absent<RetryIR | null>(null),
      schema: nullOr(object({ times: { type: 'integer', minimum: 1, maximum: 10 }, delaySeconds: { type: 'integer', minimum: 0 } })),
      lower: (a) => ({ times: a.num('times')!, delaySeconds: a.num('delay')! }),
    },
  }),
  timeout: step({
    name: 'timeout',
    doc: 'Fails a task that runs longer than the given duration.',
    args: [{ name: 'duration', kind: 'duration', doc: 'The longest a task may run, e.g. `30m`.', required: true, positional: true, range: { min: 0, minExclusive: true } }],
    example: '@timeout(30m)',
    ir: {
      field: 'timeoutSeconds',
      absent: absent<number | null>(null),
      schema: nullOr({ type: 'integer', minimum: 1 }),
      lower: (a) => a.num('duration') ?? null,
    },
  }),
  loop: step({
    name: 'loop',
    doc: 'Bounds a loop: a switch case of this step may go back to an earlier step (or this one); the loop runs at most `max` times, and going past that fails the run.',
    args: [{ name: 'max', kind: 'count', doc: 'The most times the steps of the loop run.', required: true, positional: true, range: { min: 1 } }],
    example: '@loop(max: 5)',
    // No field of its own: the DAG reads the bound (compiler/dag.ts, LoopInfo) and lowering puts it on the
    // switching step's `loop`.
  }),
  catch: step({
    name: 'catch',
    doc: 'Lets the flow continue when the step fails: its outputs are absent and `var` records the failure.',
    args: [{ name: 'var', kind: 'name', doc: 'The artifact name that records the failure.', default: 'error', positional: true }],
    example: '@catch(var: failure)',
    ir: {
      field: 'catch',
      // On failure the step's outputs are absent and `var` records the failure.
      absent: absent<{ var: string } | null>(null),
      schema: nullOr(object({ var: NAME })),
      lower: (a) => ({ var: a.str('var')! }),
    },
  }),
  parallel: step({
    name: 'parallel',
    doc: 'Runs the step as a gang of `nodes` tasks started together (distributed training): each gets `RANK`, `WORLD_SIZE`, `MASTER_ADDR` and `MASTER_PORT`, and node 0\'s outputs are the step\'s outputs. A multi-node parallel job on Batch, a headless Service and N pods on Argo, N processes locally.',
    args: [{ name: 'nodes', kind: 'count', doc: 'How many nodes run the body (node 0 is the main node).', required: true, positional: true, range: { min: 2 } }],
    example: '@parallel(nodes: 4)',
    ir: {
      field: 'parallel',
      // The step runs as a gang of N tasks, ranks 0 to N-1; node 0's outputs are the step's. Absent on other steps.
      absent: absent<{ nodes: number } | undefined>(undefined),
      schema: {
        description: "@parallel(nodes: N): the step runs as a gang of N tasks started together; node 0's outputs are the step's outputs. Absent elsewhere.",
        ...object({ nodes: { type: 'integer', minimum: 2 } }),
      },
      lower: (a) => {
        const nodes = a.num('nodes');
        return nodes !== undefined ? { nodes } : undefined;
      },
    },
  }),
  env: step({
    name: 'env',
    doc: 'Environment variables set for every task of the step. Names starting with `FLOWC_` or `AWS_BATCH_` are reserved for flowc and AWS Batch (`reserved-env`).',
    args: [],
    rest: { kind: 'string', doc: 'An environment variable and its value.' },
    example: '@env(PYTHONUNBUFFERED: "1", LOG_LEVEL: "info")',
    ir: {
      field: 'env',
      // In source order.
      absent: absent<{ name: string; value: string }[]>([]),
      schema: { type: 'array', items: object({ name: NAME, value: { type: 'string' } }) },
      lower: (a, env, ctx) => [...env, ...a.rest.flatMap((e) => (e.name && !reservedEnv(e.name, e.nameSpan ?? e.span, ctx) ? [{ name: e.name, value: e.value }] : []))],
    },
  }),
  secrets: step({
    name: 'secrets',
    doc: 'Exposes secrets as environment variables: `ENV: "secret-name/key"` for one key, or `"secret-name"` for every key of a secret. `ENV` may not start with `FLOWC_` or `AWS_BATCH_` (`reserved-env`).',
    args: [],
    rest: { kind: 'string', doc: 'An environment variable and the `secret-name/key` it is read from.', positional: 'A whole secret, every key as its own variable.' },
    example: '@secrets(WANDB_API_KEY: "wandb/api-key", "db-credentials")',
    ir: {
      field: 'secrets',
      // References to secrets, never values.
      absent: absent<SecretIR[]>([]),
      schema: { type: 'array', items: object({ env: STRING_OR_NULL, secret: NAME, key: STRING_OR_NULL }) },
      lower: (a, secrets, ctx) => {
        const out = [...secrets];
        for (const s of a.rest) {
          if (s.name === undefined) {
            if (!s.value) ctx.report('out-of-range', s.span, `A secret name must not be empty.`);
            else out.push({ env: null, secret: s.value, key: null });
            continue;
          }
          const slash = s.value.lastIndexOf('/');
          if (slash <= 0 || slash === s.value.length - 1) {
            ctx.report('invalid-argument', s.span, `Secret '${s.name}' must be given as "secret-name/key", not "${s.value}".`);
            continue;
          }
          if (!reservedEnv(s.name, s.nameSpan ?? s.span, ctx)) out.push({ env: s.name, secret: s.value.slice(0, slash), key: s.value.slice(slash + 1) });
        }
        return out;
      },
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
    ir: {
      field: 'schedule',
      absent: absent<ScheduleIR | null>(null),
      schema: { oneOf: [{ type: 'null' }, object({ cron: { type: 'string' }, timezone: { type: 'string' } })] },
      lower: (a, current) => {
        const cron = a.str('cron');
        return cron ? { cron, timezone: a.str('timezone')! } : current;
      },
    },
  }),
  trigger: flow({
    name: 'trigger',
    doc: 'Starts the flow when an event is published.',
    args: [{ name: 'event', kind: 'string', doc: 'The event name.', required: true, positional: true }],
    repeatable: true,
    example: '@trigger(event: "data-ready")',
    ir: {
      field: 'triggers',
      absent: absent<TriggerIR[]>([]),
      schema: { type: 'array', items: object({ event: { type: 'string' } }) },
      lower: (a, triggers) => {
        const event = a.str('event');
        return event ? [...triggers, { event }] : triggers;
      },
    },
  }),
  trigger_on_finish: flow({
    name: 'trigger_on_finish',
    doc: 'Starts the flow when a run of another flow (or of any of several) succeeds; the run reads the upstream run id as the parameter `upstream_run`.',
    args: [{ name: 'flow', kind: 'flow-names', doc: 'The upstream flow, or a list of flows.', required: true, positional: true }],
    repeatable: true,
    example: '@trigger_on_finish(flow: "Ingest")',
    ir: {
      field: 'triggerOnFinish',
      // Left out without the decorator; each upstream flow once, in order.
      absent: absent<string[] | undefined>(undefined),
      schema: {
        description: 'The upstream flows of @trigger_on_finish (absent without it): a successful run of any of them starts this flow, with its run id as the parameter upstream_run.',
        type: 'array',
        minItems: 1,
        items: NAME,
      },
      lower: (a, current) => {
        const flows = a.given('flow');
        if (flows?.kind !== 'string-list') return current;
        const out = [...(current ?? [])];
        for (const f of flows.value) if (!out.includes(f)) out.push(f);
        return out.length > 0 ? out : current;
      },
    },
  }),
  project: flow({
    name: 'project',
    doc: 'Groups the flow into a project (a label on Argo, a name prefix on Batch).',
    args: [{ name: 'name', kind: 'string', doc: 'The project name.', required: true, positional: true }],
    example: '@project(name: "recommendations")',
    ir: {
      field: 'project',
      absent: absent<string | null>(null),
      schema: STRING_OR_NULL,
      lower: (a, current, ctx) => {
        const name = a.str('name');
        if (name === undefined) return current;
        // It becomes part of Kubernetes label values and AWS resource names, so it is kept to what both allow.
        if (PROJECT_NAME.test(name)) return name;
        ctx.report('invalid-argument', a.span('name')!, `Project name '${name}' must start with a letter and hold only letters, digits, '-' and '_' (at most 40 characters): it becomes part of Kubernetes labels and AWS names.`);
        return current;
      },
    },
  }),
  max_workers: flowOrStep({
    name: 'max_workers',
    doc: 'The most tasks running at once: on the flow, for the whole run (over `flowc build --max-workers` and `maxWorkers` in flowc.yaml); on a foreach step, for its fan-out.',
    args: [{ name: 'workers', kind: 'count', doc: 'Tasks at once, 1 or more.', required: true, positional: true, range: { min: 1 } }],
    example: '@max_workers(10)',
    ir: {
      field: 'maxWorkers',
      // Left out without the decorator: the target's rule decides (targets/workers.ts).
      absent: absent<number | undefined>(undefined),
      schema: { description: '@max_workers(N) (absent without it): on the flow, tasks of one run at once; on a foreach step, tasks of its fan-out at once.', type: 'integer', minimum: 1 },
      lower: (a, current) => a.num('workers') ?? current,
    },
  }),
  kubernetes: step({
    name: 'kubernetes',
    doc: 'Kubernetes-only settings for the step on the Argo target.',
    args: [
      { name: 'node_selector', kind: 'string-map', doc: 'Node labels the pod must run on.' },
      { name: 'tolerations', kind: 'tolerations', doc: 'Taints the pod tolerates: `[{ key: "gpu", operator: "Exists", effect: "NoSchedule" }]`.' },
      { name: 'service_account', kind: 'string', doc: 'The service account of the pod (overrides `argo.serviceAccount`).' },
    ],
    example: '@kubernetes(node_selector: { pool: "gpu" }, service_account: "trainer")',
    target: 'argo',
  }),
  batch: step({
    name: 'batch',
    doc: 'AWS Batch-only settings for the step.',
    args: [{ name: 'queue', kind: 'string', doc: 'The job queue (overrides `batch.jobQueue`).' }],
    example: '@batch(queue: "gpu-queue")',
    target: 'batch',
  }),
};

/** Every decorator by name. */
export const decoratorCatalog: Readonly<Record<string, DecoratorSpec>> = catalog;

type Catalog = typeof catalog;
/** The field entry `K` fills when placed on `On`: `optional` picks the fields absent as `undefined`. */
type FieldOf<K extends keyof Catalog, On, Optional extends boolean> =
  Catalog[K] extends { on: On | 'flow-or-step'; ir?: IrPart<infer F, infer V> } ? (string extends F ? never : (undefined extends V ? true : false) extends Optional ? F : never) : never;
type ValueOf<K extends keyof Catalog> = Catalog[K] extends { ir?: IrPart<string, infer V> } ? V : never;
/** The IR fields the decorators placed on `On` fill, each with its type (optional when absent as `undefined`). */
type FieldsOf<On extends 'step' | 'flow'> = { [K in keyof Catalog as FieldOf<K, On, false>]: ValueOf<K> } & { [K in keyof Catalog as FieldOf<K, On, true>]?: Exclude<ValueOf<K>, undefined> };
/** The fields of `StepIR` that step decorators fill. */
export type StepDecorationsIR = FieldsOf<'step'>;
/** The fields of `FlowIR` that flow decorators fill. */
export type FlowDecorationsIR = FieldsOf<'flow'>;

const partsOn = {
  step: Object.values(decoratorCatalog).flatMap((d) => (appliesTo(d, 'step') && d.ir ? [d.ir] : [])),
  flow: Object.values(decoratorCatalog).flatMap((d) => (appliesTo(d, 'flow') && d.ir ? [d.ir] : [])),
};

/** The IR parts of the decorators placed on `on`, in catalogue order (the same array every call: do not change it). */
export const irParts = (on: 'step' | 'flow'): readonly IrPart<string, unknown>[] => partsOn[on];

/** The decorator fields of a step or flow without any decorator, in catalogue order (fields absent as `undefined` left out). */
export function absentFields(on: 'step'): StepDecorationsIR;
export function absentFields(on: 'flow'): FlowDecorationsIR;
export function absentFields(on: 'step' | 'flow'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const part of irParts(on)) if (part.absent !== undefined) out[part.field] = copyJson(part.absent);
  return out;
}

const PROJECT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

/** `hourly`, `daily`, `weekly` as cron expressions. */
export const SCHEDULE_PRESETS: Readonly<Record<string, string>> = { hourly: '0 * * * *', daily: '0 0 * * *', weekly: '0 0 * * 0' };
