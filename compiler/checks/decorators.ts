/**
 * Decorators: names, placement, typed arguments and their values, checked against the catalogue
 * (`decorators.ts`, generic over its kinds and ranges), then lowered into normalized values by each entry's
 * `ir.lower`.
 *
 * Codes: unknown-decorator, misplaced-decorator, duplicate-decorator, unknown-argument, duplicate-argument,
 * missing-argument, invalid-argument, out-of-range, invalid-cron.
 */
import type { Decorator, Expr, Ident } from '../../grammar/ast.ts';
import type { Span } from '../../diagnostics/types.ts';
import type { JsonValue, TargetSectionsIR } from '../ir.ts';
import type { CheckContext } from '../context.ts';
import { absentFields, appliesTo, decoratorCatalog, irParts, rangeOf, SCHEDULE_PRESETS, type ArgKind, type ArgSpec, type DecoratorArgs, type DecoratorSpec, type StepDecoratorSpec, type FlowDecorationsIR, type StepDecorationsIR } from '../decorators.ts';
import { durationToSeconds, sizeToMiB } from '../../grammar/units.ts';
import { didYouMean, suggest } from '../../diagnostics/suggest.ts';
import { cronError } from './cron.ts';
import { isTimeZone, timeZoneNames } from './timezone.ts';

/** A checked argument value, in normalized units (MiB, seconds, cores). */
export type ArgValue =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'string-map'; value: Record<string, string> }
  | { kind: 'string-list'; value: string[] }
  | { kind: 'tolerations'; value: Toleration[] };

/** A Kubernetes toleration as `@kubernetes(tolerations)` checks it. */
export interface Toleration {
  key: string;
  operator: 'Equal' | 'Exists';
  value?: string;
  effect?: string;
}

/** The decorators of a step or a flow, checked. */
interface Decorations<IR> {
  /** Their IR fields, normalized as the IR holds them (each entry's `ir.lower`). */
  ir: IR;
  /** Where each checked argument was written, by decorator and argument name (the limits check points at them). */
  argSpans: Record<string, Record<string, Span>>;
}
export interface StepDecorations extends Decorations<StepDecorationsIR> {
  /** The sections of settings only one target reads (the decorators with a `target`), by target, then decorator. */
  targets: TargetSectionsIR;
}
export type FlowDecorations = Decorations<FlowDecorationsIR>;

const KIND_HINT: Record<ArgKind, string> = {
  number: 'a number such as 4 or 0.5',
  count: 'a whole number such as 3',
  size: 'a size such as 20GiB',
  duration: 'a duration such as 30s, 5m or 2h',
  string: 'a string such as "value"',
  name: 'a name',
  cron: 'a cron string such as "0 3 * * *", or hourly, daily or weekly',
  'string-map': 'a map of strings such as { pool: "gpu" }',
  'flow-names': 'a flow name such as "Ingest", or a list of them',
  tolerations: 'a list of tolerations such as [{ key: "gpu", operator: "Exists" }]',
};

interface Checked {
  spec: DecoratorSpec;
  decorator: Decorator;
  /** Checked values of the named spec arguments. */
  values: Map<string, { value: ArgValue; span: Span }>;
  /** For `rest` decorators: named entries and positional values in order (`span`: the value's; `nameSpan`: the name's). */
  rest: { name: string | undefined; value: string; span: Span; nameSpan?: Span }[];
}

function checkDecorators(decorators: Decorator[], on: 'flow' | 'step', owner: string, ctx: CheckContext): Checked[] {
  const result: Checked[] = [];
  const seen = new Map<string, Decorator>();
  for (const decorator of decorators ?? []) {
    const name = decorator.name?.name;
    if (!name) continue;
    const spec = Object.prototype.hasOwnProperty.call(decoratorCatalog, name) ? decoratorCatalog[name] : undefined;
    if (!spec) {
      const suggestion = suggest(name, Object.values(decoratorCatalog).filter((d) => appliesTo(d, on)).map((d) => d.name));
      ctx.report('unknown-decorator', decorator.name.span, `Unknown decorator '@${name}'.${didYouMean(suggestion && '@' + suggestion)}`, {
        data: suggestion ? { suggestion } : undefined,
      });
      continue;
    }
    if (!appliesTo(spec, on)) {
      ctx.report('misplaced-decorator', decorator.name.span, `Decorator '@${name}' applies to ${spec.on === 'flow' ? 'flows' : 'steps'}, not to ${on === 'flow' ? 'flows' : 'steps'}.`);
      continue;
    }
    const first = seen.get(name);
    if (first && !spec.repeatable) {
      ctx.report('duplicate-decorator', decorator.name.span, `Decorator '@${name}' is already given on ${owner}.`, {
        related: [{ ...first.span, message: 'The first one is here.' }],
      });
      continue;
    }
    seen.set(name, decorator);
    result.push(checkArgs(spec, decorator, ctx));
  }
  return result;
}

