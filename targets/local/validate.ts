/**
 * Validation of artifact and parameter values against their declared types, with ajv.
 * JSON Schemas are built from `TypeIR` (records come from the IR's `types`) and compiled on first use, once
 * per distinct type. Failures are explained in one sentence naming the expected and the actual type.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { describeType, typeSchema, type FlowIR, type TypeIR } from '../../compiler/ir.ts';
import { stringifyJson, withoutBigInts } from '../protocol/json64.ts';

/** The name of a value's type in the language's words (`int`, `float`, `string`, `list`, `object`, `null`). */
function actualType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'bigint') return 'int';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function shown(value: unknown): string {
  const text = stringifyJson(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function valueAt(root: unknown, pointer: string): unknown {
  let cur = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  }
  return cur;
}

export type TypeChecker = (value: unknown, type: TypeIR) => string | null;

/**
 * A checker for one flow: `check(value, type)` gives null when the value has the type, else the reason
 * (`is string "3"`, or `has /count = "3" (string) where int was expected`), to be completed by the caller
 * with what the value is (`Output 'x' of step 'a' should be int but is string "3".`).
 */
export function typeChecker(ir: Pick<FlowIR, 'types'>): TypeChecker {
  let ajv: Ajv2020 | undefined;
  const cache = new Map<string, ValidateFunction>();
  return (value, type) => {
    const key = JSON.stringify(type);
    let validate = cache.get(key);
    if (!validate) {
      ajv ??= new Ajv2020({ strict: false, allErrors: false });
      validate = ajv.compile({ $defs: ir.types, ...typeSchema(type) });
      cache.set(key, validate);
    }
    if (validate(withoutBigInts(value))) return null;
    const err = (validate.errors ?? [])[0] as ErrorObject | undefined;
    if (err?.keyword === 'required') {
      return `lacks field '${(err.params as { missingProperty: string }).missingProperty}'${err.instancePath ? ` at ${err.instancePath}` : ''}`;
    }
    if (!err || err.instancePath === '') return `is ${actualType(value)} ${shown(value)}`;
    const inner = valueAt(value, err.instancePath);
    return `has ${err.instancePath} = ${shown(inner)} (${actualType(inner)}): ${err.message}`;
  };
}

/** `Output 'x' of step 'a' should be int but is string "3".` */
export function typeMismatchMessage(what: string, type: TypeIR, reason: string): string {
  return `${what} should be ${describeType(type)} but ${reason}.`;
}
