/**
 * The flowc IR: one self-contained JSON document per flow, the only input of every target.
 *
 * Invariants:
 * - Produced only for a flow that checked without errors, so targets may rely on a valid DAG:
 *   one `start`, one `end`, no cycles, every split/foreach closed by its join, every input resolved.
 * - Deterministic: `steps` are in topological order from `start` (ties broken by source order),
 *   object keys are emitted in the order declared here, and nothing depends on time, the machine or the tool version.
 * - Units are normalized: cpu in cores (a decimal number), memory and disk in MiB (integers, rounded up),
 *   durations in whole seconds (rounded up).
 * - Versioned by `irVersion`; a retired field is never reused with another meaning.
 * The JSON Schema for this document is `compiler/ir.schema.json`.
 */
import { stringify } from 'lossless-json';
import type { Span } from '../diagnostics/types.ts';
import type { FlowDecorationsIR, StepDecorationsIR } from './decorators.ts';

export const IR_VERSION = 1 as const;

/**
 * A flow. Its decorators' fields (`schedule`, `triggers`, `triggerOnFinish`, `project`, …) come from the
 * decorator catalogue (`decorators.ts`: each entry's `ir` part), in catalogue order between `edges` and `results`.
 */
export interface FlowIR extends FlowDecorationsIR {
  irVersion: typeof IR_VERSION;
  name: string;
  /** The source file as the caller named it (relative path, `/` separators), and the flow's span in it. */
  source: SourceRef;
  /** Default image for steps that name none (flow `image`, else `flowc.yaml` `image`); null when neither is set. */
  image: string | null;
  params: ParamIR[];
  /** Declared record types, by name, as JSON Schema (draft 2020-12 subset), sorted by name. */
  types: Record<string, JsonSchema>;
  steps: StepIR[];
  edges: EdgeIR[];
  /** Outputs that no step reads: the results of the flow, kept and readable after a run. */
  results: ArtifactRef[];
}

export interface SourceRef {
  file: string;
  span: Span;
}

/**
 * JSON text of the IR or of any part of it, with a `bigint` (an integer beyond 2^53: a parameter default, a
 * switch case) written with all its digits; otherwise the same text as `JSON.stringify`, which throws on a bigint.
 */
export function irJson(value: unknown, space?: number, replacer?: (key: string, value: unknown) => unknown): string {
  // The native serializer first (several times faster on a 10,000-step IR); it throws on a bigint, rare in an IR.
  try {
    return JSON.stringify(value, replacer, space) ?? 'null';
  } catch (e) {
    if (!(e instanceof TypeError)) throw e;
  }
  return stringify(value, replacer ?? null, space) ?? 'null';
}

const irTexts = new WeakMap<FlowIR, string>();

/**
 * `irJson(ir)`, serialized once per IR object (an IR is not changed once lowered): a 10,000-step IR is megabytes of
 * JSON, and a build needs it in the run information and for the Argo annotation `flowc.dev/ir-sha256`.
 */
export function irText(ir: FlowIR): string {
  let text = irTexts.get(ir);
  if (text === undefined) irTexts.set(ir, (text = irJson(ir)));
  return text;
}

/**
 * A deep copy of JSON-like data (plain objects, arrays, primitives, bigints): what `structuredClone` gives for it,
 * several times faster (no serialization), which counts where a build copies a value per step or a 10,000-state
 * state machine.
 */
export function copyJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(copyJson) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = copyJson((value as Record<string, unknown>)[key]);
  return out as T;
}

/**
 * The namespace of a flow's scheduled and triggered runs on a remote target: `production:` + its `@project`, else
 * its name (what the task runtime uses when a run is given none).
 */
export const productionNamespace = (ir: FlowIR): string => `production:${ir.project ?? ir.name}`;

/** A JSON value; an integer beyond 2^53 is a `bigint`, so that it stays exact (serialize with `irJson`). */
export type JsonValue = null | boolean | number | bigint | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonSchema = { [key: string]: JsonValue };

/** A resolved type. `record` refers to an entry of `FlowIR.types`. */
export type TypeIR =
  | { kind: 'int' | 'float' | 'bool' | 'string' | 'json' | 'file' | 'dir' }
  | { kind: 'list'; element: TypeIR }
  | { kind: 'map'; value: TypeIR }
  | { kind: 'optional'; inner: TypeIR }
  | { kind: 'record'; name: string };

