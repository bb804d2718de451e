/**
 * One step as an Argo container template, and the DAG task that calls it from its scope.
 *
 * The template is independent of where it is called from: it declares inputs (parameters for values, raw
 * artifacts that materialize JSON values as files, S3 artifacts for file/dir), the protocol's environment, the
 * command built by `targets/protocol` wrapped in the pod shim, and its outputs. The task supplies the arguments,
 * resolved in the calling scope (`refs.ts`).
 * Invariant: values reach the container only through environment variables and files; the command is the same
 * whatever the values are.
 */
import type { InputIR, StepIR, TypeIR } from '../../compiler/ir.ts';
import { inVar, outVar, paramVar, PYTHON_WRAPPER, taskCommand, TASK_DIR_VAR } from '../protocol/index.ts';
import type { BuildContext } from './context.ts';
import type { Artifact, DagTask, EnvVar, Parameter, Template } from './manifest-types.ts';
import { kubeName, stepTemplateName } from './names.ts';
import {
  ARGO_DIR,
  CASE_PARAM,
  FOREACH_PARAM,
  GATHER_DIR,
  gatherParam,
  HELPER_PROGRAM,
  SPILL_BYTES,
  SPILL_DIR,
  SPILL_HELPER_PROGRAM,
  spillArtifact,
  envJson,
  hasTemplateBraces,
  POD_SHIM,
  PYTHON_B64_LOADER,
  PYTHON_LOADER,
  SH_B64_LOADER,
  toBase64,
  WRAPPER_PROGRAM,
  type PodProgram,
  TASK_DIR,
  type FinishSpec,
  type PrepareSpec,
} from './pod.ts';
import { bodyTaskName, tagOf, type Source } from './refs.ts';
import { containerResources } from './resources.ts';

export const INDEX_PARAM = 'flowc-index';

const inPath = (name: string): string => `${TASK_DIR}/in/${name}`;

/**
 * Whether values larger than `SPILL_BYTES` spill to S3 artifacts (`argo.artifactRepository` is configured): the
 * producer writes `SPILL_MARKER` in the parameter and the value to the optional artifact `<name>-spill`; every
 * consumer declares the matching optional input artifact. Without a repository nothing of this is emitted.
 */
export const spills = (ctx: BuildContext): boolean => ctx.options.config.argo?.artifactRepository !== undefined;
/** Whether a value of type `t` can be large enough to spill: not a number or a bool (optional or not). */
const spillable = (t: TypeIR): boolean => (t.kind === 'optional' ? spillable(t.inner) : !['int', 'float', 'bool', 'file', 'dir'].includes(t.kind));
/** Whether the output `name` of every producer can spill (so each declares the `<name>-spill` artifact). */
function spillsFrom(ctx: BuildContext, source: Source): source is Source & { kind: 'output' } {
  if (!spills(ctx) || source.kind !== 'output' || source.artifact) return false;
  return source.producers.every((p) => {
    const out = ctx.scopes.step(p).outputs.find((o) => o.name === source.param);
    return out !== undefined && spillable(out.type);
  });
}
/** The optional spill artifact that goes with a value from a step's output. */
const spillSource = (source: Source & { kind: 'output' }): Source => ({ ...source, param: spillArtifact(source.param), artifact: true, optional: true });
const paramPath = (name: string): string => `${TASK_DIR}/params/${name}`;
const outPath = (name: string): string => `${TASK_DIR}/out/${name}`;

/** How one input of a step reaches its template. */
type InputPlan =
  | { kind: 'workflow-param'; input: InputIR; param: string }
  | { kind: 'value'; input: InputIR; source: Source }
  | { kind: 'file'; input: InputIR; source: Source & { kind: 'output' } }
  | { kind: 'gather-split'; input: InputIR; branches: Source[] }
  | { kind: 'gather-foreach'; input: InputIR; foreach: string; output: string };

const elementStorage = (t: TypeIR): string => (t.kind === 'list' ? storageKind(t.element) : 'json');
function storageKind(t: TypeIR): string {
  return t.kind === 'file' || t.kind === 'dir' ? t.kind : 'value';
}

