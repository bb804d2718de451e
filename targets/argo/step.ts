/**
 * One step as an Argo container template, and the arguments of the DAG task that calls it.
 *
 * The container runs the shared task runtime around the step's body (pod.ts, docs/targets.md "The task
 * runtime"): the runtime reads the step's inputs from the datastore by the step's plan, runs the body by the
 * task protocol, and writes outputs and the task record. What the engine gives each pod is only the run id
 * (`{{workflow.name}}`), the task id (`flowc-task` inside a foreach, else `0`) and, for the first step, the run's
 * parameters and the run it resumes; what it takes back is only the routing values (`flowc-count`, `flowc-case`).
 * Invariant: values reach the container only through the datastore and environment variables; the command is
 * the same whatever the values are.
 */
import type { StepIR } from '../../compiler/ir.ts';
import { storageOf } from '../../compiler/ir.ts';
import { taskCommand } from '../protocol/index.ts';
import { containerBody, isPythonWrapped, runInfo } from '../runtime/index.ts';
import type { BuildContext } from './context.ts';
import type { EnvVar, Parameter, Template, Toleration } from './manifest-types.ts';
import { kubeName, stepTemplateName } from './names.ts';
import { containerResources, mibQuantity } from './resources.ts';
import { kubernetesOf } from './settings.ts';
import { gangPodEnv, gangPodLabels, gangPodTemplate } from './gang.ts';
import {
  BOOT,
  CASE_PARAM,
  COUNT_PARAM,
  envJson,
  envText,
  FIRST_BOOT,
  hasTemplateBraces,
  LOADER_PROGRAM,
  PYTHON_B64_BOOT,
  ROUTE_DIR,
  RUNTIME_PARAM,
  SH_B64_LOADER,
  TASK_PARAM,
  toBase64,
} from './pod.ts';


/** Workflow parameters the emitter adds besides the flow's own (their names cannot clash: flow parameters are identifiers). */
export const DATASTORE_PARAM = 'flowc-datastore';
export const ORIGIN_PARAM = 'flowc-origin-run';
export const USER_PARAM = 'flowc-user';
export const NAMESPACE_PARAM = 'flowc-namespace';
export const TAGS_PARAM = 'flowc-tags';
/** Only in the Workflow of `flowc resume --target argo` (`TargetOptions.originRun`): the step `--from` names. */
export const RESUME_FROM_PARAM = 'flowc-resume-from';

export const wfParam = (name: string): string => `{{workflow.parameters.${name}}}`;

/** The environment every pod of the flow shares: where the datastore is, the run, the packed runtime. */
export function commonEnv(ctx: BuildContext): EnvVar[] {
  return [
    { name: 'FLOWC_FLOW', value: ctx.ir.name },
    { name: 'FLOWC_DATASTORE', value: wfParam(DATASTORE_PARAM) },
    { name: 'FLOWC_RUN_ID', value: '{{workflow.name}}' },
    { name: 'FLOWC_RUNTIME_ZIP', value: wfParam(RUNTIME_PARAM) },
    ...(ctx.ir.project ? [{ name: 'FLOWC_PROJECT', value: ctx.ir.project }] : []),
  ];
}

/** A step in a foreach or a bounded loop is given its task id (`1.2`, `0r3`) by the task that calls it. */
export const takesTaskId = (ctx: BuildContext, step: StepIR): boolean => step.foreachStack.length > 0 || ctx.scopes.loopOf(step.name) !== undefined;

