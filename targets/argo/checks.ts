/**
 * What only the Argo build can see, reported before building: the target's own check (`check.ts`: names and
 * limits) on the IR it is given, steps without an image, and `@env` values that Argo would take for one of its
 * own `{{...}}` templates.
 */
import type { StepIR } from '../../compiler/ir.ts';
import { checkFlowOfIr } from '../check-flow.ts';
import { checkArgo } from './check.ts';
import type { BuildContext } from './context.ts';

export function checkFlow(ctx: BuildContext): void {
  checkArgo(checkFlowOfIr(ctx.ir), ctx.options.config, ctx.report);
  for (const s of ctx.ir.steps) {
    if (s.image === null) {
      ctx.report('argo-missing-image', s.source.span, `Step '${s.name}' has no image: set 'image' on the flow or the step, or 'image' in flowc.yaml.`);
    }
    checkBraces(ctx, s);
    if (s.loop) {
      ctx.report(
        'argo-unsupported-loop',
        s.source.span,
        `Step '${s.name}' loops back (@loop(max: ${s.loop.max})), which the Argo target cannot build yet: run the flow locally or on Batch, or unroll the loop.`,
      );
    }
  }
}

/**
 * Scripts and commands with `{{` travel base64-encoded (step.ts, `containerArgv`); an `@env` value is meant to be
 * read as written in the manifest, so a `{{` there stays an error.
 */
function checkBraces(ctx: BuildContext, s: StepIR): void {
  for (const e of s.env) {
    if (e.value.includes('{{')) {
      ctx.report(
        'argo-template-braces',
        s.source.span,
        `Step '${s.name}' has '{{' in the value of @env '${e.name}', which Argo would read as one of its own templates. ` +
          `An @env value goes into the manifest as written, so pass this text through @secrets, or as a flow parameter the step reads, instead.`,
      );
      return;
    }
  }
}