export interface ParamIR {
  name: string;
  type: TypeIR;
  /** True when the parameter has no default and must be given at submit/run time. */
  required: boolean;
  /** The default value (already checked against the type); absent when required. */
  default?: JsonValue;
  /** The help text, from a `//` comment at the end of the declaration's line or a comment right above it. */
  description?: string;
  source: SourceRef;
}

/**
 * How an artifact is stored and moved.
 * - `value`: a scalar (int, float, bool, string); small, passed as a parameter where the target can.
 * - `json`: a structured value (json, list, map, record, optional of those) stored as a JSON document.
 * - `file` / `dir`: stored as a file or a directory tree.
 */
export type StorageIR = 'value' | 'json' | 'file' | 'dir';

export interface ArtifactRef {
  step: string;
  name: string;
}

/**
 * A step. Its decorators' fields (`resources`, `retry`, `timeoutSeconds`, `catch`, `env`, `secrets`, …) come
 * from the decorator catalogue (`decorators.ts`: each entry's `ir` part), in catalogue order between `outputs`
 * and `targets`.
 */
export interface StepIR extends StepDecorationsIR {
  name: string;
  /** The step's role in the DAG, derived from its `next` clause and incoming edges. */
  next: NextIR;
  /** When this step joins branches: the split or foreach step whose branches it closes; else null. */
  joins: string | null;
  /** The image to run in: the step's own `image`, else the flow default; null when none is set anywhere. */
  image: string | null;
  body: BodyIR;
  inputs: InputIR[];
  outputs: OutputIR[];
  /**
   * Settings only one target reads, by target name (`argo`, `batch`), then by the decorator that set them
   * (`@kubernetes`, `@batch`): its checked arguments by name. Opaque to everything else; each target's folder
   * holds its section's schema and reads it. Empty when the step has no such decorator.
   */
  targets: TargetSectionsIR;
  /** The foreach steps enclosing this step, outermost first (empty outside any foreach). */
  foreachStack: string[];
  /**
   * On the switching step of a bounded loop (`@loop(max: N)`): `N`, and the steps of the loop in source order
   * (a switch case going to one of them goes back). Absent on every other step.
   */
  loop?: { max: number; body: string[] };
  source: SourceRef;
}

export type NextIR =
  | { kind: 'end' }
  | { kind: 'linear'; to: string }
  /** A static split: every branch runs; `join` is the step that closes it. */
  | { kind: 'split'; to: string[]; join: string }
  /**
   * A foreach: one task of `to` per element of artifact `list` (visible at this step, after its body ran);
   * each task sees the element as input `item`. `join` closes the fan-out.
   */
  | { kind: 'foreach'; to: string; item: string; list: string; join: string }
  /**
   * A switch over artifact `on` (visible at this step after its body ran): exactly one case runs.
   * `merge` is the first step that every case reaches (where the branches reconverge), or `end`.
   */
  | { kind: 'switch'; on: string; onType: 'string' | 'int' | 'bool'; cases: SwitchCaseIR[]; default: string | null; merge: string };

export interface SwitchCaseIR {
  /** A case value; an integer beyond 2^53 is a `bigint` (exact). */
  value: string | number | bigint | boolean;
  to: string;
}

/** A string with `{{...}}` templates, pre-parsed. `parts` concatenated give the string. */
export interface TemplateIR {
  text: string;
  parts: TemplatePartIR[];
}
export type TemplatePartIR =
  | { kind: 'text'; text: string }
  /**
   * `{{in.x}}` / `{{param.x}}`: the value of a scalar, the path of anything else (file, dir, JSON document);
   * `{{out.x}}`: the path the step writes output x to.
   */
  | { kind: 'ref'; scope: 'in' | 'out' | 'param'; name: string; storage: StorageIR };

export type BodyIR =
  | { kind: 'none' }
  | { kind: 'shell'; command: TemplateIR }
  | { kind: 'argv'; args: TemplateIR[] }
  | { kind: 'script'; language: 'python' | 'sh'; source: string };

export interface InputIR {
  name: string;
  type: TypeIR;
  storage: StorageIR;
  from: InputSourceIR;
  source: SourceRef;
}

