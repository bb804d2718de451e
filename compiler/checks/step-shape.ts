/**
 * The shape of a step: one body at most, exactly one `next` (none on `end`), one image at most.
 *
 * Codes: duplicate-body, duplicate-next, missing-next, end-has-next, duplicate-image.
 */
import { isBody, isNext } from '../../grammar/ast.ts';
import type { CheckContext } from '../context.ts';
import type { StepModel } from '../resolve.ts';

export function checkStepShape(step: StepModel, ctx: CheckContext): void {
  let bodies = 0;
  let nexts = 0;
  let images = 0;
  for (const member of step.decl.members ?? []) {
    if (isBody(member)) {
      if (++bodies > 1) {
        ctx.report('duplicate-body', member.span, `Step '${step.name}' already has a body; a step runs one command or script.`, {
          related: step.body ? [{ ...step.body.span, message: 'The first body is here.' }] : undefined,
        });
      }
    } else if (isNext(member)) {
      nexts++;
      if (step.name === 'end') {
        ctx.report('end-has-next', member.span, "Step 'end' finishes the flow and cannot have a 'next'.");
      } else if (nexts > 1) {
        ctx.report('duplicate-next', member.span, `Step '${step.name}' already has a 'next'; list several targets in one clause for a split.`, {
          related: step.next ? [{ ...step.next.span, message: "The first 'next' is here." }] : undefined,
        });
      }
    } else if (member.kind === 'Image') {
      if (++images > 1) ctx.report('duplicate-image', member.span, `Step '${step.name}' already sets an image.`);
    }
  }
  if (nexts === 0 && step.name !== 'end') {
    ctx.report('missing-next', step.decl.name.span, `Step '${step.name}' has no 'next'; every step except 'end' must say where the flow goes.`);
  }
}
