/**
 * The units of size and duration literals with their factors: one table for the lexer (which units exist), the
 * decorator arguments (normalized to MiB and seconds), `flowc.yaml` sizes and the size pattern of its schema
 * (`compiler/config.schema.json`, kept equal to `SIZE_PATTERN` by a test).
 */

/** Bytes per size unit (decimal and binary). */
const SIZE_UNITS = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3, TiB: 1024 ** 4 } as const;

/** Seconds per duration unit. */
const DURATION_UNITS = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 } as const;

/** The units as written, in table order. */
export const sizeUnits = Object.keys(SIZE_UNITS) as (keyof typeof SIZE_UNITS)[];
export const durationUnits = Object.keys(DURATION_UNITS) as (keyof typeof DURATION_UNITS)[];

const factor = (table: Readonly<Record<string, number>>, unit: string): number | undefined =>
  Object.prototype.hasOwnProperty.call(table, unit) ? table[unit] : undefined;

/** A size in MiB, rounded up (undefined for an unknown unit). */
export function sizeToMiB(value: number, unit: string): number | undefined {
  const f = factor(SIZE_UNITS, unit);
  return f === undefined ? undefined : Math.ceil((value * f) / 1024 ** 2 - 1e-9);
}

/** A duration in whole seconds, rounded up (undefined for an unknown unit). */
export function durationToSeconds(value: number, unit: string): number | undefined {
  const f = factor(DURATION_UNITS, unit);
  return f === undefined ? undefined : Math.ceil(value * f - 1e-9);
}

/** A size as `flowc.yaml` writes it (`512GiB`, `1.5TB`). */
export const SIZE_PATTERN = `^\\d+(\\.\\d+)?(${sizeUnits.join('|')})$`;
