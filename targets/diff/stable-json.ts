import { irJson } from '../../compiler/ir.ts';

/** JSON text with object keys sorted, so two equal values always give the same text (used to compare IR parts). */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return value === undefined ? 'null' : irJson(value);
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableJson(obj[k])}`)
    .join(',')}}`;
}
