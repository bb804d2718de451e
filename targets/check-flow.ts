/**
 * The targets' checks on an IR: the same `TargetCheckFlow` analysis builds, taken from the IR, so a target
 * building an IR that did not come from analysis (a file, a test) still enforces its names and limits.
 */
import type { FlowIR } from '../compiler/ir.ts';
import type { TargetCheckFlow } from '../compiler/target-check.ts';

export function checkFlowOfIr(ir: FlowIR): TargetCheckFlow {
  return {
    name: ir.name,
    project: ir.project,
    span: ir.source.span,
    scheduled: ir.schedule !== null,
    steps: ir.steps.map((s) => ({ name: s.name, span: s.source.span, foreach: s.next.kind === 'foreach', ...(s.maxWorkers !== undefined ? { maxWorkers: s.maxWorkers } : {}), loop: s.loop !== undefined, resources: s.resources, resourceSpans: {} })),
  };
}