export type InputSourceIR =
  /** A flow parameter read like an artifact. */
  | { kind: 'param'; param: string }
  /**
   * An artifact produced upstream. `producers` are the steps whose output this can be, sorted by name:
   * more than one only past a switch (exactly one of them ran). At run time the value is the one produced by
   * the nearest producer among this task's ancestors.
   */
  | { kind: 'artifact'; artifact: string; producers: string[] }
  /** The element of the enclosing foreach (`next s foreach item in list`): `foreach` is the fanning-out step. */
  | { kind: 'item'; foreach: string; list: string }
  /**
   * At a join: one value per branch (split, in the order of the split's `next`) or per foreach task (in list order).
   * `branches` maps each incoming branch to its producers, in branch order (for a foreach: one entry).
   */
  | { kind: 'gather'; artifact: string; over: 'split' | 'foreach'; branches: { producers: string[] }[] }
  /** At a join: the value produced on the branch that ends in step `from` (`in x: T from a`). */
  | { kind: 'pick'; artifact: string; from: string; producers: string[] };

export interface OutputIR {
  name: string;
  type: TypeIR;
  storage: StorageIR;
  source: SourceRef;
}

export interface ResourcesIR {
  /** Cores, e.g. 0.5 or 16; null when not set. */
  cpu: number | null;
  /** MiB; null when not set. */
  memoryMiB: number | null;
  gpu: number | null;
  /** Ephemeral disk in MiB; null when not set. */
  diskMiB: number | null;
  /** `/dev/shm` in MiB (`shared_memory`); absent when not set. */
  sharedMemoryMiB?: number;
}

export interface RetryIR {
  /** Number of retries after the first attempt (so attempts = times + 1). */
  times: number;
  delaySeconds: number;
}

export interface SecretIR {
  /** The environment variable the secret is exposed as; null exposes every key of the secret as its own variable. */
  env: string | null;
  /** The secret's name (Kubernetes Secret name, or AWS Secrets Manager name/ARN). */
  secret: string;
  /** The key inside the secret; null for the whole secret. */
  key: string | null;
}

/** `StepIR.targets`: target name → decorator name → argument name → value. */
export type TargetSectionsIR = Record<string, Record<string, Record<string, JsonValue>>>;

export interface EdgeIR {
  from: string;
  to: string;
  kind: 'linear' | 'split' | 'foreach' | 'switch';
  /** For a switch edge: the case value as written (`"drama"`, `3`, `true`) or `else`. */
  label?: string;
}

export interface ScheduleIR {
  /** A standard five-field cron expression (`hourly`/`daily`/`weekly` are normalized to cron). */
  cron: string;
  /** IANA time zone, default `UTC`. */
  timezone: string;
}

export interface TriggerIR {
  /** The event name that starts the flow. */
  event: string;
}

/** Storage class of a type: scalars are values, file/dir themselves, everything else JSON. */
export function storageOf(type: TypeIR): StorageIR {
  switch (type.kind) {
    case 'int':
    case 'float':
    case 'bool':
    case 'string':
      return 'value';
    case 'file':
      return 'file';
    case 'dir':
      return 'dir';
    default:
      return 'json';
  }
}

/** An IR type, or a checker type (`sem-types.ts`: the same shape plus `error`). */
export type PrintableType = TypeIR | { kind: 'error' } | { kind: 'list'; element: PrintableType } | { kind: 'map'; value: PrintableType } | { kind: 'optional'; inner: PrintableType };

/**
 * A type as written in a `.flow` file: `int`, `[Stats]`, `{float}`, `string?`. The one type printer: the
 * checker's types print through it too, their error type as `?`.
 */
export function describeType(type: PrintableType): string {
  switch (type.kind) {
    case 'error':
      return '?';
    case 'list':
      return `[${describeType(type.element)}]`;
    case 'map':
      return `{${describeType(type.value)}}`;
    case 'optional':
      return `${describeType(type.inner)}?`;
    case 'record':
      return type.name;
    default:
      return type.kind;
  }
}

/**
 * The JSON Schema of a value of a type (draft 2020-12). `file` and `dir` values are paths (strings);
 * a record refers to `#/$defs/<Name>`, so the caller supplies `$defs` from `FlowIR.types`.
 */
export function typeSchema(type: TypeIR): JsonSchema {
  switch (type.kind) {
    case 'int':
      return { type: 'integer' };
    case 'float':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'string':
    case 'file':
    case 'dir':
      return { type: 'string' };
    case 'json':
      return {};
    case 'list':
      return { type: 'array', items: typeSchema(type.element) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(type.value) };
    case 'optional':
      return { anyOf: [typeSchema(type.inner), { type: 'null' }] };
    case 'record':
      return { $ref: `#/$defs/${type.name}` };
  }
}