function checkArgs(spec: DecoratorSpec, decorator: Decorator, ctx: CheckContext): Checked {
  const checked: Checked = { spec, decorator, values: new Map(), rest: [] };
  const given = new Map<string, Ident | Span>();
  let positionalUsed = false;
  for (const arg of decorator.args ?? []) {
    const value = arg.value;
    if (!arg.name) {
      if (spec.rest?.positional) {
        if (value) {
          const str = asString(value, spec, '', ctx);
          if (str !== undefined) checked.rest.push({ name: undefined, value: str, span: value.span });
        }
        continue;
      }
      const target = spec.args.find((a) => a.positional);
      if (!target || positionalUsed) {
        ctx.report('invalid-argument', arg.span, `Decorator '@${spec.name}' takes ${target ? 'one positional argument' : 'only named arguments'}${target ? '' : `, e.g. ${spec.example}`}.`);
        continue;
      }
      positionalUsed = true;
      if (given.has(target.name)) {
        ctx.report('duplicate-argument', arg.span, `Argument '${target.name}' of '@${spec.name}' is already given.`);
        continue;
      }
      given.set(target.name, arg.span);
      if (value) storeValue(checked, target, value, ctx);
      continue;
    }
    const argName = arg.name.name;
    if (!argName) continue;
    if (given.has(argName)) {
      ctx.report('duplicate-argument', arg.name.span, `Argument '${argName}' of '@${spec.name}' is already given.`);
      continue;
    }
    given.set(argName, arg.name);
    const target = spec.args.find((a) => a.name === argName);
    if (!target) {
      if (spec.rest) {
        if (value) {
          const str = asString(value, spec, argName, ctx);
          if (str !== undefined) checked.rest.push({ name: argName, value: str, span: value.span, nameSpan: arg.name.span });
        }
        continue;
      }
      const suggestion = suggest(argName, spec.args.map((a) => a.name));
      ctx.report('unknown-argument', arg.name.span, `Decorator '@${spec.name}' has no argument '${argName}'.${didYouMean(suggestion)}`, {
        data: suggestion ? { suggestion } : undefined,
      });
      continue;
    }
    if (value) storeValue(checked, target, value, ctx);
  }
  for (const a of spec.args) {
    if (a.required && !given.has(a.name)) {
      ctx.report('missing-argument', decorator.span, `Decorator '@${spec.name}' needs the argument '${a.name}' (${KIND_HINT[a.kind]}).`);
    }
  }
  return checked;
}

function asString(value: Expr, spec: DecoratorSpec, argName: string, ctx: CheckContext): string | undefined {
  if (value.kind === 'String') return value.value;
  if (value.kind === 'Int' || value.kind === 'Float' || value.kind === 'Bool') return String(value.value);
  ctx.report('invalid-argument', value.span, `Argument ${argName ? `'${argName}' ` : ''}of '@${spec.name}' must be a string.`);
  return undefined;
}

function invalid(spec: DecoratorSpec, arg: ArgSpec, value: Expr, ctx: CheckContext): undefined {
  ctx.report('invalid-argument', value.span, `Argument '${arg.name}' of '@${spec.name}' expected ${KIND_HINT[arg.kind]}.`, { data: { expected: arg.kind } });
  return undefined;
}

function outOfRange(spec: DecoratorSpec, arg: ArgSpec, value: Expr, why: string, ctx: CheckContext): undefined {
  ctx.report('out-of-range', value.span, `Argument '${arg.name}' of '@${spec.name}' ${why}.`);
  return undefined;
}

/** True when the number written is in the argument's range (`rangeOf`); reports `out-of-range` otherwise. */
function inRange(spec: DecoratorSpec, arg: ArgSpec, value: Expr, n: number, unit: string, ctx: CheckContext): boolean {
  const range = rangeOf(arg);
  if (!range) return true;
  const { min, max, minExclusive } = range;
  if ((minExclusive ? n > min : n >= min) && (max === undefined || n <= max)) return true;
  const shown = `${n}${unit}`;
  if (max !== undefined) outOfRange(spec, arg, value, `must be between ${min} and ${max}, not ${shown}`, ctx);
  else if (min === 0) outOfRange(spec, arg, value, minExclusive ? `must be positive, not ${shown}` : `must not be negative, not ${shown}`, ctx);
  else outOfRange(spec, arg, value, `must be ${minExclusive ? 'greater than' : 'at least'} ${min}, not ${shown}`, ctx);
  return false;
}

function storeValue(checked: Checked, arg: ArgSpec, value: Expr, ctx: CheckContext): void {
  const v = convert(checked.spec, arg, value, ctx);
  if (v) checked.values.set(arg.name, { value: v, span: value.span });
}