export function buildStepTemplate(ctx: BuildContext, step: StepIR): Template {
  // The plan runInfo built (once per flow); a copy, since its params change below.
  const info = runInfo(ctx.ir, ctx.options.sourceFile);
  const plan = { ...info.taskPlans.get(step.name)! };
  // Argo passes every parameter with a default as a workflow parameter, so the plan needs no defaults: a value
  // then reaches the pod only as the parameter's text (and in the run's IR, compressed), never in a template.
  plan.params = Object.fromEntries(Object.entries(plan.params).map(([name, { default: _default, ...spec }]) => [name, spec]));
  const env: EnvVar[] = [];
  const add = (name: string, value: string) => env.push({ name, value });
  const inForeach = takesTaskId(ctx, step);

  env.push(...commonEnv(ctx));
  add('FLOWC_STEP', step.name);
  add('FLOWC_TASK_ID', inForeach ? `{{inputs.parameters.${TASK_PARAM}}}` : '0');
  add('FLOWC_ENGINE', 'argo-workflows');
  add(LOADER_PROGRAM.env, wfParam(LOADER_PROGRAM.param));
  if (plan.foreach || plan.switch) add('FLOWC_ROUTE_DIR', ROUTE_DIR);
  if (plan.first) {
    add('FLOWC_RUN_INFO', info.inline);
    add('FLOWC_ORIGIN_RUN', wfParam(ORIGIN_PARAM));
    if (ctx.options.originRun !== undefined) add('FLOWC_RESUME_FROM', wfParam(RESUME_FROM_PARAM));
    add('FLOWC_ARGO_USER', wfParam(USER_PARAM));
    add('FLOWC_ARGO_NAMESPACE', wfParam(NAMESPACE_PARAM));
    add('FLOWC_TAGS', wfParam(TAGS_PARAM));
    add('FLOWC_ARGO_PARAMS', envJson(Object.fromEntries(ctx.ir.params.map((p) => [p.name, paramKind(p.type)]))));
    for (const p of ctx.ir.params) add(`FLOWC_ARGO_PARAM_${p.name}`, wfParam(p.name));
  }
  // Only the first step's plan has parameters: any other's text is the one runInfo serialized, when it kept it.
  const planText = plan.first ? undefined : info.inlinePlans.get(step.name);
  add('FLOWC_PLAN', planText !== undefined ? envText(planText) : envJson(plan));
  if (step.parallel) env.push(...gangPodEnv());

  const cmd = taskCommand(step);
  // The wrappers' I/O manifests are JSON: escape a `{{` the same way as the plan (see envJson).
  for (const [name, value] of Object.entries(cmd.env)) add(name, value.includes('{{') ? envJson(JSON.parse(value)) : value);
  const argv = containerArgv(cmd.argv);
  for (const e of step.env) add(e.name, e.value);
  const envFrom: { secretRef: { name: string } }[] = [];
  for (const s of step.secrets) {
    if (s.env === null) envFrom.push({ secretRef: { name: s.secret } });
    else env.push({ name: s.env, valueFrom: { secretKeyRef: { name: s.secret, key: s.key ?? s.env } } });
  }

  const outParams: Parameter[] = [];
  if (plan.switch) outParams.push({ name: CASE_PARAM, valueFrom: { path: `${ROUTE_DIR}/switch-case` } });
  if (plan.foreach) outParams.push({ name: COUNT_PARAM, valueFrom: { path: `${ROUTE_DIR}/foreach-count` } });

  const gang = ctx.options.config.argo?.gang;
  const gangPod = step.parallel ? gangPodTemplate(gang) : undefined;
  const t: Template = { name: stepTemplateName(step.name), metadata: { labels: { 'flowc.dev/step': kubeName(step.name), ...(step.parallel ? gangPodLabels(inForeach, gang) : {}) } } };
  if (gangPod?.annotations) t.metadata!.annotations = gangPod.annotations;
  const inputs = [...(inForeach ? [{ name: TASK_PARAM }] : []), ...(gangPod?.inputs ?? [])];
  if (inputs.length > 0) t.inputs = { parameters: inputs };
  if (outParams.length > 0) t.outputs = { parameters: outParams };
  t.container = {
    image: step.image ?? '',
    command: ['python3', '-c', plan.first ? FIRST_BOOT : BOOT, ...argv],
    env,
  };
  if (envFrom.length > 0) t.container.envFrom = envFrom;
  const resources = containerResources(step.resources, ctx.gpuResource);
  if (resources) t.container.resources = resources;
  // `@resources(shared_memory)`: a memory-backed volume at /dev/shm (a container's own is 64 MiB); its pages
  // count against the pod's memory, which the checker keeps above it.
  if (step.resources.sharedMemoryMiB !== undefined) {
    t.container.volumeMounts = [{ name: SHM_VOLUME, mountPath: '/dev/shm' }];
    t.volumes = [{ name: SHM_VOLUME, emptyDir: { medium: 'Memory', sizeLimit: mibQuantity(step.resources.sharedMemoryMiB) } }];
  }
  // `@retry` attempts and `@timeout` run inside the pod (the runtime); the deadline bounds every attempt together.
  t.retryStrategy = { limit: INFRA_RETRIES, retryPolicy: 'OnError' };
  t.activeDeadlineSeconds = podDeadline(step);
  const k8s = kubernetesOf(step);
  // A GPU step also gets flowc.yaml's `argo.gpu` scheduling; the step's own `@kubernetes` wins on a shared key.
  const gpu = step.resources.gpu !== null && step.resources.gpu > 0 ? ctx.options.config.argo?.gpu : undefined;
  const nodeSelector = { ...gpu?.nodeSelector, ...k8s.nodeSelector };
  if (Object.keys(nodeSelector).length > 0) t.nodeSelector = nodeSelector;
  const tolerations: Toleration[] = [];
  for (const x of [...(gpu?.tolerations ?? []), ...k8s.tolerations]) {
    const one: Toleration = { key: x.key, operator: x.operator ?? (x.value !== undefined ? 'Equal' : 'Exists'), ...(x.value !== undefined ? { value: x.value } : {}), ...(x.effect !== undefined ? { effect: x.effect } : {}) };
    if (!tolerations.some((y) => JSON.stringify(y) === JSON.stringify(one))) tolerations.push(one);
  }
  if (tolerations.length > 0) t.tolerations = tolerations;
  if (k8s.serviceAccount) t.serviceAccountName = k8s.serviceAccount;
  if (gangPod?.schedulerName) t.schedulerName = gangPod.schedulerName;
  return t;
}

