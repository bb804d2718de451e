/**
 * The Argo Workflows target: `buildArgo(ir, options)` turns one flow's IR into Argo manifests.
 *
 * Order of work: check what only Argo can see (names, limits, images, template braces); plan every step's inputs
 * (which registers the gathers producers must serve); build scopes from the deepest foreach body out to the
 * entrypoint DAG, so each DAG template knows the inputs its callers must pass; assemble the WorkflowTemplate (or
 * Workflow), the CronWorkflow for `@schedule` and the Sensor for `@trigger`; serialize last.
 * Pure: no IO, no clock, no environment; the same IR and options always give the same bytes.
 */
import type { FlowIR } from '../../compiler/ir.ts';
import { isError } from '../../diagnostics/types.ts';
import type { TargetOptions, TargetResult } from '../types.ts';
import { checkFlow } from './checks.ts';
import { createContext, type BuildContext } from './context.ts';
import { buildCronWorkflow } from './cron.ts';
import { buildDagTemplate } from './dag.ts';
import { ENTRYPOINT } from './names.ts';
import type { Manifest, ObjectMeta, Parameter, Template, WorkflowSpec, WorkflowTemplate } from './manifest-types.ts';
import { flowAnnotations, flowLabels } from './metadata.ts';
import { buildSensor, buildUpstreamEventSource } from './sensor.ts';
import { fileNameOf, joinManifests, serializeManifest, type ArgoFormat } from './serialize.ts';
import { POD_PROGRAMS } from './pod.ts';
import { buildStepTemplate, planInputs } from './step.ts';
import { describeType, scalarText } from '../protocol/index.ts';

export interface ArgoManifests {
  /** The WorkflowTemplate (default) or Workflow, then the CronWorkflow and Sensor when the flow has them. */
  manifests: Manifest[];
  diagnostics: BuildContext['diagnostics'];
}

/** Builds the typed manifests (no serialization). Exposed for tests and tools that post-process objects. */
export function buildArgoManifests(ir: FlowIR, options: TargetOptions): ArgoManifests {
  const ctx = createContext(ir, options);
  checkFlow(ctx);
  if (ctx.diagnostics.some(isError)) return { manifests: [], diagnostics: ctx.diagnostics };

  const plans = new Map(ir.steps.map((s) => [s.name, planInputs(ctx, s)]));
  if (ctx.diagnostics.some(isError)) return { manifests: [], diagnostics: ctx.diagnostics };

  const dagTemplates = new Map<string, Template>();
  const keyIdx = new Map(ctx.scopes.keys.map((k, i) => [k, i]));
  const byDepth = [...ctx.scopes.keys].sort((a, b) => ctx.scopes.depthOf(b) - ctx.scopes.depthOf(a) || keyIdx.get(a)! - keyIdx.get(b)!);
  for (const scope of byDepth) dagTemplates.set(scope, buildDagTemplate(ctx, scope, plans));
  const stepTemplates = ir.steps.map((s) => buildStepTemplate(ctx, s, plans.get(s.name)!));
  const templates = [...ctx.scopes.keys.map((k) => dagTemplates.get(k)!), ...stepTemplates];

  const argo = options.config.argo ?? {};
  const labels = flowLabels(ctx);
  const annotations = flowAnnotations(ctx);
  const meta = (extra: Partial<ObjectMeta>): ObjectMeta => ({
    ...extra,
    ...(argo.namespace ? { namespace: argo.namespace } : {}),
    labels: { ...labels },
    annotations: { ...annotations },
  });

  const spec: WorkflowSpec = { entrypoint: ENTRYPOINT };
  if (argo.serviceAccount) spec.serviceAccountName = argo.serviceAccount;
  // The flow's parameters, then the programs the pods share (pod.ts), each written once here.
  const podParams = POD_PROGRAMS.filter((p) => ctx.podPrograms.has(p)).map((p): Parameter => ({ name: p.param, value: p.text, description: p.description }));
  const parameters = [...ir.params.map(workflowParameter), ...podParams];
  if (parameters.length > 0) spec.arguments = { parameters };
  spec.workflowMetadata = { labels: { ...labels } };
  spec.templates = templates;

  const asWorkflow = options.kind === 'workflow';
  const main: WorkflowTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: asWorkflow ? 'Workflow' : 'WorkflowTemplate',
    metadata: meta(asWorkflow ? { generateName: `${ctx.flowName}-` } : { name: ctx.flowName }),
    spec,
  };
  // Scheduled and triggered runs start the template by reference, or carry the spec when there is no template.
  const runSpec: WorkflowSpec = asWorkflow ? spec : { workflowTemplateRef: { name: ctx.flowName } };
  const manifests: Manifest[] = [main];
  const cron = buildCronWorkflow(ctx, meta({ name: ctx.flowName }), runSpec);
  if (cron) manifests.push(cron);
  const sensor = buildSensor(ctx, meta({ name: ctx.flowName }), runSpec);
  if (sensor) manifests.push(sensor);
  const upstream = buildUpstreamEventSource(ctx, meta({ name: ctx.flowName }));
  if (upstream) manifests.push(upstream);
  return { manifests, diagnostics: ctx.diagnostics };
}

function workflowParameter(p: FlowIR['params'][number]): Parameter {
  const out: Parameter = { name: p.name };
  if (!p.required && p.default !== undefined) {
    out.value = p.type.kind === 'int' || p.type.kind === 'float' || p.type.kind === 'bool' || p.type.kind === 'string' ? scalarText(p.default) : JSON.stringify(p.default);
  }
  out.description = describeType(p.type);
  return out;
}

/**
 * Builds the Argo manifests of one flow.
 * @param ir the flow's IR (checked, error-free).
 * @param options target options: `format` `yaml` (default) or `json`; `kind` `template` (default) or `workflow`.
 * @returns files (one per manifest kind), stdout (all manifests as one stream) and diagnostics; files and stdout
 * are empty when there are errors. Never throws for a valid IR.
 */
export function buildArgo(ir: FlowIR, options: TargetOptions): TargetResult {
  const format: ArgoFormat = options.format === 'json' ? 'json' : 'yaml';
  const { manifests, diagnostics } = buildArgoManifests(ir, options);
  if (diagnostics.some(isError)) return { files: [], stdout: '', diagnostics };
  // Each manifest is serialized once; the stream is the files' texts joined.
  const texts = manifests.map((m) => serializeManifest(m, format));
  return {
    files: manifests.map((m, i) => ({ path: fileNameOf(m, format), content: texts[i] })),
    stdout: joinManifests(texts, format),
    diagnostics,
  };
}
