/**
 * `@resources` against the largest node of each target configured in `flowc.yaml` (`argo.limits`, `batch.limits`).
 *
 * Codes: resources-exceed-limits.
 */
import type { FlowcConfig, Limits } from '../config-types.ts';
import type { CheckContext } from '../context.ts';
import type { StepDecorations } from './decorators.ts';

const RESOURCE_KEYS = [
  ['cpu', 'cpu', 'cpu', ''],
  ['memoryMiB', 'memoryMiB', 'memory', 'MiB'],
  ['gpu', 'gpu', 'gpu', ''],
  ['diskMiB', 'diskMiB', 'disk', 'MiB'],
] as const;

export function checkResourceLimits(step: string, decorations: StepDecorations, config: FlowcConfig | undefined, ctx: CheckContext): void {
  if (!config) return;
  const targets: [string, Limits | undefined][] = [
    ['argo', config.argo?.limits],
    ['batch', config.batch?.limits],
  ];
  for (const [target, limits] of targets) {
    if (!limits) continue;
    for (const [key, limitKey, label, unit] of RESOURCE_KEYS) {
      const asked = decorations.resources[key];
      const limit = limits[limitKey];
      const span = decorations.resourceSpans[key];
      if (asked === null || limit === undefined || !span || asked <= limit) continue;
      ctx.report(
        'resources-exceed-limits',
        span,
        `Step '${step}' asks for ${asked}${unit} ${label}, but the largest ${target} node in flowc.yaml has ${limit}${unit}.`,
        { data: { target, resource: label, asked, limit } },
      );
    }
  }
}
