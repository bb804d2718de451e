/**
 * What only the Argo build can see, reported before building: the target's own check (`check.ts`: names and
 * limits) on the IR it is given, steps without an image, `@env` values that Argo would take for one of its
 * own `{{...}}` templates, gathers of files, and the datastore settings.
 */
import { storageOf, type StepIR } from '../../compiler/ir.ts';
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
    checkGathers(ctx, s);
  }
  checkDatastore(ctx);
}

/** The runtime gathers values; a list of files or directories cannot be gathered (yet). */
function checkGathers(ctx: BuildContext, s: StepIR): void {
  for (const input of s.inputs) {
    if (input.from.kind !== 'gather' || input.type.kind !== 'list') continue;
    const elem = storageOf(input.type.element);
    if (elem === 'file' || elem === 'dir') {
      ctx.report(
        'argo-unsupported-gather',
        input.source.span,
        `Step '${s.name}' gathers '${input.from.artifact}', a list of ${elem}s, which the Argo target cannot pass yet; gather paths or values instead.`,
      );
    }
  }
}

/**
 * Where runs keep their data: `datastore: s3://...` (or `--datastore`) becomes the default of the workflow
 * parameter `flowc-datastore`; without one, the parameter must be given at submission. A datastore that is not
 * in S3 cannot be reached from pods; `argo.artifactRepository` is no longer used.
 */
function checkDatastore(ctx: BuildContext): void {
  const { config } = ctx.options;
  const span = ctx.ir.source.span;
  if (config.datastore !== undefined && !config.datastore.startsWith('s3://')) {
    ctx.report(
      'argo-datastore-not-s3',
      span,
      `The datastore '${config.datastore}' is not in S3, which pods cannot reach; runs of '${ctx.ir.name}' on Argo need 'flowc-datastore=s3://bucket/prefix' at submission (or 'datastore: s3://...' in flowc.yaml, or --datastore).`,
    );
  }
  if (config.argo?.artifactRepository !== undefined) {
    ctx.report(
      'argo-artifact-repository-deprecated',
      span,
      `'argo.artifactRepository' is deprecated and ignored: runs on Argo keep every artifact in the datastore (datastore: s3://... in flowc.yaml).`,
    );
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
