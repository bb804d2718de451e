/**
 * Labels and annotations that make a flow's resources and runs findable:
 * labels (selectable, at most 63 characters) for the flow, the project and the step; annotations for what does
 * not fit a label: the flow's name as written, the source file, and a hash of the flow's IR (which changes exactly
 * when the compiled flow does, since the IR is deterministic).
 */
import { createHash } from 'node:crypto';
import { irText, type FlowIR } from '../../compiler/ir.ts';
import type { BuildContext } from './context.ts';
import type { Labels } from './manifest-types.ts';
import { labelValue } from './names.ts';

export function flowLabels(ctx: BuildContext): Labels {
  const labels: Labels = { 'app.kubernetes.io/managed-by': 'flowc', 'flowc.dev/flow': ctx.flowName };
  if (ctx.ir.project !== null) labels['flowc.dev/project'] = labelValue(ctx.ir.project);
  const extra = ctx.options.config.argo?.labels ?? {};
  for (const key of Object.keys(extra).sort()) labels[key] = extra[key];
  return labels;
}

export function flowAnnotations(ctx: BuildContext): Labels {
  return {
    'flowc.dev/flow-name': ctx.ir.name,
    'flowc.dev/source': ctx.options.sourceFile,
    'flowc.dev/ir-sha256': irHash(ctx.ir),
  };
}

/** The SHA-256 of the IR's JSON text (key order is fixed by the IR contract). */
function irHash(ir: FlowIR): string {
  return createHash('sha256').update(irText(ir)).digest('hex');
}
