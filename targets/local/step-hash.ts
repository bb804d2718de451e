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
  return createHash('sha256').update(hashedText(step, usedTypes)).digest('hex').slice(0, 16);
}

/**
 * The JSON the hash is taken of: the step and its types without source positions. The IR has them on the step, its
 * inputs and its outputs: copies without them serialize natively, several times faster than with a replacer
 * (a build hashes every step); a step that JSON.stringify refuses (a bigint) goes through `irJson`.
 */
function hashedText(step: StepIR, usedTypes: unknown[]): string {
  const bare = { ...step, source: undefined, inputs: step.inputs.map((i) => ({ ...i, source: undefined })), outputs: step.outputs.map((o) => ({ ...o, source: undefined })) };
  try {
    return JSON.stringify([bare, usedTypes]);
  } catch {
    return irJson([step, usedTypes], undefined, withoutSpans);
  }
}

export function stepHashes(ir: FlowIR): Record<string, string> {
  return Object.fromEntries(ir.steps.map((s) => [s.name, stepHash(s, ir)]));
}
