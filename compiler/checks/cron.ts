/**
 * Validates standard five-field cron expressions (what Argo CronWorkflows and EventBridge rules accept once
 * translated): minute, hour, day of month, month, day of week; each field `*`, `N`, `A-B`, lists and `/STEP`.
 * Used by the `invalid-cron` check. Written by hand to keep start-up light.
 */
const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Why the expression is not a valid cron expression, as a sentence fragment, or undefined when it is. */
export function cronError(expr: string): string | undefined {
  const fields = expr.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) return `it has ${fields.length} field${fields.length === 1 ? '' : 's'} instead of 5`;
  for (let i = 0; i < 5; i++) {
    const spec = FIELDS[i];
    for (const part of fields[i].split(',')) {
      const why = partError(part, spec);
      if (why) return `the ${spec.name} field '${fields[i]}' ${why}`;
    }
  }
  return undefined;
}

function value(text: string, spec: (typeof FIELDS)[number]): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const idx = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (idx < 0) return undefined;
  return spec.min === 1 ? idx + 1 : idx;
}

function partError(part: string, spec: (typeof FIELDS)[number]): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined) return 'has more than one /';
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) return `has an invalid step '${step}'`;
  if (range === '*') return undefined;
  const [lo, hi, more] = range.split('-');
  if (more !== undefined) return `has an invalid range '${range}'`;
  const a = value(lo, spec);
  if (a === undefined) return `has an invalid value '${lo}'`;
  if (a < spec.min || a > spec.max) return `has ${a}, outside ${spec.min}-${spec.max}`;
  if (hi !== undefined) {
    const b = value(hi, spec);
    if (b === undefined) return `has an invalid value '${hi}'`;
    if (b < spec.min || b > spec.max) return `has ${b}, outside ${spec.min}-${spec.max}`;
    if (b < a) return `has a backwards range '${range}'`;
  }
  return undefined;
}