/** The plans of a step's inputs, in declaration order; registers what gathers need from producers. */
export function planInputs(ctx: BuildContext, step: StepIR): InputPlan[] {
  const plans: InputPlan[] = [];
  for (const input of step.inputs) {
    const from = input.from;
    switch (from.kind) {
      case 'param':
        plans.push({ kind: 'workflow-param', input, param: from.param });
        break;
      case 'item':
        plans.push({ kind: 'value', input, source: { kind: 'item', foreach: from.foreach } });
        break;
      case 'artifact':
      case 'pick': {
        const artifact = input.storage === 'file' || input.storage === 'dir';
        const source = { kind: 'output' as const, producers: from.producers, param: from.artifact, artifact };
        plans.push(artifact ? { kind: 'file', input, source } : { kind: 'value', input, source });
        break;
      }
      case 'gather': {
        const elem = elementStorage(input.type);
        if (elem === 'file' || elem === 'dir') {
          ctx.report(
            'argo-unsupported-gather',
            input.source.span,
            `Step '${step.name}' gathers '${from.artifact}', a list of ${elem}s, which the Argo target cannot pass yet; gather paths or values instead.`,
          );
          continue;
        }
        for (const b of from.branches) for (const p of b.producers) ctx.gathered.add(`${p}.${from.artifact}`);
        if (from.over === 'split') {
          const branches = from.branches.map((b) => ({ kind: 'output' as const, producers: b.producers, param: gatherParam(from.artifact), artifact: false }));
          plans.push({ kind: 'gather-split', input, branches });
        } else {
          const foreach = step.joins!;
          const outputs = ctx.bodyOutputs.get(foreach) ?? new Map<string, Source>();
          ctx.bodyOutputs.set(foreach, outputs);
          const output = gatherParam(from.artifact);
          outputs.set(output, { kind: 'output', producers: from.branches[0]?.producers ?? [], param: output, artifact: false });
          plans.push({ kind: 'gather-foreach', input, foreach, output });
        }
        break;
      }
    }
  }
  return plans;
}

/** The parameters referenced as `{{param.x}}` in a `run` body, in order of first use. */
function bodyParamRefs(step: StepIR): { name: string; storage: string }[] {
  const out = new Map<string, string>();
  const templates = step.body.kind === 'shell' ? [step.body.command] : step.body.kind === 'argv' ? step.body.args : [];
  for (const t of templates) for (const p of t.parts) if (p.kind === 'ref' && p.scope === 'param' && !out.has(p.name)) out.set(p.name, p.storage);
  return [...out].map(([name, storage]) => ({ name, storage }));
}

function recordNames(t: TypeIR, out: Set<string>): void {
  if (t.kind === 'record') out.add(t.name);
  else if (t.kind === 'list') recordNames(t.element, out);
  else if (t.kind === 'map') recordNames(t.value, out);
  else if (t.kind === 'optional') recordNames(t.inner, out);
}

function finishSpec(ctx: BuildContext, step: StepIR): FinishSpec | undefined {
  const catchVar = step.catch?.var;
  const outputs = step.outputs.filter((o) => o.name !== catchVar).map((o) => ({ name: o.name, type: o.type, storage: o.storage }));
  const names = new Set<string>();
  for (const o of outputs) recordNames(o.type, names);
  const types = Object.fromEntries([...names].sort().filter((n) => n in ctx.ir.types).map((n) => [n, ctx.ir.types[n]]));
  const spec: FinishSpec = { outputs, types };
  const refTo = (name: string) => {
    const out = step.outputs.find((o) => o.name === name);
    if (out) return { name, from: 'out' as const, storage: out.storage };
    const input = step.inputs.find((i) => i.name === name);
    return { name, from: 'in' as const, storage: input?.storage ?? 'value' };
  };
  if (step.catch) spec.catch = { var: step.catch.var, retries: step.retry?.times ?? 0 };
  if (step.next.kind === 'switch') spec.switch = { ...refTo(step.next.on), type: step.next.onType, cases: step.next.cases.map((c) => c.value) };
  if (step.next.kind === 'foreach') spec.foreach = refTo(step.next.list);
  if (spills(ctx) && outputs.some((o) => spillable(o.type))) {
    const names = outputs.filter((o) => spillable(o.type)).map((o) => o.name);
    spec.spill = { limit: SPILL_BYTES, outputs: names, gathered: names.filter((n) => ctx.gathered.has(`${step.name}.${n}`)) };
  }
  const needed = outputs.length > 0 || spec.catch || spec.switch || spec.foreach;
  return needed ? spec : undefined;
}

