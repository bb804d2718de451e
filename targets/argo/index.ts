/**
 * The Argo Workflows target: `buildArgo(ir, options)` turns one flow's IR into Argo manifests.
 *
 * Order of work: check what only Argo can see (names, limits, images, template braces, the datastore); build one
 * container template per step (the shared task runtime around the body, step.ts), one DAG template per scope
 * (dag.ts) and the exit handler; assemble the WorkflowTemplate (or Workflow), the CronWorkflow for `@schedule` and
 * the Sensor for `@trigger`; serialize last. Values never travel through Argo: every pod reads and writes the
 * run's datastore, and the engine carries only routing values (docs/targets.md, "Argo Workflows").
 * Pure: no IO, no clock, no environment; the same IR and options always give the same bytes.
 */
import { irJson, productionNamespace, type FlowIR } from '../../compiler/ir.ts';
import { isError } from '../../diagnostics/types.ts';
import type { TargetOptions, TargetResult } from '../types.ts';
import { checkFlow } from './checks.ts';
import { createContext, type BuildContext } from './context.ts';
import { buildCronWorkflow } from './cron.ts';
import { buildDagTemplate, buildWorkersTemplate } from './dag.ts';
import { buildPodGroupTemplate, buildServiceTemplate } from './gang.ts';
import { ENTRYPOINT, EXIT_HANDLER, NOTIFY_EXIT_DAG, stepTemplateName } from './names.ts';
import type { Manifest, ObjectMeta, Parameter, Template, WorkflowSpec, WorkflowTemplate } from './manifest-types.ts';
import { RUNTIME_ZIP_BASE64 } from '../runtime/index.ts';
import { flowAnnotations, flowLabels } from './metadata.ts';
import { buildSensor, buildUpstreamEventSource } from './sensor.ts';
import { fileNameOf, joinManifests, serializeManifest, type ArgoFormat } from './serialize.ts';
import { envJson, EXIT_PROGRAM, LOADER_PROGRAM, NOTIFY_EXIT_PROGRAM, RUNTIME_PARAM } from './pod.ts';
import { buildStepTemplate, takesTaskId, commonEnv, DATASTORE_PARAM, NAMESPACE_PARAM, ORIGIN_PARAM, paramKind, RESUME_FROM_PARAM, TAGS_PARAM, USER_PARAM, wfParam } from './step.ts';
import { describeType } from '../protocol/index.ts';
import { runMaxWorkers } from '../workers.ts';

/** Finished workflows are deleted after this long; runs stay readable in the datastore. */
const WORKFLOW_TTL_SECONDS = 7 * 24 * 3600;

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

  const labels = flowLabels(ctx);
  const gang = options.config.argo?.gang;
  const stepTemplates = ir.steps.flatMap((s) => [
    buildStepTemplate(ctx, s),
    ...(s.parallel ? [buildServiceTemplate(s, labels, takesTaskId(ctx, s)), ...(gang ? [buildPodGroupTemplate(s, labels, takesTaskId(ctx, s), gang)] : [])] : []),
  ]);
  const bounded = ir.steps.filter((s) => s.next.kind === 'foreach' && s.maxWorkers !== undefined).map((s) => buildWorkersTemplate(ctx, s.name));
  const templates = [...ctx.scopes.keys.map((k) => buildDagTemplate(ctx, k)), ...bounded, ...stepTemplates, ...exitHandler(ctx)];

  const argo = options.config.argo ?? {};
  const annotations = flowAnnotations(ctx);
  const meta = (extra: Partial<ObjectMeta>): ObjectMeta => ({
    ...extra,
    ...(argo.namespace ? { namespace: argo.namespace } : {}),
    labels: { ...labels },
    annotations: { ...annotations },
  });

  // Production defaults (docs/targets.md, "Run settings"): pods of a run at once (`@max_workers` on the flow,
  // else `--max-workers` / flowc.yaml's `maxWorkers`, else 100), pods deleted once they succeeded (their logs
  // and results are in the datastore), finished workflows deleted after a week.
  const spec: WorkflowSpec = {
    entrypoint: ENTRYPOINT,
    onExit: options.config.argo?.notify ? NOTIFY_EXIT_DAG : EXIT_HANDLER,
    parallelism: runMaxWorkers(ir, options.config),
    podGC: { strategy: 'OnPodSuccess' },
    ttlStrategy: { secondsAfterCompletion: WORKFLOW_TTL_SECONDS },
  };
  if (argo.priority !== undefined) spec.priority = argo.priority;
  if (argo.serviceAccount) spec.serviceAccountName = argo.serviceAccount;
  // The flow's parameters, the run's settings, then the programs the pods share (pod.ts), each written once here.
  const datastore = options.config.datastore?.startsWith('s3://') ? options.config.datastore : undefined;
  const settings: Parameter[] = [
    { name: DATASTORE_PARAM, ...(datastore ? { value: datastore } : {}), description: 'where runs keep everything: s3://bucket/prefix' },
    { name: USER_PARAM, value: options.user ?? '', description: 'who starts the run by hand: its namespace is user:NAME' },
    { name: NAMESPACE_PARAM, value: '', description: 'the run\'s namespace, when not user:NAME (scheduled and triggered runs: production)' },
    { name: TAGS_PARAM, value: '[]', description: 'the run\'s tags, a JSON list of strings' },
    { name: ORIGIN_PARAM, value: options.originRun ?? '', description: 'the run this run resumes: its finished tasks are taken over' },
    // Only a resume's Workflow has it, so the manifests of `flowc build` stay as they were.
    ...(options.originRun !== undefined ? [{ name: RESUME_FROM_PARAM, value: '', description: 'the step this resume runs again (empty: none), with every step after it' }] : []),
  ];
  const programs: Parameter[] = [
    { name: RUNTIME_PARAM, value: RUNTIME_ZIP_BASE64, description: "flowc's task runtime (a zip, base64); set by flowc build, leave it unchanged" },
    { name: LOADER_PROGRAM.param, value: LOADER_PROGRAM.text, description: LOADER_PROGRAM.description },
  ];
  spec.arguments = { parameters: [...ir.params.map(workflowParameter), ...settings, ...programs] };
  spec.workflowMetadata = { labels: { ...labels } };
  spec.templates = templates;

  const asWorkflow = options.kind === 'workflow';
  const main: WorkflowTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: asWorkflow ? 'Workflow' : 'WorkflowTemplate',
    metadata: meta(asWorkflow ? { generateName: `${ctx.flowName}-` } : { name: ctx.flowName }),
    spec,
  };
  // Scheduled and triggered runs start the template by reference (or carry the spec when there is no template),
  // in the production namespace.
  const production: Parameter = { name: NAMESPACE_PARAM, value: productionNamespace(ir) };
  const runSpec: WorkflowSpec = asWorkflow
    ? { ...spec, arguments: { parameters: spec.arguments.parameters.map((p) => (p.name === NAMESPACE_PARAM ? { ...p, ...production } : p)) } }
    : { workflowTemplateRef: { name: ctx.flowName }, arguments: { parameters: [production] } };
  const manifests: Manifest[] = [main];
  const cron = buildCronWorkflow(ctx, meta({ name: ctx.flowName }), runSpec);
  if (cron) manifests.push(cron);
  const sensor = buildSensor(ctx, meta({ name: ctx.flowName }), runSpec);
  if (sensor) manifests.push(sensor);
  const upstream = buildUpstreamEventSource(ctx, meta({ name: ctx.flowName }));
  if (upstream) manifests.push(upstream);
  return { manifests, diagnostics: ctx.diagnostics };
}

