/**
 * `@parallel(nodes: N)`: a gang step runs as one logical task (node 0's outputs are the step's), so it goes on to
 * exactly one step: it starts no foreach, split or switch, a failed node is never caught, and the gang is not retried
 * (a node started again alone would not meet the others). Each node gets the variables torch.distributed reads, which
 * `@env` and `@secrets` then cannot set (on Argo and Batch the runtime's values won, locally the step's did).
 *
 * Codes: invalid-parallel, reserved-env.
 */
import type { CheckContext } from '../context.ts';
import type { StepModel } from '../resolve.ts';
import type { StepDecorations } from './decorators.ts';

const FANOUT: Record<string, [verb: string, noun: string]> = { NextForeach: ['start a foreach', 'foreach'], NextSwitch: ['switch', 'switch'] };

/** What every node of a gang gets (`env://` of torch.distributed). */
const GANG_ENV = ['RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'];

export function checkParallel(step: StepModel, decorations: StepDecorations, ctx: CheckContext): void {
  const parallel = decorations.ir.parallel;
  if (!parallel) return;
  const decorator = step.decl.decorators?.find((d) => d.name?.name === 'parallel');
  const at = decorator?.span ?? step.decl.name.span;
  const next = step.next;
  const what = next ? (FANOUT[next.kind] ?? (next.kind === 'NextSteps' && next.targets.length > 1 ? ['split', 'split'] : undefined)) : undefined;
  if (next && what) {
    ctx.report('invalid-parallel', next.span, `Step '${step.name}' runs on ${parallel.nodes} nodes (@parallel) and cannot ${what[0]}: node 0's outputs go on to one step. Move the ${what[1]} to the step after it.`, {
      related: [{ ...at, message: 'The step is made parallel here.' }],
    });
  }
  const retried = step.decl.decorators?.find((d) => d.name?.name === 'retry');
  if (retried && decorations.ir.retry) {
    ctx.report('invalid-parallel', retried.span, `Step '${step.name}' runs on ${parallel.nodes} nodes (@parallel) and cannot retry: a node started again alone would not meet the others at the rendezvous. Resume the run instead.`, {
      related: [{ ...at, message: 'The step is made parallel here.' }],
    });
  }
  for (const d of step.decl.decorators ?? []) {
    if (d.name?.name !== 'env' && d.name?.name !== 'secrets') continue;
    for (const arg of d.args) {
      if (!arg.name || !GANG_ENV.includes(arg.name.name)) continue;
      ctx.report('reserved-env', arg.name.span, `Step '${step.name}' runs on ${parallel.nodes} nodes (@parallel), and each node gets ${arg.name.name} for torch.distributed (${GANG_ENV.join(', ')}); @${d.name.name} cannot set it.`, {
        related: [{ ...at, message: 'The step is made parallel here.' }],
      });
    }
  }
  const caught = step.decl.decorators?.find((d) => d.name?.name === 'catch');
  if (caught && decorations.ir.catch) {
    ctx.report('invalid-parallel', caught.span, `Step '${step.name}' runs on ${parallel.nodes} nodes (@parallel) and cannot catch its failure: a failed node fails the step on every target.`, {
      related: [{ ...at, message: 'The step is made parallel here.' }],
    });
  }
}
