/**
 * Parameters: defaults must match the declared type (record defaults must have exactly the record's fields),
 * and a parameter that no step reads is a warning.
 *
 * Codes: type-mismatch, unknown-field, unused-param.
 */
import { describeType } from '../ir.ts';
import type { Expr } from '../../grammar/ast.ts';
import type { JsonValue } from '../ir.ts';
import { addReference, type CheckContext } from '../context.ts';
import { didYouMean, suggest } from '../../diagnostics/suggest.ts';
import type { FlowModel } from '../resolve.ts';
import type { Type } from '../sem-types.ts';

const exprKind: Record<Expr['kind'], string> = {
  String: 'a string',
  Int: 'an int',
  Float: 'a float',
  Bool: 'a bool',
  Size: 'a size',
  Duration: 'a duration',
  Null: 'null',
  List: 'a list',
  Object: 'an object',
  Name: 'a name',
};

/** Checks a value against a type, returning its JSON form, or undefined after reporting a mismatch. */
function checkValue(expr: Expr, type: Type, what: string, ctx: CheckContext): JsonValue | undefined {
  const mismatch = (): undefined => {
    ctx.report('type-mismatch', expr.span, `${what} is ${exprKind[expr.kind]}, but its type is ${describeType(type)}.`, {
      data: { expected: describeType(type), actual: expr.kind },
    });
    return undefined;
  };
  switch (type.kind) {
    case 'error':
      return null;
    case 'optional':
      return expr.kind === 'Null' ? null : checkValue(expr, type.inner, what, ctx);
    case 'int':
      return expr.kind === 'Int' ? expr.value : mismatch();
    case 'float':
      return expr.kind === 'Int' ? Number(expr.value) : expr.kind === 'Float' ? expr.value : mismatch();
    case 'bool':
      return expr.kind === 'Bool' ? expr.value : mismatch();
    case 'string':
    case 'file':
    case 'dir':
      return expr.kind === 'String' ? expr.value : mismatch();
    case 'json':
      return toJson(expr) ?? mismatch();
    case 'list': {
      if (expr.kind !== 'List') return mismatch();
      const out: JsonValue[] = [];
      for (const item of expr.items ?? []) {
        const v = checkValue(item, type.element, what, ctx);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'map': {
      if (expr.kind !== 'Object') return mismatch();
      const out: Record<string, JsonValue> = {};
      for (const e of expr.entries ?? []) {
        if (!e.key?.name || !e.value) continue;
        const v = checkValue(e.value, type.value, what, ctx);
        if (v === undefined) return undefined;
        out[e.key.name] = v;
      }
      return out;
    }
    case 'record': {
      if (expr.kind !== 'Object') return mismatch();
      const sym = ctx.types.get(type.name);
      if (!sym) return null;
      const out: Record<string, JsonValue> = {};
      let ok = true;
      for (const e of expr.entries ?? []) {
        const key = e.key?.name;
        if (!key || !e.value) continue;
        const field = sym.fields.get(key);
        if (!field) {
          const suggestion = suggest(key, sym.fields.keys());
          ctx.report('unknown-field', e.key.span, `Record '${type.name}' has no field '${key}'.${didYouMean(suggestion)}`, { data: suggestion ? { suggestion } : undefined });
          ok = false;
          continue;
        }
        addReference(ctx, field, e.key);
        const v = checkValue(e.value, field.type, what, ctx);
        if (v === undefined) ok = false;
        else out[key] = v;
      }
      const missing = [...sym.fields.values()].filter((f) => !(f.name in out) && f.type.kind !== 'optional' && !(expr.entries ?? []).some((e) => e.key?.name === f.name));
      for (const f of missing) {
        ok = false;
        ctx.report('unknown-field', expr.span, `${what} lacks field '${f.name}' of record '${type.name}'.`);
      }
      return ok ? out : undefined;
    }
  }
}

function toJson(expr: Expr): JsonValue | undefined {
  switch (expr.kind) {
    case 'String':
    case 'Int':
    case 'Float':
    case 'Bool':
      return expr.value;
    case 'Null':
      return null;
    case 'List': {
      const out: JsonValue[] = [];
      for (const item of expr.items ?? []) {
        const v = toJson(item);
        if (v === undefined) return undefined;
        out.push(v);
      }
      return out;
    }
    case 'Object': {
      const out: Record<string, JsonValue> = {};
      for (const e of expr.entries ?? []) {
        if (!e.key?.name || !e.value) continue;
        const v = toJson(e.value);
        if (v === undefined) return undefined;
        out[e.key.name] = v;
      }
      return out;
    }
    default:
      return undefined;
  }
}

/** Checks parameter defaults; returns the JSON defaults by parameter name. */
export function checkParamDefaults(flow: FlowModel, ctx: CheckContext): Map<string, JsonValue> {
  const defaults = new Map<string, JsonValue>();
  for (const p of flow.params) {
    if (!p.decl.default) continue;
    const v = checkValue(p.decl.default, p.type, `The default of parameter '${p.name}'`, ctx);
    if (v !== undefined) defaults.set(p.name, v);
  }
  return defaults;
}

/** Warns about parameters that no `in` and no `{{param.x}}` reads. */
export function checkUnusedParams(flow: FlowModel, used: ReadonlySet<string>, ctx: CheckContext): void {
  for (const p of flow.params) {
    if (!used.has(p.name) && !p.implicit) {
      ctx.report('unused-param', p.decl.name.span, `No step reads parameter '${p.name}'; read it with 'in ${p.name}' or '{{param.${p.name}}}', or remove it.`);
    }
  }
}
