/** Finding syntax around an offset: the flow and step containing it, and the decorator or argument under it. */
import type { Decorator, DecoratorArg } from '../../grammar/ast.ts';
import { flowAt, type Analysis, type FlowAnalysis, type StepAnalysis } from '../analyze.ts';
import type { Span } from './types.ts';

export const contains = (span: Span, offset: number): boolean => span.start <= offset && offset <= span.end;

export interface Place {
  flow: FlowAnalysis | undefined;
  step: StepAnalysis | undefined;
}

export function placeAt(analysis: Analysis, offset: number): Place {
  const flow = flowAt(analysis, offset);
  if (!flow) return { flow: undefined, step: undefined };
  for (const s of flow.steps.values()) if (contains(s.model.decl.span, offset)) return { flow, step: s };
  return { flow, step: undefined };
}

export interface DecoratorAt {
  decorator: Decorator;
  on: 'flow' | 'step';
  /** The argument whose name is under the cursor, if any. */
  arg?: DecoratorArg;
}

export function decoratorAt(analysis: Analysis, offset: number): DecoratorAt | undefined {
  for (const flow of analysis.ast.flows ?? []) {
    for (const d of flow.decorators ?? []) if (contains(d.span, offset)) return withArg(d, 'flow', offset);
    for (const m of flow.members ?? []) {
      if (m.kind !== 'Step') continue;
      for (const d of m.decorators ?? []) if (contains(d.span, offset)) return withArg(d, 'step', offset);
    }
  }
  return undefined;
}

function withArg(decorator: Decorator, on: 'flow' | 'step', offset: number): DecoratorAt {
  const arg = (decorator.args ?? []).find((a) => a.name && contains(a.name.span, offset));
  return { decorator, on, arg };
}