export function buildStepTemplate(ctx: BuildContext, step: StepIR, plans: InputPlan[]): Template {
  const inParams: Parameter[] = [];
  const inArtifacts: Artifact[] = [];
  const env: EnvVar[] = [];
  const add = (name: string, value: string) => env.push({ name, value });
  const gathers: string[] = [];
  const spilled: { name: string; storage: string }[] = [];

  add('FLOWC_FLOW', ctx.ir.name);
  add('FLOWC_STEP', step.name);
  add('FLOWC_RUN_ID', '{{workflow.name}}');
  add('FLOWC_TASK_ID', '{{pod.name}}');
  add(TASK_DIR_VAR, TASK_DIR);
  if (step.foreachStack.length > 0) {
    inParams.push({ name: INDEX_PARAM });
    add('FLOWC_FOREACH_INDEX', `{{inputs.parameters.${INDEX_PARAM}}}`);
  }

  const paramEnv = new Map<string, string>();
  for (const plan of plans) {
    const { input } = plan;
    switch (plan.kind) {
      case 'workflow-param': {
        const value = `{{workflow.parameters.${plan.param}}}`;
        if (input.storage === 'json') {
          inArtifacts.push({ name: input.name, path: inPath(input.name), raw: { data: value } });
          add(inVar(input.name), inPath(input.name));
        } else add(inVar(input.name), value);
        paramEnv.set(plan.param, input.storage === 'json' ? inPath(input.name) : value);
        break;
      }
      case 'value':
        inParams.push({ name: input.name });
        if (input.storage === 'json') {
          inArtifacts.push({ name: input.name, path: inPath(input.name), raw: { data: `{{inputs.parameters.${input.name}}}` } });
          add(inVar(input.name), inPath(input.name));
        } else add(inVar(input.name), `{{inputs.parameters.${input.name}}}`);
        if (spillsFrom(ctx, plan.source)) {
          inArtifacts.push({ name: spillArtifact(input.name), path: `${SPILL_DIR}/${input.name}`, optional: true });
          spilled.push({ name: input.name, storage: input.storage });
        }
        break;
      case 'file':
        inArtifacts.push({ name: input.name, path: inPath(input.name) });
        add(inVar(input.name), inPath(input.name));
        break;
      case 'gather-split':
      case 'gather-foreach':
        inParams.push({ name: input.name });
        inArtifacts.push({ name: input.name, path: `${GATHER_DIR}/${input.name}`, raw: { data: `{{inputs.parameters.${input.name}}}` } });
        add(inVar(input.name), inPath(input.name));
        gathers.push(input.name);
        break;
    }
  }
  for (const ref of bodyParamRefs(step)) {
    if (paramEnv.has(ref.name)) continue;
    const value = `{{workflow.parameters.${ref.name}}}`;
    if (ref.storage === 'json') {
      inArtifacts.push({ name: `param-${ref.name}`, path: paramPath(ref.name), raw: { data: value } });
      paramEnv.set(ref.name, paramPath(ref.name));
    } else paramEnv.set(ref.name, value);
  }
  for (const [name, value] of paramEnv) add(paramVar(name), value);
  for (const o of step.outputs) add(outVar(o.name), outPath(o.name));

  const readProgram = (program: PodProgram) => {
    ctx.podPrograms.add(program);
    add(program.env, `{{workflow.parameters.${program.param}}}`);
  };
  const cmd = taskCommand(step);
  // The wrappers' I/O manifests are JSON: escape a `{{` the same way as FLOWC_FINISH (see envJson).
  for (const [name, value] of Object.entries(cmd.env)) add(name, value.includes('{{') ? envJson(JSON.parse(value)) : value);
  const argv = containerArgv(cmd.argv);
  if (argv[2] === PYTHON_LOADER || argv[2] === PYTHON_B64_LOADER) readProgram(WRAPPER_PROGRAM);
  const finish = finishSpec(ctx, step);
  if (gathers.length > 0 || spilled.length > 0) add('FLOWC_PREPARE', envJson({ gathers, ...(spilled.length > 0 ? { spills: spilled } : {}) } satisfies PrepareSpec));
  if (finish) add('FLOWC_FINISH', envJson(finish));
  if (gathers.length > 0 || spilled.length > 0 || finish) readProgram(spills(ctx) ? SPILL_HELPER_PROGRAM : HELPER_PROGRAM);
  if (step.catch && step.retry) add('FLOWC_RETRY', '{{retries}}');
  for (const e of step.env) add(e.name, e.value);
  const envFrom: { secretRef: { name: string } }[] = [];
  for (const s of step.secrets) {
    if (s.env === null) envFrom.push({ secretRef: { name: s.secret } });
    else env.push({ name: s.env, valueFrom: { secretKeyRef: { name: s.secret, key: s.key ?? s.env } } });
  }

  const outParams: Parameter[] = [];
  const outArtifacts: Artifact[] = [];
  const soft = step.catch !== null;
  const fromFile = (name: string): Parameter => ({ name, valueFrom: { path: `${ARGO_DIR}/${name}`, ...(soft ? { default: 'null' } : {}) } });
  for (const o of step.outputs) {
    if (o.name === step.catch?.var) continue;
    if (o.storage === 'file' || o.storage === 'dir') {
      outArtifacts.push({
        name: o.name,
        path: outPath(o.name),
        s3: s3Location(ctx, `${kubeName(step.name)}/{{pod.name}}/${o.name}`),
        archive: { none: {} },
        ...(soft ? { optional: true } : {}),
      });
      continue;
    }
    outParams.push(fromFile(o.name));
    if (spills(ctx) && spillable(o.type)) {
      const name = spillArtifact(o.name);
      outArtifacts.push({ name, path: `${ARGO_DIR}/${name}`, s3: s3Location(ctx, `${kubeName(step.name)}/{{pod.name}}/${name}`), archive: { none: {} }, optional: true });
    }
    if (ctx.gathered.has(`${step.name}.${o.name}`)) outParams.push(fromFile(gatherParam(o.name)));
  }
  if (step.catch) outParams.push({ name: step.catch.var, valueFrom: { path: `${ARGO_DIR}/${step.catch.var}` } });
  if (step.next.kind === 'switch') outParams.push(fromFile(CASE_PARAM));
  if (step.next.kind === 'foreach') outParams.push(fromFile(FOREACH_PARAM));

  const t: Template = { name: stepTemplateName(step.name), metadata: { labels: { 'flowc.dev/step': kubeName(step.name) } } };
  if (inParams.length > 0 || inArtifacts.length > 0) {
    t.inputs = {};
    if (inParams.length > 0) t.inputs.parameters = inParams;
    if (inArtifacts.length > 0) t.inputs.artifacts = inArtifacts;
  }
  if (outParams.length > 0 || outArtifacts.length > 0) {
    t.outputs = {};
    if (outParams.length > 0) t.outputs.parameters = outParams;
    if (outArtifacts.length > 0) t.outputs.artifacts = outArtifacts;
  }
  t.container = {
    image: step.image ?? '',
    command: ['/bin/sh', '-c', POD_SHIM, 'flowc-task', ...argv],
    env,
  };
  if (envFrom.length > 0) t.container.envFrom = envFrom;
  const resources = containerResources(step.resources, ctx.gpuResource);
  if (resources) t.container.resources = resources;
  if (step.retry) t.retryStrategy = { limit: step.retry.times, ...(step.retry.delaySeconds > 0 ? { backoff: { duration: `${step.retry.delaySeconds}s` } } : {}) };
  if (step.timeoutSeconds !== null) t.activeDeadlineSeconds = step.timeoutSeconds;
  const k8s = step.kubernetes;
  if (k8s && Object.keys(k8s.nodeSelector).length > 0) t.nodeSelector = { ...k8s.nodeSelector };
  if (k8s && k8s.tolerations.length > 0) t.tolerations = k8s.tolerations.map((x) => ({ ...x }));
  if (k8s?.serviceAccount) t.serviceAccountName = k8s.serviceAccount;
  return t;
}

