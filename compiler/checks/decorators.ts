/**
 * Decorators: names, placement, typed arguments and their values, checked against `decorators.ts`, and
 * turned into normalized values for lowering.
 *
 * Codes: unknown-decorator, misplaced-decorator, duplicate-decorator, unknown-argument, duplicate-argument,
 * missing-argument, invalid-argument, out-of-range, invalid-cron.
 */
import type { Decorator, Expr, Ident } from '../../grammar/ast.ts';
import type { Span } from '../../diagnostics/types.ts';
import type { KubernetesIR, ResourcesIR, ScheduleIR, SecretIR, StepIR } from '../ir.ts';
import type { CheckContext } from '../context.ts';
import { decoratorCatalog, durationToSeconds, SCHEDULE_PRESETS, sizeToMiB, type ArgKind, type ArgSpec, type DecoratorSpec } from '../decorators.ts';
import { didYouMean, suggest } from '../../diagnostics/suggest.ts';
import { cronError } from './cron.ts';
import { isTimeZone, timeZoneNames } from './timezone.ts';

/** A checked argument value, in normalized units (MiB, seconds, cores). */
export type ArgValue =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'string-map'; value: Record<string, string> }
  | { kind: 'string-list'; value: string[] }
  | { kind: 'tolerations'; value: KubernetesIR['tolerations'] };

/** A step's decorators, normalized as the IR holds them. */
export interface StepDecorations extends Pick<StepIR, 'resources' | 'retry' | 'timeoutSeconds' | 'catch' | 'env' | 'secrets' | 'kubernetes' | 'batch'> {
  /** Spans of the resource arguments, for the limits check. */
  resourceSpans: Partial<Record<keyof ResourcesIR, Span>>;
}

export interface FlowDecorations {
  schedule: ScheduleIR | null;
  triggers: { event: string }[];
  /** The upstream flows of `@trigger_on_finish`, in order, each once. */
  triggerOnFinish: string[];
  project: string | null;
}

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
  /** For `rest` decorators: named entries and positional values in order. */
  rest: { name: string | undefined; value: string; span: Span }[];
}