function convert(spec: DecoratorSpec, arg: ArgSpec, value: Expr, ctx: CheckContext): ArgValue | undefined {
  switch (arg.kind) {
    case 'number': {
      if (value.kind !== 'Int' && value.kind !== 'Float') return invalid(spec, arg, value, ctx);
      // Decorator numbers are small (cpus, attempts, bounds): a bigint is far past any range they allow.
      const n = Number(value.value);
      return inRange(spec, arg, value, n, '', ctx) ? { kind: 'number', value: n } : undefined;
    }
    case 'count': {
      if (value.kind !== 'Int') return invalid(spec, arg, value, ctx);
      const n = Number(value.value);
      return inRange(spec, arg, value, n, '', ctx) ? { kind: 'number', value: n } : undefined;
    }
    case 'size': {
      if (value.kind !== 'Size') return invalid(spec, arg, value, ctx);
      const mib = sizeToMiB(value.value, value.unit);
      if (mib === undefined) return invalid(spec, arg, value, ctx);
      return inRange(spec, arg, value, value.value, value.unit, ctx) ? { kind: 'number', value: mib } : undefined;
    }
    case 'duration': {
      if (value.kind !== 'Duration') return invalid(spec, arg, value, ctx);
      const seconds = durationToSeconds(value.value, value.unit);
      if (seconds === undefined) return invalid(spec, arg, value, ctx);
      return inRange(spec, arg, value, value.value, value.unit, ctx) ? { kind: 'number', value: seconds } : undefined;
    }
    case 'string':
      if (value.kind !== 'String') return invalid(spec, arg, value, ctx);
      if (value.value === '') return outOfRange(spec, arg, value, 'must not be empty', ctx);
      if (spec.name === 'schedule' && arg.name === 'timezone' && !isTimeZone(value.value)) {
        const suggestion = suggest(value.value, timeZoneNames());
        // Inside the quotes, so the quick fix replaces the name only (when the string has no escapes).
        const plain = value.span.end - value.span.start === value.value.length + 2;
        const at = plain ? { start: value.span.start + 1, end: value.span.end - 1 } : value.span;
        ctx.report('unknown-timezone', at, `'${value.value}' is not an IANA time zone name (such as 'Europe/Berlin' or 'UTC').${didYouMean(suggestion)}`, {
          data: suggestion && plain ? { suggestion } : undefined,
        });
        return undefined;
      }
      return { kind: 'string', value: value.value };
    case 'name':
      if (value.kind === 'Name' && value.name?.name) return { kind: 'string', value: value.name.name };
      if (value.kind === 'String' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(value.value)) return { kind: 'string', value: value.value };
      return invalid(spec, arg, value, ctx);
    case 'cron': {
      if (value.kind === 'Name' && value.name?.name) {
        const preset = SCHEDULE_PRESETS[value.name.name];
        if (preset) return { kind: 'string', value: preset };
        const suggestion = suggest(value.name.name, Object.keys(SCHEDULE_PRESETS));
        ctx.report('invalid-argument', value.span, `'${value.name.name}' is not a schedule; use hourly, daily, weekly or a cron string.${didYouMean(suggestion)}`, {
          data: suggestion ? { suggestion } : undefined,
        });
        return undefined;
      }
      if (value.kind !== 'String') return invalid(spec, arg, value, ctx);
      const why = cronError(value.value);
      if (why) {
        ctx.report('invalid-cron', value.span, `The cron expression "${value.value}" does not parse: ${why}.`);
        return undefined;
      }
      return { kind: 'string', value: value.value.trim().split(/\s+/).join(' ') };
    }
    case 'flow-names': {
      const items = value.kind === 'List' ? (value.items ?? []) : [value];
      const names: string[] = [];
      for (const item of items) {
        if (item.kind !== 'String' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(item.value)) return invalid(spec, arg, item, ctx);
        if (!names.includes(item.value)) names.push(item.value);
      }
      if (names.length === 0) return invalid(spec, arg, value, ctx);
      return { kind: 'string-list', value: names };
    }
    case 'string-map': {
      if (value.kind !== 'Object') return invalid(spec, arg, value, ctx);
      const out: Record<string, string> = {};
      for (const entry of value.entries ?? []) {
        const key = entry.key?.name;
        if (!key || !entry.value) continue;
        if (entry.value.kind !== 'String') {
          invalid(spec, arg, entry.value, ctx);
          continue;
        }
        out[key] = entry.value.value;
      }
      return { kind: 'string-map', value: out };
    }
    case 'tolerations': {
      if (value.kind !== 'List') return invalid(spec, arg, value, ctx);
      const out: Toleration[] = [];
      for (const item of value.items ?? []) {
        if (item.kind !== 'Object') {
          invalid(spec, arg, item, ctx);
          continue;
        }
        const fields: Record<string, string> = {};
        for (const entry of item.entries ?? []) {
          const key = entry.key?.name;
          if (!key || !entry.value) continue;
          if (!['key', 'operator', 'value', 'effect'].includes(key)) {
            const suggestion = suggest(key, ['key', 'operator', 'value', 'effect']);
            ctx.report('unknown-argument', entry.key.span, `A toleration has no field '${key}'.${didYouMean(suggestion)}`, { data: suggestion ? { suggestion } : undefined });
            continue;
          }
          if (entry.value.kind !== 'String') {
            invalid(spec, arg, entry.value, ctx);
            continue;
          }
          fields[key] = entry.value.value;
        }
        const operator = fields.operator ?? (fields.value !== undefined ? 'Equal' : 'Exists');
        if (operator !== 'Equal' && operator !== 'Exists') {
          ctx.report('invalid-argument', item.span, `A toleration's operator must be "Equal" or "Exists", not "${operator}".`);
          continue;
        }
        const t: Toleration = { key: fields.key ?? '', operator };
        if (fields.value !== undefined) t.value = fields.value;
        if (fields.effect !== undefined) t.effect = fields.effect;
        out.push(t);
      }
      return { kind: 'tolerations', value: out };
    }
  }
}

