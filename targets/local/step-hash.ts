/**
 * The content hash of a step: what it runs and how (body, inputs and their sources, outputs, image, env,
 * secrets, retry, timeout, catch, next), without source positions, so that editing another part of the file
 * does not change it. Resume re-runs a step whose hash differs from the original run's.
 */
import { createHash } from 'node:crypto';
import { irJson, type FlowIR, type StepIR } from '../../compiler/ir.ts';

const isSourceRef = (v: unknown): boolean => typeof v === 'object' && v !== null && 'span' in v && 'file' in v;

/** Drops source positions while serializing (as JSON.stringify of a copy without them would, minus the copy). */
const withoutSpans = (key: string, value: unknown): unknown => (key === 'source' && isSourceRef(value) ? undefined : value);

export function stepHash(step: StepIR, ir: Pick<FlowIR, 'types'>): string {
  const types = new Set<string>();
  const collect = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(collect);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.kind === 'record' && typeof o.name === 'string') types.add(o.name);
      Object.values(o).forEach(collect);
    }
  };
  collect([step.inputs, step.outputs]);
  const usedTypes = [...types].sort().map((t) => [t, ir.types[t] ?? null]);
  return createHash('sha256').update(irJson([step, usedTypes], undefined, withoutSpans)).digest('hex').slice(0, 16);
}

export function stepHashes(ir: FlowIR): Record<string, string> {
  return Object.fromEntries(ir.steps.map((s) => [s.name, stepHash(s, ir)]));
}
