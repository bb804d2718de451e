/**
 * Images: a step with a body needs an image on the container targets (its own, the flow's, or `flowc.yaml`'s).
 * A warning rather than an error: local runs use the host and need none.
 *
 * Codes: missing-image.
 */
import type { CheckContext } from '../context.ts';
import type { FlowModel } from '../resolve.ts';

export function checkImages(flow: FlowModel, configImage: string | undefined, ctx: CheckContext): void {
  if (flow.image?.value?.value || configImage) return;
  for (const step of flow.steps) {
    if (step.body && !step.image?.value?.value) {
      ctx.report('missing-image', step.decl.name.span, `Step '${step.name}' has a body but no image; set 'image' in the step or the flow, or 'image:' in flowc.yaml.`);
    }
  }
}