function checkDecorators(decorators: Decorator[], on: 'flow' | 'step', owner: string, ctx: CheckContext): Checked[] {
  const result: Checked[] = [];
  const seen = new Map<string, Decorator>();
  for (const decorator of decorators ?? []) {
    const name = decorator.name?.name;
    if (!name) continue;
    const spec = Object.prototype.hasOwnProperty.call(decoratorCatalog, name) ? decoratorCatalog[name] : undefined;
    if (!spec) {
      const suggestion = suggest(name, Object.values(decoratorCatalog).filter((d) => d.on === on).map((d) => d.name));
      ctx.report('unknown-decorator', decorator.name.span, `Unknown decorator '@${name}'.${didYouMean(suggestion && '@' + suggestion)}`, {
        data: suggestion ? { suggestion } : undefined,
      });
      continue;
    }
    if (spec.on !== on) {
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
          if (str !== undefined) checked.rest.push({ name: argName, value: str, span: value.span });
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

function storeValue(checked: Checked, arg: ArgSpec, value: Expr, ctx: CheckContext): void {
  const v = convert(checked.spec, arg, value, ctx);
  if (v) checked.values.set(arg.name, { value: v, span: value.span });
}

function convert(spec: DecoratorSpec, arg: ArgSpec, value: Expr, ctx: CheckContext): ArgValue | undefined {
  switch (arg.kind) {
    case 'number': {
      if (value.kind !== 'Int' && value.kind !== 'Float') return invalid(spec, arg, value, ctx);
      if (!(value.value > 0)) return outOfRange(spec, arg, value, `must be positive, not ${value.value}`, ctx);
      return { kind: 'number', value: value.value };
    }
    case 'count': {
      if (value.kind !== 'Int') return invalid(spec, arg, value, ctx);
      if (spec.name === 'retry' && (value.value < 1 || value.value > 10)) {
        return outOfRange(spec, arg, value, `must be between 1 and 10, not ${value.value}`, ctx);
      }
      if (value.value < 0) return outOfRange(spec, arg, value, `must not be negative, not ${value.value}`, ctx);
      return { kind: 'number', value: value.value };
    }
    case 'size': {
      if (value.kind !== 'Size') return invalid(spec, arg, value, ctx);
      const mib = sizeToMiB(value.value, value.unit);
      if (mib === undefined) return invalid(spec, arg, value, ctx);
      if (!(value.value > 0)) return outOfRange(spec, arg, value, `must be positive, not ${value.value}${value.unit}`, ctx);
      return { kind: 'number', value: mib };
    }
    case 'duration': {
      if (value.kind !== 'Duration') return invalid(spec, arg, value, ctx);
      const seconds = durationToSeconds(value.value, value.unit);
      if (seconds === undefined) return invalid(spec, arg, value, ctx);
      if (value.value < 0 || (spec.name === 'timeout' && !(value.value > 0))) {
        return outOfRange(spec, arg, value, `must be positive, not ${value.value}${value.unit}`, ctx);
      }
      return { kind: 'number', value: seconds };
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
      const out: KubernetesIR['tolerations'] = [];
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
        const t: KubernetesIR['tolerations'][number] = { key: fields.key ?? '', operator };
        if (fields.value !== undefined) t.value = fields.value;
        if (fields.effect !== undefined) t.effect = fields.effect;
        out.push(t);
      }
      return { kind: 'tolerations', value: out };
    }
  }
}

const num = (c: Checked | undefined, name: string): number | undefined => {
  const v = c?.values.get(name)?.value;
  return v?.kind === 'number' ? v.value : undefined;
};
const str = (c: Checked | undefined, name: string): string | undefined => {
  const v = c?.values.get(name)?.value;
  return v?.kind === 'string' ? v.value : undefined;
};

/** Checks a step's decorators and returns their normalized values. */
export function checkStepDecorators(decorators: Decorator[], step: string, ctx: CheckContext): StepDecorations {
  const checked = checkDecorators(decorators, 'step', `step '${step}'`, ctx);
  const get = (name: string) => checked.find((c) => c.spec.name === name);
  const res = get('resources');
  const out: StepDecorations = {
    resources: { cpu: num(res, 'cpu') ?? null, memoryMiB: num(res, 'memory') ?? null, gpu: num(res, 'gpu') ?? null, diskMiB: num(res, 'disk') ?? null },
    resourceSpans: {},
    retry: null,
    timeoutSeconds: null,
    catch: null,
    env: [],
    secrets: [],
    kubernetes: null,
    batch: null,
  };
  if (res) {
    const spans = out.resourceSpans;
    const span = (n: string) => res.values.get(n)?.span;
    spans.cpu = span('cpu');
    spans.memoryMiB = span('memory');
    spans.gpu = span('gpu');
    spans.diskMiB = span('disk');
  }
  const retry = get('retry');
  if (retry) out.retry = { times: num(retry, 'times') ?? 3, delaySeconds: num(retry, 'delay') ?? 0 };
  const timeout = get('timeout');
  if (timeout) out.timeoutSeconds = num(timeout, 'duration') ?? null;
  const katch = get('catch');
  if (katch) out.catch = { var: str(katch, 'var') ?? 'error' };
  const env = get('env');
  if (env) for (const e of env.rest) if (e.name) out.env.push({ name: e.name, value: e.value });
  const secrets = get('secrets');
  if (secrets) {
    for (const s of secrets.rest) {
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
  }
  const k8s = get('kubernetes');
  if (k8s) {
    const sel = k8s.values.get('node_selector')?.value;
    const tol = k8s.values.get('tolerations')?.value;
    out.kubernetes = {
      nodeSelector: sel?.kind === 'string-map' ? sel.value : {},
      tolerations: tol?.kind === 'tolerations' ? tol.value : [],
      serviceAccount: str(k8s, 'service_account') ?? null,
    };
  }
  const batch = get('batch');
  if (batch) out.batch = { queue: str(batch, 'queue') ?? null };
  return out;
}

/** Checks a flow's decorators and returns their normalized values. */
export function checkFlowDecorators(decorators: Decorator[], flow: string, ctx: CheckContext): FlowDecorations {
  const checked = checkDecorators(decorators, 'flow', `flow '${flow}'`, ctx);
  const schedule = checked.find((c) => c.spec.name === 'schedule');
  const cron = str(schedule, 'cron');
  return {
    schedule: schedule && cron ? { cron, timezone: str(schedule, 'timezone') ?? 'UTC' } : null,
    triggers: checked.filter((c) => c.spec.name === 'trigger').flatMap((c) => (str(c, 'event') ? [{ event: str(c, 'event')! }] : [])),
    triggerOnFinish: [
      ...new Set(
        checked
          .filter((c) => c.spec.name === 'trigger_on_finish')
          .flatMap((c) => {
            const v = c.values.get('flow')?.value;
            return v?.kind === 'string-list' ? v.value : [];
          }),
      ),
    ],
    project: checkProjectName(checked.find((c) => c.spec.name === 'project'), ctx),
  };
}

/** A project name becomes part of Kubernetes label values and AWS resource names, so it is kept to what both allow. */
const PROJECT_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

function checkProjectName(project: Checked | undefined, ctx: CheckContext): string | null {
  const name = str(project, 'name');
  if (name === undefined) return null;
  if (PROJECT_NAME.test(name)) return name;
  const span = project!.values.get('name')!.span;
  ctx.report('invalid-argument', span, `Project name '${name}' must start with a letter and hold only letters, digits, '-' and '_' (at most 40 characters): it becomes part of Kubernetes labels and AWS names.`);
  return null;
}