/** What a decorator's `lower` reads: the checked values, with the catalogue's defaults. */
function argsOf(c: Checked): DecoratorArgs {
  const specOf = (name: string) => c.spec.args.find((a) => a.name === name);
  return {
    decorator: c.decorator,
    num: (name) => {
      const v = c.values.get(name)?.value;
      if (v?.kind === 'number') return v.value;
      const d = specOf(name)?.default;
      return typeof d === 'number' ? d : undefined;
    },
    str: (name) => {
      const v = c.values.get(name)?.value;
      if (v?.kind === 'string') return v.value;
      const d = specOf(name)?.default;
      return typeof d === 'string' ? d : undefined;
    },
    given: (name) => c.values.get(name)?.value,
    span: (name) => c.values.get(name)?.span,
    rest: c.rest,
  };
}

/** Checks the decorators of a step or a flow and returns their IR fields, each entry's `ir.lower` on its checked values. */
function checkAndLower<IR extends object>(checked: Checked[], on: 'step' | 'flow', ir: IR, ctx: CheckContext): Decorations<IR> {
  const fields = ir as Record<string, unknown>;
  const argSpans: Record<string, Record<string, Span>> = {};
  for (const c of checked) {
    argSpans[c.spec.name] = Object.fromEntries([...c.values].map(([name, v]) => [name, v.span]));
    const part = c.spec.ir;
    if (!part) continue;
    const value = part.lower(argsOf(c), fields[part.field] ?? part.absent, ctx);
    if (value !== undefined) fields[part.field] = value;
  }
  // In catalogue order, whichever decorator came first in the source (a field absent as `undefined` may have been added last).
  const ordered: Record<string, unknown> = {};
  for (const part of irParts(on)) if (fields[part.field] !== undefined) ordered[part.field] = fields[part.field];
  return { ir: ordered as IR, argSpans };
}

/** The target sections: each `target` decorator's checked arguments with their defaults, targets sorted, decorators and arguments in catalogue order. */
function targetSections(checked: Checked[]): TargetSectionsIR {
  const sections: TargetSectionsIR = {};
  const given = checked.filter((c) => c.spec.on === 'step' && c.spec.target);
  for (const target of [...new Set(given.map((c) => (c.spec as StepDecoratorSpec).target!))].sort()) {
    const section: TargetSectionsIR[string] = {};
    for (const spec of Object.values(decoratorCatalog)) {
      const c = given.find((g) => g.spec === spec && spec.on === 'step' && spec.target === target);
      if (!c) continue;
      const args: Record<string, JsonValue> = {};
      for (const arg of spec.args) {
        const value = c.values.get(arg.name)?.value.value ?? arg.default;
        if (value !== undefined) args[arg.name] = value as JsonValue;
      }
      section[spec.name] = args;
    }
    sections[target] = section;
  }
  return sections;
}

/** Checks a step's decorators and returns their normalized values. */
export function checkStepDecorators(decorators: Decorator[], step: string, ctx: CheckContext): StepDecorations {
  const checked = checkDecorators(decorators, 'step', `step '${step}'`, ctx);
  return { ...checkAndLower(checked, 'step', absentFields('step'), ctx), targets: targetSections(checked) };
}

/** Checks a flow's decorators and returns their normalized values. */
export const checkFlowDecorators = (decorators: Decorator[], flow: string, ctx: CheckContext): FlowDecorations =>
  checkAndLower(checkDecorators(decorators, 'flow', `flow '${flow}'`, ctx), 'flow', absentFields('flow'), ctx);