/**
 * The exit handler: when the workflow did not succeed, a pod records the run's failure in the datastore.
 * With `argo.notify` the pod also POSTs the outcome to the webhook whose URL it reads from the secret
 * (`optional`, so a missing secret cannot keep the pod, and the failure record, from starting), and a DAG
 * (`NOTIFY_EXIT_DAG`) runs it with `continueOn`, so a notification that could not be sent shows as a failed
 * node without failing a run that succeeded; without `success` in `notify.on` the pod runs only for a failed run.
 */
function exitHandler(ctx: BuildContext): Template[] {
  const steps = Object.fromEntries(ctx.ir.steps.map((s) => [stepTemplateName(s.name), s.name]));
  const image = ctx.ir.steps.find((s) => s.image !== null)?.image ?? '';
  const notify = ctx.options.config.argo?.notify;
  const on = notify?.on ?? ['failure'];
  const pod: Template = {
    name: EXIT_HANDLER,
    container: {
      image,
      command: ['python3', '-c', notify ? NOTIFY_EXIT_PROGRAM : EXIT_PROGRAM],
      env: [
        ...commonEnv(ctx),
        { name: 'FLOWC_WORKFLOW_STATUS', value: '{{workflow.status}}' },
        { name: 'FLOWC_WORKFLOW_FAILURES', value: '{{workflow.failures}}' },
        { name: 'FLOWC_ARGO_STEPS', value: envJson(steps) },
        ...(notify
          ? [
              { name: 'FLOWC_NOTIFY_ON', value: on.join(',') },
              { name: 'FLOWC_NOTIFY_SECRET', value: `${notify.webhook.secret}/${notify.webhook.key}` },
              { name: 'FLOWC_NOTIFY_WEBHOOK', valueFrom: { secretKeyRef: { name: notify.webhook.secret, key: notify.webhook.key, optional: true } } },
              { name: 'FLOWC_ARGO_USER', value: wfParam(USER_PARAM) },
              { name: 'FLOWC_ARGO_NAMESPACE', value: wfParam(NAMESPACE_PARAM) },
            ]
          : []),
      ],
    },
  };
  if (!notify) return [pod];
  const dag: Template = {
    name: NOTIFY_EXIT_DAG,
    dag: {
      tasks: [
        {
          name: EXIT_HANDLER,
          template: EXIT_HANDLER,
          ...(on.includes('success') ? {} : { when: "'{{workflow.status}}' != 'Succeeded'" }),
          continueOn: { failed: true, error: true },
        },
      ],
    },
  };
  return [dag, pod];
}

/**
 * A flow parameter as a workflow parameter: its default as the first pod decodes it (step.ts, `paramKind`):
 * strings and `file`/`dir` paths as written, everything else as JSON text; an optional parameter without a
 * default is `null`; a required one has no value (it must be given at submission).
 */
function workflowParameter(p: FlowIR['params'][number]): Parameter {
  const out: Parameter = { name: p.name };
  if (!p.required) {
    const raw = paramKind(p.type) !== 'json';
    out.value = p.default === undefined ? 'null' : raw && typeof p.default === 'string' ? p.default : irJson(p.default);
  }
  out.description = p.description ? `${p.description} (${describeType(p.type)})` : describeType(p.type);
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
