/**
 * `@resources` against the largest node of a target, as `flowc.yaml` gives it (`argo.limits`, `batch.limits`):
 * one rule and one code (`resources-exceed-limits`) for every target, called by each target's check.
 */
import type { Limits } from '../compiler/config-types.ts';
import type { Report } from '../diagnostics/report.ts';
import type { TargetCheckStep } from '../compiler/target-check.ts';

const RESOURCE_KEYS = [
  ['cpu', 'cpu', ''],
  ['memoryMiB', 'memory', 'MiB'],
  ['gpu', 'gpu', ''],
  ['diskMiB', 'disk', 'MiB'],
] as const;

/** Reports each resource of `step` above `limits` (set under `target` in flowc.yaml), at its argument when known. */
export function checkResourceLimits(target: string, step: TargetCheckStep, limits: Limits | undefined, report: Report): void {
  if (!limits) return;
  for (const [key, label, unit] of RESOURCE_KEYS) {
    const asked = step.resources[key];
    const limit = limits[key];
    if (asked === null || limit === undefined || asked <= limit) continue;
    report(
      'resources-exceed-limits',
      step.resourceSpans[key] ?? step.span,
      `Step '${step.name}' asks for ${asked}${unit} ${label}, but the largest ${target} node in flowc.yaml has ${limit}${unit}.`,
      { data: { target, resource: label, asked, limit } },
    );
  }
}
