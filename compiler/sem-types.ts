/**
 * Semantic types: what a `TypeExpr` means after resolution.
 *
 * Invariant: the error type (`{ kind: 'error' }`) stands for anything that could not be resolved; it is
 * assignable to and from every type, so an unresolved name raises exactly one diagnostic and nothing further.
 */
import { describeType, type TypeIR } from './ir.ts';

export type ScalarKind = 'int' | 'float' | 'bool' | 'string' | 'json' | 'file' | 'dir';

export type Type =
  | { kind: ScalarKind }
  | { kind: 'list'; element: Type }
  | { kind: 'map'; value: Type }
  | { kind: 'optional'; inner: Type }
  | { kind: 'record'; name: string }
  | { kind: 'error' };

export const BUILTIN_TYPES: readonly ScalarKind[] = ['int', 'float', 'bool', 'string', 'json', 'file', 'dir'];

export const errorType: Type = { kind: 'error' };

/**
 * `Failure`, the built-in record a `@catch(var: NAME)` variable holds when the step's task failed (null when it
 * succeeded): the exception type (`ZeroDivisionError`, or `ExitCode`, `Timeout`, `Killed`, `MissingOutput`,
 * `TypeMismatch`, `StartFailed` for a task that failed outside a Python exception), its message, the attempts
 * made and the exit code of the last one.
 */
export const FAILURE_TYPE = 'Failure';
export const failureFields: ReadonlyMap<string, Type> = new Map<string, Type>([
  ['type', { kind: 'string' }],
  ['message', { kind: 'string' }],
  ['attempts', { kind: 'int' }],
  ['exit_code', { kind: 'optional', inner: { kind: 'int' } }],
]);
/** The type of a catch variable: `Failure?`. */
export const catchVarType: Type = { kind: 'optional', inner: { kind: 'record', name: FAILURE_TYPE } };

export const isBuiltinType = (name: string): name is ScalarKind => (BUILTIN_TYPES as readonly string[]).includes(name);

/** True when the type (or any part of it) is optional at the top: `T?`. */
export const isOptional = (t: Type): boolean => t.kind === 'optional' || t.kind === 'error' || t.kind === 'json';

/** Field types of the declared records, by record name, for structural comparison. */
export type RecordTable = ReadonlyMap<string, ReadonlyMap<string, Type>>;

/**
 * Why a value of type `from` cannot be used where `to` is expected, or undefined when it can.
 * Rules: equal types; `T` into `T?`; anything into `json`; `int` into `float`; lists, maps and optionals
 * element-wise; records by name, or structurally (every field of `to` present in `from` with an assignable type).
 */
export function whyNotAssignable(from: Type, to: Type, records: RecordTable, depth = 0): string | undefined {
  if (from.kind === 'error' || to.kind === 'error' || depth > 20) return undefined;
  if (to.kind === 'json') return undefined;
  if (to.kind === 'optional') {
    if (from.kind === 'optional') return whyNotAssignable(from.inner, to.inner, records, depth + 1);
    return whyNotAssignable(from, to.inner, records, depth + 1);
  }
  if (to.kind === 'float' && from.kind === 'int') return undefined;
  if (from.kind !== to.kind) return '';
  if (from.kind === 'list' && to.kind === 'list') return whyNotAssignable(from.element, to.element, records, depth + 1);
  if (from.kind === 'map' && to.kind === 'map') return whyNotAssignable(from.value, to.value, records, depth + 1);
  if (from.kind === 'record' && to.kind === 'record') {
    if (from.name === to.name) return undefined;
    const fromFields = records.get(from.name);
    const toFields = records.get(to.name);
    if (!fromFields || !toFields) return undefined;
    for (const [field, fieldType] of toFields) {
      const have = fromFields.get(field);
      if (!have) return `record '${from.name}' has no field '${field}' that '${to.name}' requires`;
      const why = whyNotAssignable(have, fieldType, records, depth + 1);
      if (why !== undefined) {
        return `field '${field}' is ${describeType(have)} in '${from.name}' but ${describeType(fieldType)} in '${to.name}'`;
      }
    }
    return undefined;
  }
  return undefined;
}

export const isAssignable = (from: Type, to: Type, records: RecordTable): boolean => whyNotAssignable(from, to, records) === undefined;

export function typeToIR(t: Type): TypeIR {
  switch (t.kind) {
    case 'list':
      return { kind: 'list', element: typeToIR(t.element) };
    case 'map':
      return { kind: 'map', value: typeToIR(t.value) };
    case 'optional':
      return { kind: 'optional', inner: typeToIR(t.inner) };
    case 'record':
      return { kind: 'record', name: t.name };
    case 'error':
      return { kind: 'json' };
    default:
      return { kind: t.kind };
  }
}