/**
 * The protocol's argv as the container runs it. `python3 -c WRAPPER SOURCE` reads the wrapper from the environment
 * (see pod.ts). Author text that Argo would read as a template (`{{`, `}}` in a script or command) is carried
 * base64-encoded and decoded in the pod: the python source for the wrapper, a shell script for `/bin/sh -c`.
 */
export function containerArgv(argv: string[]): string[] {
  if (argv[0] === 'python3' && argv[1] === '-c' && argv[2] === PYTHON_WRAPPER && argv.length === 4) {
    return hasTemplateBraces(argv[3]) ? ['python3', '-c', PYTHON_B64_LOADER, toBase64(argv[3])] : ['python3', '-c', PYTHON_LOADER, argv[3]];
  }
  if (argv[0] === '/bin/sh' && argv[1] === '-c' && argv.length === 3 && hasTemplateBraces(argv[2])) {
    return ['python3', '-c', SH_B64_LOADER, toBase64(argv[2])];
  }
  if (argv.some(hasTemplateBraces)) throw new Error(`A container command would carry Argo template braces: ${JSON.stringify(argv)}`);
  return argv;
}

/** The S3 location of an output artifact: `<keyPrefix>/<flow>/<run>/<rest>` in the configured (or default) repository. */
export function s3Location(ctx: BuildContext, rest: string): NonNullable<Artifact['s3']> {
  const repo = ctx.options.config.argo?.artifactRepository ?? {};
  const prefix = (repo.keyPrefix ?? 'flowc').replace(/^\/+|\/+$/g, '');
  const key = `${prefix === '' ? '' : `${prefix}/`}${ctx.flowName}/{{workflow.name}}/${rest}`;
  return {
    ...(repo.bucket ? { bucket: repo.bucket } : {}),
    ...(repo.endpoint ? { endpoint: repo.endpoint } : {}),
    ...(repo.region ? { region: repo.region } : {}),
    key,
  };
}

