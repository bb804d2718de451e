/**
 * What only the Argo build can see, reported before building: the target's own check (`check.ts`: names and
 * limits) on the IR it is given, steps without an image, author text (`@env` values, images, secret names,
 * node selectors, the schedule's time zone, trigger events, flowc.yaml's Argo settings) that Argo would take for one
 * of its own `{{...}}` templates, gathers of files, and the datastore settings.
 */
import { storageOf, type StepIR } from '../../compiler/ir.ts';
import { checkFlowOfIr } from '../check-flow.ts';
import { checkArgo } from './check.ts';
import type { BuildContext } from './context.ts';
import { kubernetesOf } from './settings.ts';

export function checkFlow(ctx: BuildContext): void {
  checkArgo(checkFlowOfIr(ctx.ir), ctx.options.config, ctx.report);
  for (const s of ctx.ir.steps) {
    if (s.image === null) {
      ctx.report('argo-missing-image', s.source.span, `Step '${s.name}' has no image: set 'image' on the flow or the step, or 'image' in flowc.yaml.`);
    }
    checkBraces(ctx, s);
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
  checkFlowBraces(ctx);
}

/** Argo reads `{{` and `}}` as the edges of one of its own templates, in any field it substitutes. */
const hasBraces = (text: string | null | undefined): text is string => typeof text === 'string' && (text.includes('{{') || text.includes('}}'));
const braces = (text: string) => (text.includes('{{') ? "'{{'" : "'}}'");

/**
 * Scripts and commands with `{{` travel base64-encoded (step.ts, `containerArgv`); every other piece of author
 * text goes into the manifest as written, into fields Argo substitutes: an `@env` value, the image, secret names
 * and keys, node selectors, tolerations, the service account. One error per step and field.
 */
function checkBraces(ctx: BuildContext, s: StepIR): void {
  const env = s.env.find((e) => hasBraces(e.value));
  if (env) {
    ctx.report(
      'argo-template-braces',
      s.source.span,
      `Step '${s.name}' has ${braces(env.value)} in the value of @env '${env.name}', which Argo would read as one of its own templates. ` +
        `An @env value goes into the manifest as written, so pass this text through @secrets, or as a flow parameter the step reads, instead.`,
    );
  }
  const k8s = kubernetesOf(s);
  const fields: [string, string | null | undefined][] = [
    ['its image', s.image === ctx.ir.image ? null : s.image],
    ...s.secrets.flatMap((x): [string, string | null][] => [
      [`the name of secret '${x.secret}'`, x.secret],
      [`the key of secret '${x.secret}'`, x.key],
    ]),
    ...Object.entries(k8s.nodeSelector).flatMap(([key, value]): [string, string][] => [
      [`the node selector key '${key}'`, key],
      [`the value of node selector '${key}'`, value],
    ]),
    ...k8s.tolerations.flatMap((t): [string, string | undefined][] => [
      ['a toleration key', t.key],
      ['a toleration value', t.value],
      ['a toleration effect', t.effect],
    ]),
    ['its service account', k8s.serviceAccount],
  ];
  for (const [what, text] of fields) {
    if (hasBraces(text)) ctx.report('argo-template-braces', s.source.span, `Step '${s.name}' has ${braces(text)} in ${what}, which Argo would read as one of its own templates; that text goes into the manifest as written.`);
  }
}

/** The flow's own text in Argo fields (schedule time zone, trigger events) and the Argo settings of flowc.yaml. */
function checkFlowBraces(ctx: BuildContext): void {
  const { ir } = ctx;
  const argo = ctx.options.config.argo ?? {};
  const fields: [string, string | null | undefined][] = [
    ['its image', ir.image],
    ['its schedule time zone (the CronWorkflow timezone)', ir.schedule?.timezone],
    ...ir.triggers.map((t): [string, string] => [`the trigger event '${t.event}' (the Sensor's event source and name)`, t.event]),
    ["flowc.yaml's argo.namespace", argo.namespace],
    ["flowc.yaml's argo.serviceAccount", argo.serviceAccount],
    ["flowc.yaml's argo.gpuResource", argo.gpuResource],
    ...Object.entries(argo.labels ?? {}).map(([k, v]): [string, string] => [`flowc.yaml's argo.labels '${k}'`, `${k}${v}`]),
    ...Object.entries(argo.gpu?.nodeSelector ?? {}).map(([k, v]): [string, string] => [`flowc.yaml's argo.gpu.nodeSelector '${k}'`, `${k}${v}`]),
    ...(argo.gpu?.tolerations ?? []).map((t): [string, string] => [`flowc.yaml's argo.gpu.tolerations '${t.key}'`, `${t.key}${t.value ?? ''}`]),
    ["flowc.yaml's datastore (the default of the flowc-datastore parameter)", ctx.options.config.datastore],
    ["flowc.yaml's argo.notify.webhook.secret", argo.notify?.webhook.secret],
    ["flowc.yaml's argo.notify.webhook.key", argo.notify?.webhook.key],
  ];
  for (const [what, text] of fields) {
    if (hasBraces(text)) ctx.report('argo-template-braces', ir.source.span, `Flow '${ir.name}' has ${braces(text)} in ${what}, which Argo would read as one of its own templates; that text goes into the manifest as written.`);
  }
}