/** The volume behind /dev/shm of a step with `@resources(shared_memory)`. */
const SHM_VOLUME = 'flowc-shm';

/** Time the runtime needs besides the body (reading inputs, storing outputs), added to the pod's deadline. */
const RUNTIME_MARGIN_SECONDS = 300;
/** The deadline of a pod whose step has no `@timeout` (as Metaflow's default): 5 days. */
const DEFAULT_DEADLINE_SECONDS = 5 * 24 * 3600;
/**
 * Argo retries a pod that errored (evicted, its node lost, its container never started), never a step that
 * failed: `@retry` attempts run inside the pod, by the runtime, so a failing body is not retried twice over.
 */
const INFRA_RETRIES = 3;

/** The pod's deadline: every `@retry` attempt at its `@timeout` (which the runtime enforces), the delays, a margin. */
function podDeadline(step: StepIR): number {
  if (step.timeoutSeconds === null) return DEFAULT_DEADLINE_SECONDS;
  const attempts = (step.retry?.times ?? 0) + 1;
  return step.timeoutSeconds * attempts + (step.retry?.delaySeconds ?? 0) * (attempts - 1) + RUNTIME_MARGIN_SECONDS;
}

/** How the first pod decodes a parameter's string (pod.ts, FIRST_BOOT): `string`, `file`, `dir`, or JSON text. */
export function paramKind(type: StepIR['outputs'][number]['type']): string {
  if (type.kind === 'string') return 'string';
  const storage = storageOf(type);
  return storage === 'file' || storage === 'dir' ? storage : 'json';
}

/**
 * The protocol's argv as the container runs it. `python3 -c WRAPPER SOURCE` reads the wrapper from the environment
 * the runtime sets (`containerBody`, targets/runtime). Author text that Argo would read as a template (`{{`, `}}` in
 * a script or command) is carried base64-encoded and decoded in the pod: the python source for the wrapper, a shell
 * script for `/bin/sh -c`.
 */
function containerArgv(argv: string[]): string[] {
  if (isPythonWrapped(argv)) return hasTemplateBraces(argv[3]) ? ['python3', '-c', PYTHON_B64_BOOT, toBase64(argv[3])] : containerBody(argv);
  if (argv[0] === '/bin/sh' && argv[1] === '-c' && argv.length === 3 && hasTemplateBraces(argv[2])) {
    return ['python3', '-c', SH_B64_LOADER, toBase64(argv[2])];
  }
  if (argv.some(hasTemplateBraces)) throw new Error(`A container command would carry Argo template braces: ${JSON.stringify(argv)}`);
  return argv;
}

/** The arguments of the task that calls a step's template: only the task id, inside a foreach or a bounded loop. */
export function stepTaskArguments(step: StepIR, taskId: string, inLoop: boolean): { parameters: Parameter[] } | undefined {
  return step.foreachStack.length > 0 || inLoop ? { parameters: [{ name: TASK_PARAM, value: taskId }] } : undefined;
}