/** The arguments of the task that calls a step's template from `scope`. */
export function stepTaskArguments(ctx: BuildContext, step: StepIR, plans: InputPlan[], scope: string): DagTask['arguments'] {
  const params: Parameter[] = [];
  const artifacts: Artifact[] = [];
  if (step.foreachStack.length > 0) {
    params.push({ name: INDEX_PARAM, value: tagOf(ctx.refs.resolve(scope, { kind: 'index', foreach: step.foreachStack.at(-1)! })) });
  }
  for (const plan of plans) {
    switch (plan.kind) {
      case 'workflow-param':
        break;
      case 'value':
        params.push({ name: plan.input.name, value: tagOf(ctx.refs.resolve(scope, plan.source)) });
        if (spillsFrom(ctx, plan.source)) {
          const ref = ctx.refs.resolve(scope, spillSource(plan.source));
          const name = spillArtifact(plan.input.name);
          artifacts.push({ ...(ref.kind === 'path' ? { name, from: tagOf(ref) } : { name, fromExpression: ref.expr }), optional: true });
        }
        break;
      case 'file': {
        const ref = ctx.refs.resolve(scope, plan.source);
        artifacts.push(ref.kind === 'path' ? { name: plan.input.name, from: tagOf(ref) } : { name: plan.input.name, fromExpression: ref.expr });
        break;
      }
      case 'gather-split':
        params.push({ name: plan.input.name, value: `[${plan.branches.map((b) => tagOf(ctx.refs.resolve(scope, b))).join(',')}]` });
        break;
      case 'gather-foreach': {
        const body = { kind: 'path' as const, path: `tasks.${bodyTaskName(plan.foreach)}.outputs.parameters.${plan.output}` };
        params.push({ name: plan.input.name, value: tagOf(body) });
        break;
      }
    }
  }
  const args: NonNullable<DagTask['arguments']> = {};
  if (params.length > 0) args.parameters = params;
  if (artifacts.length > 0) args.artifacts = artifacts;
  return params.length > 0 || artifacts.length > 0 ? args : undefined;
}

