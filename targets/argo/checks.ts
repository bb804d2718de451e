/**
 * What only the Argo target can see, reported before building: Kubernetes names that collide or are too long
 * after mangling, resources larger than the cluster's largest node, steps without an image, and `@env` values that
 * Argo would take for one of its own `{{...}}` templates.
 */
import type { StepIR } from '../../compiler/ir.ts';
import type { Span } from '../../diagnostics/types.ts';
import type { BuildContext } from './context.ts';
import { bodyTemplateName, ENTRYPOINT } from './dag.ts';
import { MAX_CRON_NAME, MAX_NAME } from './names.ts';
import { bodyTaskName, stepTaskName } from './refs.ts';
import { overLimits } from './resources.ts';
import { stepTemplateName } from './step.ts';

export function checkFlow(ctx: BuildContext): void {
  const { ir } = ctx;
  const flowSpan = ir.source.span;
  if (ctx.flowName.length > MAX_NAME) {
    ctx.report('argo-name-too-long', `Flow '${ir.name}' becomes the Kubernetes name '${ctx.flowName}', which is longer than ${MAX_NAME} characters.`, flowSpan);
  } else if (ir.schedule && ctx.flowName.length > MAX_CRON_NAME) {
    ctx.report(
      'argo-name-too-long',
      `Flow '${ir.name}' is scheduled, and its CronWorkflow name '${ctx.flowName}' is longer than the ${MAX_CRON_NAME} characters Argo allows.`,
      flowSpan,
    );
  }

  // Template names share one namespace; task names are unique per DAG, and steps map to both the same way.
  const owners = new Map<string, { what: string; span: Span }>([[ENTRYPOINT, { what: 'the entrypoint DAG', span: flowSpan }]]);
  const claim = (name: string, what: string, span: Span) => {
    const prior = owners.get(name);
    if (prior) {
      ctx.report('argo-name-collision', `${what} becomes the Argo name '${name}', which ${prior.what} already has.`, span, [
        { ...prior.span, message: `${prior.what[0].toUpperCase()}${prior.what.slice(1)} is named '${name}' here.` },
      ]);
      return;
    }
    owners.set(name, { what, span });
    if (name.length > MAX_NAME) ctx.report('argo-name-too-long', `${what} becomes the Argo name '${name}', which is longer than ${MAX_NAME} characters.`, span);
  };
  for (const s of ir.steps) {
    claim(stepTemplateName(s.name), `Step '${s.name}'`, s.source.span);
    if (s.next.kind === 'foreach') {
      claim(bodyTemplateName(s.name), `The foreach body of step '${s.name}'`, s.source.span);
      if (bodyTaskName(s.name) !== bodyTemplateName(s.name) || stepTaskName(s.name) !== stepTemplateName(s.name)) {
        throw new Error('Task names must follow template names for the collision check to cover them.');
      }
    }
  }

  const limits = ctx.options.config.argo?.limits;
  for (const s of ir.steps) {
    for (const [what, asked, limit] of overLimits(s.resources, limits)) {
      ctx.report(
        'argo-resources-over-limit',
        `Step '${s.name}' asks for ${what} ${asked}, more than the largest Argo node has (${limit}, argo.limits in flowc.yaml).`,
        s.source.span,
      );
    }
    if (s.image === null) {
      ctx.report('argo-missing-image', `Step '${s.name}' has no image: set 'image' on the flow or the step, or 'image' in flowc.yaml.`, s.source.span);
    }
    checkBraces(ctx, s);
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
        `Step '${s.name}' has '{{' in the value of @env '${e.name}', which Argo would read as one of its own templates. ` +
          `An @env value goes into the manifest as written, so pass this text through @secrets, or as a flow parameter the step reads, instead.`,
        s.source.span,
      );
      return;
    }
  }
}
