/**
 * JSON with exact 64-bit integers: artifact and parameter values are read with lossless-json, so an integer that
 * a double cannot hold exactly (beyond 2^53) becomes a `bigint` instead of being rounded, and is written back with
 * all its digits. An integer outside the signed 64-bit range is an error naming it: flowc's `int` is 64-bit.
 * Decimals (with a point or an exponent) stay doubles, as `float` is.
 */
import { parse, stringify } from 'lossless-json';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** The error for an integer outside the signed 64-bit range; its message names the value. */
export class IntRangeError extends RangeError {}

const INTEGER = /^-?\d+$/;

function parseNumber(text: string): number | bigint {
  if (!INTEGER.test(text)) return Number(text);
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) {
    const shown = text.length > 40 ? `${text.slice(0, 40)}... (${text.replace('-', '').length} digits)` : text;
    throw new IntRangeError(`holds the integer ${shown}, outside the 64-bit range of int (-9223372036854775808 to 9223372036854775807)`);
  }
  return big;
}

/** Parses JSON text; integers beyond 2^53 become bigints. Throws a SyntaxError, or an IntRangeError. */
export function parseJson(text: string): unknown {
  return parse(text, null, parseNumber);
}

/** JSON text of a value that may hold bigints (written with all their digits). */
export function stringifyJson(value: unknown, space?: number): string {
  return stringify(value, null, space) ?? 'null';
}

/** True when the value holds a bigint somewhere (such values are not inlined in records, which use JSON.stringify). */
export function hasBigInt(value: unknown): boolean {
  if (typeof value === 'bigint') return true;
  if (Array.isArray(value)) return value.some(hasBigInt);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasBigInt);
  return false;
}

/** The value with its bigints as (inexact) numbers: for checks that only look at kinds, such as a JSON Schema. */
export function withoutBigInts(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(withoutBigInts);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutBigInts(v)]));
  return value;
}
