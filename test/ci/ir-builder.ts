/** Hand-built IR for tests of IR consumers that should not depend on the front end: a few steps, linear by default. */
import { absentFields } from '../../compiler/decorators.ts';
import type { EdgeIR, FlowIR, StepIR } from '../../compiler/ir.ts';

export interface StepSpec extends Partial<Omit<StepIR, 'name' | 'next'>> {
  name: string;
  /** Successors; several make a split closed by `join`. */
  to?: string[];
  join?: string;
}

const span = { start: 0, end: 0 };

function step(spec: StepSpec): StepIR {
  const to = spec.to ?? [];
  const { to: _to, join, ...rest } = spec;
  return {
    next: to.length === 0 ? { kind: 'end' } : to.length === 1 ? { kind: 'linear', to: to[0] } : { kind: 'split', to, join: join ?? 'join' },
    joins: null,
    image: null,
    body: { kind: 'none' },
    inputs: [],
    outputs: [],
    ...absentFields('step'),
    targets: {},
    foreachStack: [],
    source: { file: 'f.flow', span },
    ...rest,
  };
}

export function flow(name: string, steps: StepSpec[], extra: Partial<FlowIR> = {}): FlowIR {
  const built = steps.map(step);
  const edges: EdgeIR[] = [];
  for (const s of steps) for (const t of s.to ?? []) edges.push({ from: s.name, to: t, kind: (s.to ?? []).length > 1 ? 'split' : 'linear' });
  return {
    irVersion: 1,
    name,
    source: { file: 'f.flow', span },
    image: 'python:3.12-slim',
    params: [],
    types: {},
    steps: built,
    edges,
    ...absentFields('flow'),
    results: [],
    ...extra,
  };
}

export const python = (source: string): StepIR['body'] => ({ kind: 'script', language: 'python', source });
