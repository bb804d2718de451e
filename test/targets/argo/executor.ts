/**
 * The smallest faithful executor of an Argo Workflow (or a WorkflowTemplate submitted as one), for tests: no
 * Kubernetes here, so each pod's container command runs as a local process. It honours what flowc emits and
 * Argo's semantics for it:
 * - DAG templates: `depends` logic (a bare name is `(X.Succeeded || X.Skipped || X.Daemoned)`; `.Succeeded`,
 *   `.Failed`, `.Errored`, `.Skipped`, `.AnySucceeded`, `.AllFailed`; `&& || !`), a task whose logic is false is
 *   Omitted; `when` (after substitution) false is Skipped; `withParam` (a JSON list), `withItems`,
 *   `withSequence` (count, or start/end) expand into a TaskGroup whose aggregated outputs are JSON lists; a
 *   failed task fails the DAG, its dependants are Omitted, independent tasks run on; DAG outputs
 *   (`valueFrom.parameter` / `valueFrom.expression`).
 * - Concurrency as Argo's controller bounds it (`Gate`): `spec.parallelism`, the run's Pending and Running pods at
 *   once (within this host's `options.parallelism`); a template's `parallelism`, the active children of one call
 *   of it (pods, and nested DAGs counted once each); `concurrency` in the result gives the peaks. `dag.failFast`
 *   (true by default) does not stop a task from starting after another failed: in Argo a task whose dependencies
 *   complete while another task of the DAG is still running is started even after a failure (argo-workflows
 *   #5223, kept by its maintainers); the DAG fails once nothing of it runs or can start, as here.
 * - `{{...}}` substitution (workflow.*, inputs.*, tasks.*, item, pod.name, retries) and `{{=expr}}` expressions
 *   (expr.ts); only a task's ancestors are in its scope, as in Argo.
 * - Container templates: inputs (parameters with defaults; artifacts: raw data, S3 keys, `from`/`fromExpression`,
 *   optional), env (`secretKeyRef`, `optional` or not, and `envFrom` from `options.secrets`), outputs (parameters `valueFrom.path` with
 *   `default`, artifacts saved to an emulated artifact repository directory), `retryStrategy` (`limit`,
 *   `retryPolicy`, `backoff.duration`; a Retry node with one child per attempt), `activeDeadlineSeconds` (the
 *   process is killed).
 * - Gang scheduling: a pod naming a PodGroup (label `scheduling.x-k8s.io/pod-group`, annotation
 *   `scheduling.k8s.io/group-name`) that the run did not create errors (it would stay Pending); when the run ends
 *   every PodGroup must have been named by at least its `minMember` pods, none of them placed by the default
 *   scheduler, else the run errors (`podGroups` in the result).
 * - Resource templates (`action: create`, the manifest substituted, `generateName` given a random-looking suffix,
 *   outputs by `valueFrom.jsonPath` such as `{.metadata.name}`); of the objects, only a Service does anything:
 *   the cluster's DNS. A pod's env value that is the name of a Service this run created resolves to a loopback
 *   address of its own (127.0.0.2, 127.0.0.3, ...: every pod here shares this host, so a Service's address stands
 *   for the address of the pod it selects, and two servers on one port do not collide), and when the run ends each Service a pod used must select some pod of the
 *   run by its labels (the template's `metadata.labels` after substitution, plus Argo's
 *   `workflows.argoproj.io/workflow`), else the run errors as the name would not have resolved; `services` in
 *   the result says which pods each Service selected.
 * - The workflow: `arguments.parameters` (overridden at submission; a parameter without value is an error),
 *   `activeDeadlineSeconds`, `onExit` with `workflow.status` and `workflow.failures`, `workflowTemplateRef`.
 * Paths: every absolute path a template names (artifact paths, output paths, workingDir) is under some root
 * directories (e.g. `/flowc`); those roots are remapped into a per-pod directory under `options.workdir`, in env
 * values, the command and the paths themselves. The manifest is validated (validate.ts) before it runs.
 * The result carries the workflow status as Argo would store it (nodes with resolved inputs and outputs), so
 * tests and benchmarks can read and measure it.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { evaluate, nest, type Value } from './expr.ts';
import { validateArgoManifest } from './validate.ts';
import { parse as parseYaml } from 'yaml';

type Obj = Record<string, unknown>;
type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Skipped' | 'Omitted';

interface Param {
  name: string;
  value?: string;
  default?: string;
  valueFrom?: { path?: string; parameter?: string; expression?: string; jsonPath?: string; default?: string };
}
interface Art {
  name: string;
  path?: string;
  from?: string;
  fromExpression?: string;
  raw?: { data: string };
  s3?: { bucket?: string; key: string };
  optional?: boolean;
}
interface Task {
  name: string;
  template: string;
  depends?: string;
  when?: string;
  withParam?: string;
  withItems?: unknown[];
  withSequence?: { count?: string | number; start?: string | number; end?: string | number; format?: string };
  arguments?: { parameters?: Param[]; artifacts?: Art[] };
  continueOn?: { failed?: boolean; error?: boolean };
}
interface SecretKeyRef {
  name: string;
  key: string;
  optional?: boolean;
}
interface Template {
  name: string;
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  schedulerName?: string;
  resource?: { action: string; setOwnerReference?: boolean; manifest: string };
  inputs?: { parameters?: Param[]; artifacts?: Art[] };
  outputs?: { parameters?: Param[]; artifacts?: Art[] };
  dag?: { tasks: Task[]; failFast?: boolean };
  /** At most this many of the template's active children (pods and nested DAGs) at once (see `Gate`). */
  parallelism?: number | string;
  container?: {
    command?: string[];
    args?: string[];
    workingDir?: string;
    env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: SecretKeyRef } }[];
    envFrom?: { secretRef?: { name: string } }[];
  };
  retryStrategy?: { limit?: number | string; retryPolicy?: string; backoff?: { duration?: string } };
  activeDeadlineSeconds?: number | string;
}

/** An artifact as Argo keeps it: where it lives in the (emulated) repository, or its raw data. */
export interface ArtifactRef {
  name: string;
  key?: string;
  raw?: string;
}

export interface NodeStatus {
  id: string;
  name: string;
  displayName: string;
  type: 'Pod' | 'DAG' | 'TaskGroup' | 'Retry' | 'Skipped';
  templateName?: string;
  phase: Phase;
  message?: string;
  boundaryID?: string;
  children?: string[];
  inputs?: { parameters?: { name: string; value: string }[]; artifacts?: ArtifactRef[] };
  outputs?: { parameters?: { name: string; value: string }[]; artifacts?: ArtifactRef[]; exitCode?: string };
}

export interface ExecOptions {
  /** A fresh directory: pods' directories, the artifact repository, logs. */
  workdir: string;
  /** The workflow's name (`{{workflow.name}}`); default from metadata.name or generateName + a counter. */
  name?: string;
  namespace?: string;
  /** Submission parameters (`argo submit -p name=value`). */
  parameters?: Record<string, string>;
  /** Environment every pod gets besides its container env (PATH, credentials, endpoints). Default: PATH and HOME. */
  env?: Record<string, string>;
  /** Kubernetes secrets by name, for `secretKeyRef` and `envFrom`. */
  secrets?: Record<string, Record<string, string>>;
  /** WorkflowTemplates by name, for a manifest that has a `workflowTemplateRef`. */
  templates?: Record<string, unknown>;
  /** Pods running at once (default 4). */
  parallelism?: number;
  /** Skip validation (for tests of the executor on deliberately unusual manifests). */
  skipValidation?: boolean;
}

export interface PodLog {
  node: string;
  template: string;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface ExecResult {
  name: string;
  phase: 'Succeeded' | 'Failed' | 'Error';
  message?: string;
  /** The workflow's status nodes by id, as Argo stores them. */
  nodes: Record<string, NodeStatus>;
  /** The entrypoint's outputs. */
  outputs?: NodeStatus['outputs'];
  pods: PodLog[];
  /** The PodGroups the run created (gang scheduling), their `minMember`, the pods that named them and those pods' schedulers. */
  podGroups: { name: string; minMember: number; members: string[]; schedulerNames: string[] }[];
  /** The Services the run created, the pods whose labels their selector matches, and the pods that used their name. */
  services: { name: string; selector: Record<string, string>; selected: string[]; usedBy: string[] }[];
  /** Where the emulated artifact repository keeps an artifact's bytes. */
  artifactPath: (a: ArtifactRef) => string;
  /**
   * How much ran at once: `pods`, the most pods of the run running together; per DAG template call (`node`), the
   * most of its active children (pods and nested DAGs whose boundary it is) together, and its `parallelism`.
   */
  concurrency: { pods: number; templates: { node: string; template: string; limit?: number; peak: number }[] };
}

/** Thrown for what Argo would refuse or error on; the node errors with its message. */
class ExecError extends Error {}

/**
 * A count of active nodes with a bound, as Argo's controller keeps them (`checkParallelism`): the workflow's
 * `parallelism` bounds its Pending and Running pods; a template's `parallelism` bounds the active children of one
 * call of it, the Pod, DAG and Steps nodes whose boundary is that call's node (a Retry node's pods count, a task
 * group's items each count, a nested DAG counts as one however many pods it runs). A node held back is not
 * created until a slot frees; a freed slot passes straight to the next in line, so the bound is never exceeded.
 * A node is admitted by every gate it counts in (its boundary's, then the run's, so a node waiting for the run's
 * pods holds no pod slot) before it counts as active in any; the peak of active nodes is what the tests read.
 */
class Gate {
  private admitted = 0;
  private active = 0;
  private readonly queue: (() => void)[] = [];
  peak = 0;

  constructor(readonly limit: number) {}

  private async admit(): Promise<void> {
    if (this.admitted < this.limit) this.admitted++;
    else await new Promise<void>((r) => this.queue.push(r));
  }

  private leave(): void {
    this.active--;
    const next = this.queue.shift();
    if (next) next();
    else this.admitted--;
  }

  /** Waits until every gate admits the node, then counts it active in each; returns what `release` takes. */
  static async enter(gates: (Gate | undefined)[]): Promise<Gate[]> {
    const held = gates.filter((g): g is Gate => g !== undefined);
    for (const g of held) await g.admit();
    for (const g of held) g.peak = Math.max(g.peak, ++g.active);
    return held;
  }

  static release(held: Gate[]): void {
    for (const g of [...held].reverse()) g.leave();
  }
}

/** Runs `fn` as a node active in `gates`. */
async function holding<T>(gates: (Gate | undefined)[], fn: () => T | Promise<T>): Promise<T> {
  const held = await Gate.enter(gates);
  try {
    return await fn();
  } finally {
    Gate.release(held);
  }
}

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Runs a Workflow or WorkflowTemplate manifest to completion. Rejects only when the manifest is invalid. */
export async function executeWorkflow(manifest: unknown, options: ExecOptions): Promise<ExecResult> {
  if (!isObj(manifest)) throw new Error('The manifest is not an object.');
  if (!options.skipValidation) {
    const problems = validateArgoManifest(manifest, { knownTemplates: Object.keys(options.templates ?? {}) });
    if (problems.length > 0) throw new Error(`Invalid manifest:\n${problems.join('\n')}`);
  }
  let spec = manifest.spec as Obj;
  const ref = spec.workflowTemplateRef as { name: string } | undefined;
  if (ref) {
    const t = options.templates?.[ref.name];
    if (!isObj(t)) throw new Error(`workflowTemplateRef names unknown template '${ref.name}'.`);
    const tSpec = t.spec as Obj;
    const own = (spec.arguments as Obj | undefined)?.parameters as Param[] | undefined;
    const base = ((tSpec.arguments as Obj | undefined)?.parameters as Param[] | undefined) ?? [];
    const merged = base.map((p) => own?.find((o) => o.name === p.name) ?? p);
    spec = { ...tSpec, ...spec, templates: tSpec.templates, arguments: { parameters: merged } };
  }
  const meta = (manifest.metadata as Obj) ?? {};
  const name = options.name ?? (meta.name as string | undefined) ?? `${String(meta.generateName ?? 'wf-')}${(counter++).toString(36).padStart(5, '0')}`;
  return new Run(spec, name, options).execute();
}
let counter = 0;

/** FNV-1a, for deterministic node ids (Argo hashes node names too). */
function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(10);
}

function durationMs(d: string | undefined): number {
  if (!d) return 0;
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(d.trim());
  if (!m) throw new ExecError(`invalid duration '${d}'`);
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000);
}

/** Argo's `ParseItem`: JSON when the text is JSON, else the string. */
function parseItem(text: string): Value {
  try {
    return JSON.parse(text) as Value;
  } catch {
    return text;
  }
}
const itemText = (v: Value): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** What a scope resolves: flat keys for parameters and statuses, artifacts separately. */
class Scope {
  readonly params = new Map<string, string>();
  readonly values = new Map<string, Value>();
  readonly artifacts = new Map<string, ArtifactRef>();

  constructor(parent?: Scope) {
    if (parent) {
      for (const [k, v] of parent.params) this.params.set(k, v);
      for (const [k, v] of parent.values) this.values.set(k, v);
      for (const [k, v] of parent.artifacts) this.artifacts.set(k, v);
    }
  }

  set(key: string, value: string): void {
    this.params.set(key, value);
    this.values.set(key, value);
  }

  env(): Record<string, Value> {
    const flat = new Map<string, Value>(this.values);
    for (const [k, a] of this.artifacts) flat.set(k, a as unknown as Value);
    return nest(flat);
  }

  /** Substitutes `{{tag}}` and `{{=expr}}` in `text`. Unresolved tags stay when `allowUnresolved`, else throw. */
  replace(text: string, allowUnresolved: boolean): string {
    return text.replace(/\{\{([^{}]*)\}\}/g, (whole, body: string) => {
      const tag = body.trim();
      if (tag.startsWith('=')) {
        try {
          const v = evaluate(tag.slice(1), this.env());
          return v === null ? 'null' : typeof v === 'string' ? v : JSON.stringify(v);
        } catch (e) {
          if (allowUnresolved) return whole;
          throw new ExecError(`failed to evaluate expression '${tag.slice(1)}': ${(e as Error).message}`);
        }
      }
      const v = this.params.get(tag);
      if (v !== undefined) return v;
      if (allowUnresolved) return whole;
      throw new ExecError(`failed to resolve {{${tag}}}`);
    });
  }

  /** Substitutes every string in a JSON-like value. */
  replaceAll<T>(value: T, allowUnresolved: boolean): T {
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return this.replace(v, allowUnresolved);
      if (Array.isArray(v)) return v.map(walk);
      if (isObj(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }
}

interface NodeResult {
  phase: Phase;
  outputs?: NodeStatus['outputs'];
  message?: string;
}

class Run {
  private readonly templates = new Map<string, Template>();
  private readonly nodes: Record<string, NodeStatus> = {};
  private readonly pods: PodLog[] = [];
  private readonly globals = new Scope();
  private readonly artifactRoot: string;
  private readonly running = new Set<{ kill: () => void }>();
  /** The run's pods at once: the workflow's `parallelism`, within this host's `options.parallelism`. */
  private readonly podGate: Gate;
  /** Every DAG template call's gate, by node name (its bound, and the peak of its active children). */
  private readonly boundaries: { node: string; template: string; limit?: number; gate: Gate }[] = [];
  private podCount = 0;
  private deadlineHit = false;
  /** Objects created by resource templates, and every pod's labels (for Service selectors). */
  private readonly created: { kind: string; name: string; obj: Obj }[] = [];
  private readonly podLabels = new Map<string, Record<string, string>>();
  private readonly serviceUsers = new Map<string, string[]>();
  /** Each pod's scheduler and the PodGroup it names (gang scheduling). */
  private readonly podScheduling = new Map<string, { schedulerName: string; group?: string }>();

  constructor(
    private readonly spec: Obj,
    private readonly name: string,
    private readonly options: ExecOptions,
  ) {
    for (const t of (spec.templates as Template[]) ?? []) this.templates.set(t.name, t);
    this.artifactRoot = join(options.workdir, 'artifacts');
    const wfLimit = spec.parallelism !== undefined ? Number(spec.parallelism) : Infinity;
    this.podGate = new Gate(Math.min(options.parallelism ?? 4, wfLimit));
  }

  private artifactPath = (a: ArtifactRef): string => join(this.artifactRoot, ...(a.key ?? a.name).split('/').filter((p) => p !== '' && p !== '..'));

  async execute(): Promise<ExecResult> {
    mkdirSync(this.artifactRoot, { recursive: true });
    const g = this.globals;
    g.set('workflow.name', this.name);
    g.set('workflow.namespace', this.options.namespace ?? 'default');
    g.set('workflow.uid', `uid-${hash(this.name)}`);
    g.set('workflow.serviceAccountName', String(this.spec.serviceAccountName ?? 'default'));
    const given = this.options.parameters ?? {};
    const declared = (((this.spec.arguments as Obj | undefined)?.parameters as Param[] | undefined) ?? []);
    for (const name of Object.keys(given)) {
      if (!declared.some((p) => p.name === name)) return this.finish('Error', `parameter '${name}' is not declared by the workflow`);
    }
    for (const p of declared) {
      const v = Object.prototype.hasOwnProperty.call(given, p.name) ? given[p.name] : (p.value ?? p.default);
      if (v === undefined) return this.finish('Error', `spec.arguments.${p.name}.value is required`);
      g.set(`workflow.parameters.${p.name}`, v);
    }

    const deadline = this.spec.activeDeadlineSeconds !== undefined ? Number(this.spec.activeDeadlineSeconds) : undefined;
    const timer =
      deadline !== undefined
        ? setTimeout(() => {
            this.deadlineHit = true;
            for (const r of this.running) r.kill();
          }, deadline * 1000)
        : undefined;
    let main: NodeResult;
    try {
      main = await this.runTemplate(String(this.spec.entrypoint), this.name, this.name, {}, g, undefined);
    } finally {
      if (timer) clearTimeout(timer);
    }
    let phase: 'Succeeded' | 'Failed' | 'Error' = main.phase === 'Succeeded' ? 'Succeeded' : main.phase === 'Error' ? 'Error' : 'Failed';
    let message = this.deadlineHit ? 'Step exceeded its deadline' : main.message;
    const onExit = this.spec.onExit as string | undefined;
    if (onExit) {
      const exitScope = new Scope(g);
      exitScope.set('workflow.status', phase);
      const failures = Object.values(this.nodes)
        .filter((n) => (n.phase === 'Failed' || n.phase === 'Error') && n.type === 'Pod')
        .map((n) => ({ displayName: n.displayName, message: n.message ?? '', templateName: n.templateName ?? '', phase: n.phase, podName: n.id, finishedAt: '' }));
      exitScope.set('workflow.failures', JSON.stringify(failures));
      const exit = await this.runTemplate(onExit, `${this.name}.onExit`, 'onExit', {}, exitScope, undefined);
      if (exit.phase !== 'Succeeded' && phase === 'Succeeded') {
        phase = 'Failed';
        message = exit.message ?? 'exit handler failed';
      }
    }
    // The cluster's DNS: a Service name a pod used resolves only when its selector picks some pod of the run.
    for (const svc of this.services()) {
      if (svc.usedBy.length > 0 && svc.selected.length === 0 && phase === 'Succeeded') {
        phase = 'Error';
        message = `Service '${svc.name}' selects no pod (selector ${JSON.stringify(svc.selector)}): its name resolves to no address`;
      }
    }
    const gang = phase === 'Succeeded' ? this.gangProblem() : undefined;
    if (gang) {
      phase = 'Error';
      message = gang;
    }
    return this.finish(phase, message, main.outputs);
  }

  /**
   * What a gang scheduler (Volcano, the coscheduling plugin) would not do: bind the pods of a PodGroup unless at
   * least `minMember` pods name it, or place a pod the default scheduler (which ignores PodGroups) places.
   */
  private gangProblem(): string | undefined {
    for (const g of this.podGroups()) {
      if (g.members.length < g.minMember) return `PodGroup '${g.name}' wants ${g.minMember} pods but ${g.members.length} named it: the scheduler would never bind them`;
      if (g.schedulerNames.includes('default-scheduler')) return `a pod of PodGroup '${g.name}' is placed by the default scheduler, which ignores PodGroups`;
    }
    return undefined;
  }

  private podGroups(): ExecResult['podGroups'] {
    return this.created
      .filter((c) => c.kind === 'PodGroup')
      .map((c) => {
        const members = [...this.podScheduling].filter(([, p]) => p.group === c.name);
        return { name: c.name, minMember: Number((c.obj.spec as Obj | undefined)?.minMember ?? 0), members: members.map(([pod]) => pod), schedulerNames: [...new Set(members.map(([, p]) => p.schedulerName))] };
      });
  }

  /**
   * A `secretKeyRef` as the kubelet resolves it: the key's value; a missing secret or key leaves an `optional`
   * variable unset and keeps any other pod from starting (an error).
   */
  private secretValue(ref: SecretKeyRef): string | undefined {
    const v = this.options.secrets?.[ref.name]?.[ref.key];
    if (v === undefined && !ref.optional) throw new ExecError(`secret '${ref.name}' key '${ref.key}' not found`);
    return v;
  }

  private services(): ExecResult['services'] {
    return this.created
      .filter((c) => c.kind === 'Service')
      .map((c) => {
        const selector = (((c.obj.spec as Obj | undefined)?.selector as Record<string, string> | undefined) ?? {});
        const selected = [...this.podLabels].filter(([, labels]) => Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v)).map(([pod]) => pod);
        return { name: c.name, selector, selected, usedBy: this.serviceUsers.get(c.name) ?? [] };
      });
  }

  /** A resource template: creates the object its manifest describes (after substitution); outputs by jsonPath. */
  private runResource(tmpl: Template, nodeName: string, displayName: string, scope: Scope, inputs: NodeStatus['inputs'], parent: string | undefined): NodeResult {
    const node = this.addNode({ name: nodeName, displayName, type: 'Pod', templateName: tmpl.name, phase: 'Running', ...(inputs ? { inputs } : {}) }, parent);
    const fail = (message: string): NodeResult => {
      node.phase = 'Error';
      node.message = message;
      return { phase: 'Error', message };
    };
    const res = tmpl.resource!;
    if (res.action !== 'create') return fail(`resource action '${res.action}' is not supported by this executor`);
    let obj: Obj;
    try {
      const parsed = parseYaml(scope.replace(res.manifest, false)) as unknown;
      if (!isObj(parsed)) return fail('the resource manifest is not an object');
      obj = parsed;
    } catch (e) {
      return fail(e instanceof ExecError ? e.message : `the resource manifest is not YAML: ${(e as Error).message}`);
    }
    const meta = (obj.metadata as Obj | undefined) ?? {};
    const kind = String(obj.kind ?? '');
    const name = typeof meta.name === 'string' ? meta.name : typeof meta.generateName === 'string' ? `${meta.generateName}${hash(`${nodeName}/${this.created.length}`).slice(0, 5)}` : undefined;
    if (!name) return fail('the resource has neither metadata.name nor metadata.generateName');
    if (!/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name) && kind === 'Service') return fail(`Service name '${name}' is not a DNS-1035 label`);
    if (this.created.some((c) => c.kind === kind && c.name === name)) return fail(`${kind} '${name}' already exists`);
    const created = { ...obj, metadata: { ...meta, name } };
    this.created.push({ kind, name, obj: created });
    const params: { name: string; value: string }[] = [];
    for (const p of tmpl.outputs?.parameters ?? []) {
      const path = p.valueFrom?.jsonPath;
      const m = path && /^\{((?:\.[A-Za-z0-9_-]+)+)\}$/.exec(path);
      if (!m) return fail(`output '${p.name}': only simple jsonPath such as {.metadata.name} is supported`);
      let v: unknown = created;
      for (const key of m[1].slice(1).split('.')) v = isObj(v) ? v[key] : undefined;
      if (v === undefined) return fail(`output '${p.name}': ${path} is not in the created object`);
      params.push({ name: p.name, value: typeof v === 'string' ? v : JSON.stringify(v) });
    }
    node.phase = 'Succeeded';
    node.outputs = params.length > 0 ? { parameters: params } : {};
    return { phase: 'Succeeded', outputs: node.outputs };
  }

  private finish(phase: ExecResult['phase'], message?: string, outputs?: NodeStatus['outputs']): ExecResult {
    const concurrency = { pods: this.podGate.peak, templates: this.boundaries.map(({ node, template, limit, gate }) => ({ node, template, ...(limit !== undefined ? { limit } : {}), peak: gate.peak })) };
    return { name: this.name, phase, ...(message ? { message } : {}), nodes: this.nodes, ...(outputs ? { outputs } : {}), pods: this.pods, services: this.services(), podGroups: this.podGroups(), artifactPath: this.artifactPath, concurrency };
  }

  private addNode(n: Omit<NodeStatus, 'id'>, parent?: string): NodeStatus {
    const id = n.name === this.name ? this.name : `${this.name}-${hash(n.name)}`;
    const node: NodeStatus = { id, ...n };
    this.nodes[id] = node;
    if (parent) {
      const p = this.nodes[parent];
      if (p) (p.children ??= []).push(id);
    }
    return node;
  }

  /**
   * Runs the template `name` as node `nodeName`, with `args` (already resolved by the caller) and the caller's
   * scope for globals (`workflow.*`); `boundary` is the gate of the DAG call the node is a child of (none for the
   * entrypoint and the exit handler).
   */
  private async runTemplate(name: string, nodeName: string, displayName: string, args: { parameters?: Param[]; artifacts?: (Art | ArtifactRef)[] }, outer: Scope, parent: string | undefined, boundary?: Gate): Promise<NodeResult> {
    const tmpl = this.templates.get(name);
    if (!tmpl) {
      this.addNode({ name: nodeName, displayName, type: 'Skipped', phase: 'Error', message: `template '${name}' not found` }, parent);
      return { phase: 'Error', message: `template '${name}' not found` };
    }
    // Inputs: a template's own scope holds globals and its inputs only.
    const scope = new Scope();
    for (const [k, v] of outer.params) if (k.startsWith('workflow.')) scope.set(k, v);
    const inParams: { name: string; value: string }[] = [];
    const inArts: ArtifactRef[] = [];
    try {
      for (const p of tmpl.inputs?.parameters ?? []) {
        const a = args.parameters?.find((x) => x.name === p.name);
        const v = a?.value ?? p.value ?? p.default;
        if (v === undefined) throw new ExecError(`inputs.parameters.${p.name} was not supplied`);
        scope.set(`inputs.parameters.${p.name}`, v);
        inParams.push({ name: p.name, value: v });
      }
      for (const art of tmpl.inputs?.artifacts ?? []) {
        const given = args.artifacts?.find((x) => x.name === art.name) as ArtifactRef | undefined;
        let resolved: ArtifactRef | undefined;
        if (given && (given.key !== undefined || given.raw !== undefined)) resolved = { name: art.name, ...(given.key !== undefined ? { key: given.key } : {}), ...(given.raw !== undefined ? { raw: given.raw } : {}) };
        else if (art.raw) resolved = { name: art.name, raw: scope.replace(art.raw.data, false) };
        else if (art.s3) resolved = { name: art.name, key: scope.replace(art.s3.key, false) };
        if (!resolved) {
          if (art.optional) continue;
          throw new ExecError(`inputs.artifacts.${art.name} was not supplied`);
        }
        if (resolved.key !== undefined && !existsSync(this.artifactPath(resolved))) {
          if (art.optional) continue;
          throw new ExecError(`failed to load artifact '${art.name}': key ${resolved.key} does not exist`);
        }
        scope.artifacts.set(`inputs.artifacts.${art.name}`, resolved);
        if (art.path) scope.set(`inputs.artifacts.${art.name}.path`, art.path);
        inArts.push(resolved);
      }
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      this.addNode({ name: nodeName, displayName, type: tmpl.dag ? 'DAG' : 'Pod', templateName: name, phase: 'Error', message: e.message }, parent);
      return { phase: 'Error', message: e.message };
    }
    const inputs = inParams.length > 0 || inArts.length > 0 ? { ...(inParams.length > 0 ? { parameters: inParams } : {}), ...(inArts.length > 0 ? { artifacts: inArts } : {}) } : undefined;

    // A nested DAG is one active child of its caller's boundary while it runs; a resource template is a pod.
    if (tmpl.dag) return holding([boundary], () => this.runDag(tmpl, nodeName, displayName, scope, inputs, parent));
    if (tmpl.resource) return holding([boundary, this.podGate], () => this.runResource(tmpl, nodeName, displayName, scope, inputs, parent));
    if (!tmpl.container) throw new Error(`template '${name}': only container and dag templates are supported`);
    const limit = tmpl.retryStrategy ? Number(scope.replace(String(tmpl.retryStrategy.limit ?? 0), false)) : undefined;
    if (limit === undefined) return this.runPod(tmpl, nodeName, displayName, scope, inputs, parent, 0, boundary);
    const retry = this.addNode({ name: nodeName, displayName, type: 'Retry', templateName: name, phase: 'Running', ...(inputs ? { inputs } : {}) }, parent);
    let last: NodeResult = { phase: 'Error' };
    for (let attempt = 0; attempt <= limit; attempt++) {
      if (attempt > 0) {
        const wait = durationMs(tmpl.retryStrategy?.backoff?.duration);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      last = await this.runPod(tmpl, `${nodeName}(${attempt})`, `${displayName}(${attempt})`, scope, inputs, retry.id, attempt, boundary);
      // retryPolicy: OnFailure (the default) retries failed containers, OnError (and OnTransientError, as far as
      // this executor can tell) pods that errored, Always both.
      const policy = tmpl.retryStrategy?.retryPolicy ?? 'OnFailure';
      const retried = policy === 'Always' ? ['Failed', 'Error'] : policy === 'OnFailure' ? ['Failed'] : ['Error'];
      if (!retried.includes(last.phase) || this.deadlineHit) break;
    }
    retry.phase = last.phase;
    if (last.message) retry.message = last.message;
    if (last.outputs) retry.outputs = last.outputs;
    return last;
  }

  private async runPod(tmpl: Template, nodeName: string, displayName: string, inScope: Scope, inputs: NodeStatus['inputs'], parent: string | undefined, attempt: number, boundary: Gate | undefined): Promise<NodeResult> {
    const node = this.addNode({ name: nodeName, displayName, type: 'Pod', templateName: tmpl.name, phase: 'Pending', ...(inputs ? { inputs } : {}) }, parent);
    const fail = (phase: Phase, message: string, outputs?: NodeStatus['outputs']): NodeResult => {
      node.phase = phase;
      node.message = message;
      if (outputs) node.outputs = outputs;
      return { phase, message, ...(outputs ? { outputs } : {}) };
    };
    if (this.deadlineHit) return fail('Failed', 'Step exceeded its deadline');
    const podName = `${this.name}-${tmpl.name}-${++this.podCount}`.slice(0, 253);
    node.id = podName;
    delete this.nodes[`${this.name}-${hash(nodeName)}`];
    this.nodes[podName] = node;
    if (parent && this.nodes[parent]) this.nodes[parent].children = this.nodes[parent].children!.map((c) => (c === `${this.name}-${hash(nodeName)}` ? podName : c));

    const scope = new Scope(inScope);
    scope.set('pod.name', podName);
    if (tmpl.retryStrategy) scope.set('retries', String(attempt));
    let t: Template;
    try {
      const { dag: _d, ...rest } = tmpl;
      t = scope.replaceAll(rest as Template, false);
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      return fail('Error', e.message);
    }
    const c = t.container!;
    this.podLabels.set(podName, { ...(t.metadata?.labels ?? {}), 'workflows.argoproj.io/workflow': this.name });
    // Gang scheduling: a pod naming a PodGroup that does not exist stays Pending (the scheduler waits for it).
    const group = t.metadata?.labels?.['scheduling.x-k8s.io/pod-group'] ?? t.metadata?.annotations?.['scheduling.k8s.io/group-name'];
    this.podScheduling.set(podName, { schedulerName: t.schedulerName ?? 'default-scheduler', ...(group !== undefined ? { group } : {}) });
    if (group !== undefined && !this.created.some((o) => o.kind === 'PodGroup' && o.name === group)) return fail('Error', `PodGroup '${group}' does not exist: the pod stays Pending`);
    const podDir = join(this.options.workdir, 'pods', podName);
    mkdirSync(podDir, { recursive: true });
    // The directories the template names, remapped into the pod's directory.
    const roots = new Set<string>();
    const addRoot = (p: string | undefined) => {
      const m = p && /^\/[^/]+/.exec(p);
      if (m) roots.add(m[0]);
    };
    for (const a of [...(t.inputs?.artifacts ?? []), ...(t.outputs?.artifacts ?? [])]) addRoot(a.path);
    for (const p of t.outputs?.parameters ?? []) addRoot(p.valueFrom?.path);
    addRoot(c.workingDir);
    // Programs name the paths too (a default such as "/flowc/argo" in a script), so every occurrence is remapped.
    const rootRe = roots.size > 0 ? new RegExp(`(^|[^\\w./])(${[...roots].map((r) => r.replace(/[.*+?^${}()|[\\]\\\\]/g, '\\\\$&')).join('|')})(?=/|$|[^-\\w.])`, 'g') : undefined;
    const remap = (s: string): string => (rootRe ? s.replace(rootRe, (_m, pre: string, root: string) => pre + podDir + root) : s);

    // Each attempt is a pod: it counts in its boundary and in the run while it is Pending or Running.
    const held = await Gate.enter([boundary, this.podGate]);
    try {
      // Input artifacts.
      for (const a of t.inputs?.artifacts ?? []) {
        const ref = inputs?.artifacts?.find((x) => x.name === a.name);
        if (!ref || !a.path) continue;
        const dest = remap(a.path);
        mkdirSync(dirname(dest), { recursive: true });
        if (ref.raw !== undefined) writeFileSync(dest, ref.raw);
        else cpSync(this.artifactPath(ref), dest, { recursive: true });
      }
      // Environment.
      const env: Record<string, string> = { ...(this.options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: podDir }) };
      for (const from of c.envFrom ?? []) {
        const s = from.secretRef && this.options.secrets?.[from.secretRef.name];
        if (!s) throw new ExecError(`secret '${from.secretRef?.name}' not found`);
        Object.assign(env, s);
      }
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) {
          const v = this.secretValue(e.valueFrom.secretKeyRef);
          if (v === undefined) continue;
          env[e.name] = v;
        } else env[e.name] = remap(e.value ?? '');
        // The cluster's DNS: a Service of this run resolves to the pod it selects, on this host.
        const services = this.created.filter((o) => o.kind === 'Service');
        const svc = services.findIndex((o) => o.name === env[e.name]);
        if (svc >= 0) {
          env[e.name] = `127.0.0.${2 + svc}`;
          this.serviceUsers.set(services[svc].name, [...(this.serviceUsers.get(services[svc].name) ?? []), podName]);
        }
      }
      const argv = [...(c.command ?? []), ...(c.args ?? [])].map(remap);
      if (argv.length === 0) throw new ExecError('container has no command');
      const cwd = c.workingDir ? remap(c.workingDir) : podDir;
      mkdirSync(cwd, { recursive: true });
      node.phase = 'Running';
      const deadline = t.activeDeadlineSeconds !== undefined ? Number(t.activeDeadlineSeconds) : undefined;
      const proc = await this.spawnPod(argv, cwd, env, deadline);
      this.pods.push({ node: nodeName, template: tmpl.name, exitCode: proc.code, stdout: proc.stdout, stderr: proc.stderr });

      // Outputs, collected whatever the exit code (as Argo's wait container does).
      const outParams: { name: string; value: string }[] = [];
      const outArts: ArtifactRef[] = [];
      let outputError: string | undefined;
      for (const p of t.outputs?.parameters ?? []) {
        const path = p.valueFrom?.path;
        if (!path) continue;
        const file = remap(path);
        if (existsSync(file) && statSync(file).isFile()) outParams.push({ name: p.name, value: readFileSync(file, 'utf8') });
        else if (p.valueFrom?.default !== undefined) outParams.push({ name: p.name, value: p.valueFrom.default });
        else outputError ??= `open ${path}: no such file or directory`;
      }
      for (const a of t.outputs?.artifacts ?? []) {
        if (!a.path) continue;
        const src = remap(a.path);
        if (!existsSync(src)) {
          if (!a.optional) outputError ??= `failed to save artifact '${a.name}': ${a.path} does not exist`;
          continue;
        }
        const ref: ArtifactRef = { name: a.name, key: a.s3?.key ?? `${this.name}/${podName}/${a.name}` };
        const dest = this.artifactPath(ref);
        rmSync(dest, { recursive: true, force: true });
        mkdirSync(dirname(dest), { recursive: true });
        cpSync(src, dest, { recursive: true });
        outArts.push(ref);
      }
      const outputs: NodeStatus['outputs'] = {
        ...(outParams.length > 0 ? { parameters: outParams } : {}),
        ...(outArts.length > 0 ? { artifacts: outArts } : {}),
        exitCode: String(proc.code ?? -1),
      };
      if (proc.timedOut) return fail('Failed', 'Pod was active on the node longer than the specified deadline', outputs);
      if (proc.code !== 0) return fail('Failed', proc.error ?? `Error (exit code ${proc.code ?? 'signal'})`, outputs);
      if (outputError) return fail('Error', outputError, outputs);
      node.phase = 'Succeeded';
      node.outputs = outputs;
      return { phase: 'Succeeded', outputs };
    } catch (e) {
      if (!(e instanceof ExecError)) throw e;
      return fail('Error', e.message);
    } finally {
      Gate.release(held);
    }
  }

  private spawnPod(argv: string[], cwd: string, env: Record<string, string>, deadline: number | undefined): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean; error?: string }> {
    return new Promise((resolve) => {
      const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let timedOut = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
      const handle = { kill: () => child.kill('SIGKILL') };
      this.running.add(handle);
      const timer =
        deadline !== undefined
          ? setTimeout(() => {
              timedOut = true;
              child.kill('SIGKILL');
            }, deadline * 1000)
          : undefined;
      let error: string | undefined;
      child.on('error', (e) => (error = e.message));
      child.on('close', (code) => {
        if (timer) clearTimeout(timer);
        this.running.delete(handle);
        resolve({ code: error ? 127 : code, stdout, stderr, timedOut: timedOut || this.deadlineHit, ...(error ? { error } : {}) });
      });
    });
  }

  private async runDag(tmpl: Template, nodeName: string, displayName: string, scope: Scope, inputs: NodeStatus['inputs'], parent: string | undefined): Promise<NodeResult> {
    const dagNode = this.addNode({ name: nodeName, displayName, type: 'DAG', templateName: tmpl.name, phase: 'Running', ...(inputs ? { inputs } : {}) }, parent);
    // This call is the boundary of its tasks' nodes: `parallelism` bounds how many of them are active at once.
    const limit = tmpl.parallelism !== undefined ? Number(scope.replace(String(tmpl.parallelism), false)) : undefined;
    const gate = new Gate(limit ?? Infinity);
    this.boundaries.push({ node: nodeName, template: tmpl.name, ...(limit !== undefined ? { limit } : {}), gate });
    const tasks = tmpl.dag!.tasks;
    const byName = new Map(tasks.map((t) => [t.name, t]));
    const deps = new Map<string, string[]>();
    for (const t of tasks) {
      const names = [...new Set([...(t.depends ?? '').matchAll(/[A-Za-z0-9][-A-Za-z0-9]*/g)].map((m) => m[0]).filter((n) => byName.has(n)))];
      deps.set(t.name, names);
    }
    const ancestors = (n: string, acc = new Set<string>()): Set<string> => {
      for (const d of deps.get(n) ?? []) if (!acc.has(d)) ancestors(d, acc.add(d));
      return acc;
    };
    // Per task: its node (phase) and, for a task group, its children's outputs.
    const done = new Map<string, { node: NodeStatus; children?: NodeStatus[] }>();
    const started = new Set<string>();
    const inflight = new Map<string, Promise<void>>();

    const addTaskScope = (s: Scope, n: string) => {
      const d = done.get(n)!;
      const prefix = `tasks.${n}`;
      s.set(`${prefix}.status`, d.node.phase);
      if (d.children) {
        const lists = new Map<string, Value[]>();
        const maps: Record<string, string>[] = [];
        for (const c of d.children) {
          const m: Record<string, string> = {};
          for (const p of c.outputs?.parameters ?? []) {
            m[p.name] = p.value;
            lists.set(p.name, [...(lists.get(p.name) ?? []), parseItem(p.value)]);
          }
          maps.push(m);
        }
        for (const [k, v] of lists) s.set(`${prefix}.outputs.parameters.${k}`, JSON.stringify(v));
        if (d.children.length > 0) s.set(`${prefix}.outputs.parameters`, JSON.stringify(maps));
      } else {
        for (const p of d.node.outputs?.parameters ?? []) s.set(`${prefix}.outputs.parameters.${p.name}`, p.value);
        for (const a of d.node.outputs?.artifacts ?? []) s.artifacts.set(`${prefix}.outputs.artifacts.${a.name}`, a);
        if (d.node.outputs?.exitCode !== undefined) s.set(`${prefix}.exitCode`, d.node.outputs.exitCode);
      }
    };

    const dependsLogic = (t: Task): boolean => {
      if (!t.depends) return true;
      const env: Record<string, Value> = {};
      for (const n of deps.get(t.name)!) {
        const d = done.get(n)!;
        const kids = d.children ?? [];
        env[n.replace(/-/g, '_')] = {
          Succeeded: d.node.phase === 'Succeeded',
          Failed: d.node.phase === 'Failed',
          Errored: d.node.phase === 'Error',
          Skipped: d.node.phase === 'Skipped',
          Daemoned: false,
          AnySucceeded: kids.some((k) => k.phase === 'Succeeded'),
          AllFailed: kids.length > 0 && kids.every((k) => k.phase === 'Failed'),
        };
      }
      // A bare task name means it succeeded, was skipped or is a daemon.
      const logic = t.depends.replace(/([A-Za-z0-9][-A-Za-z0-9]*)(\.[A-Za-z]+)?/g, (_m, n: string, field?: string) => {
        const id = n.replace(/-/g, '_');
        return field ? `${id}${field}` : `(${id}.Succeeded || ${id}.Skipped || ${id}.Daemoned)`;
      });
      const v = evaluate(logic, env);
      if (typeof v !== 'boolean') throw new ExecError(`depends '${t.depends}' is not a bool`);
      return v;
    };

    const runTask = async (t: Task): Promise<void> => {
      const taskNodeName = `${nodeName}.${t.name}`;
      const settle = (node: NodeStatus, children?: NodeStatus[]): void => {
        done.set(t.name, { node, ...(children ? { children } : {}) });
      };
      const skipped = (phase: Phase, message: string) => settle(this.addNode({ name: taskNodeName, displayName: t.name, type: 'Skipped', phase, message }, dagNode.id));
      let execute: boolean;
      try {
        execute = dependsLogic(t);
      } catch (e) {
        return skipped('Error', (e as Error).message);
      }
      if (!execute) return skipped('Omitted', 'omitted: depends condition not met');
      const s = new Scope(scope);
      for (const a of ancestors(t.name)) addTaskScope(s, a);
      let resolved: Task;
      try {
        const { withItems, ...rest } = t;
        resolved = { ...s.replaceAll(rest, true), ...(withItems ? { withItems } : {}) };
      } catch (e) {
        return skipped('Error', (e as Error).message);
      }
      const whenFalse = (when: string | undefined): boolean => {
        if (!when) return false;
        const v = evaluate(when, {});
        if (typeof v !== 'boolean') throw new ExecError(`when '${when}' is not a bool`);
        return !v;
      };
      let items: Value[] | undefined;
      try {
        if (!(resolved.withParam || resolved.withItems || resolved.withSequence) && whenFalse(resolved.when)) return skipped('Skipped', `when '${resolved.when}' evaluated false`);
        if (resolved.withParam !== undefined) {
          const v = parseItem(resolved.withParam);
          if (!Array.isArray(v)) throw new ExecError(`withParam value could not be parsed as a JSON list: ${resolved.withParam.trim()}`);
          items = v;
        } else if (resolved.withItems) items = resolved.withItems as Value[];
        else if (resolved.withSequence) items = sequence(resolved.withSequence);
      } catch (e) {
        return skipped('Error', (e as Error).message);
      }
      const call = async (task: Task, name: string, display: string, parentId: string): Promise<NodeStatus> => {
        const artifacts: (Art | ArtifactRef)[] = [];
        try {
          for (const a of task.arguments?.artifacts ?? []) {
            if (a.from !== undefined) {
              const key = /^\{\{([^{}]+)\}\}$/.exec(a.from)?.[1]?.trim();
              const ref = key !== undefined ? s.artifacts.get(key) : undefined;
              if (ref) artifacts.push({ ...ref, name: a.name });
              else if (!a.optional) throw new ExecError(`Unable to resolve: ${a.from}`);
            } else if (a.fromExpression !== undefined) {
              const ref = evaluate(a.fromExpression, s.env()) as unknown as ArtifactRef | null;
              if (ref && typeof ref === 'object') artifacts.push({ ...ref, name: a.name });
              else if (!a.optional) throw new ExecError(`Unable to resolve: ${a.fromExpression}`);
            } else artifacts.push(a);
          }
          for (const p of task.arguments?.parameters ?? []) if (p.value !== undefined && /\{\{[^{}]*\}\}/.test(p.value)) throw new ExecError(`failed to resolve ${p.value}`);
        } catch (e) {
          if (!(e instanceof ExecError)) throw e;
          return this.addNode({ name, displayName: display, type: 'Skipped', phase: 'Error', message: e.message }, parentId);
        }
        await this.runTemplate(task.template, name, display, { ...(task.arguments?.parameters ? { parameters: task.arguments.parameters } : {}), artifacts }, s, parentId, gate);
        return this.nodes[Object.keys(this.nodes).find((id) => this.nodes[id].name === name)!];
      };
      if (items === undefined) {
        settle(await call(resolved, taskNodeName, t.name, dagNode.id));
        return;
      }
      const group = this.addNode({ name: taskNodeName, displayName: t.name, type: 'TaskGroup', templateName: t.template, phase: 'Running' }, dagNode.id);
      const children = await Promise.all(
        items.map(async (item, i) => {
          const is = new Scope();
          is.set('item', itemText(item));
          if (item !== null && typeof item === 'object' && !Array.isArray(item)) for (const [k, v] of Object.entries(item)) is.set(`item.${k}`, itemText(v));
          const { withParam: _p, withItems: _i, withSequence: _s, ...rest } = resolved;
          const expanded = is.replaceAll(rest, true);
          const name = `${taskNodeName}(${i}:${itemText(item)})`;
          const display = `${t.name}(${i}:${itemText(item)})`;
          try {
            if (whenFalse(expanded.when)) return this.addNode({ name, displayName: display, type: 'Skipped', phase: 'Skipped', message: `when '${expanded.when}' evaluated false` }, group.id);
          } catch (e) {
            return this.addNode({ name, displayName: display, type: 'Skipped', phase: 'Error', message: (e as Error).message }, group.id);
          }
          return call(expanded, name, display, group.id);
        }),
      );
      const failed = children.find((c) => c.phase === 'Failed' || c.phase === 'Error');
      group.phase = failed ? failed.phase : 'Succeeded';
      settle(group, children);
    };

    // Schedule: a task starts once every task it depends on is fulfilled.
    let failure: NodeStatus | undefined;
    for (;;) {
      for (const t of tasks) {
        if (started.has(t.name)) continue;
        if (!deps.get(t.name)!.every((d) => done.has(d))) continue;
        started.add(t.name);
        inflight.set(
          t.name,
          runTask(t).then(() => {
            inflight.delete(t.name);
          }),
        );
      }
      if (inflight.size === 0) break;
      await Promise.race(inflight.values());
    }
    for (const t of tasks) {
      const d = done.get(t.name);
      if (!d) continue;
      const phase = d.node.phase;
      const continues = (phase === 'Failed' && t.continueOn?.failed) || (phase === 'Error' && t.continueOn?.error);
      if ((phase === 'Failed' || phase === 'Error') && !continues) failure ??= d.node;
    }
    if (failure) {
      dagNode.phase = failure.phase === 'Error' ? 'Error' : 'Failed';
      dagNode.message = `child '${failure.name}' ${failure.phase.toLowerCase()}${failure.message ? `: ${failure.message}` : ''}`;
      return { phase: dagNode.phase, message: dagNode.message };
    }
    // DAG outputs, from every task's results.
    const out = new Scope(scope);
    for (const t of tasks) if (done.has(t.name)) addTaskScope(out, t.name);
    const outParams: { name: string; value: string }[] = [];
    try {
      for (const p of tmpl.outputs?.parameters ?? []) {
        const vf = p.valueFrom ?? {};
        let v: string | undefined;
        if (vf.parameter !== undefined) v = out.replace(vf.parameter, false);
        else if (vf.expression !== undefined) {
          const r = evaluate(vf.expression, out.env());
          v = r === null ? undefined : typeof r === 'string' ? r : JSON.stringify(r);
        }
        v ??= vf.default;
        if (v === undefined) throw new ExecError(`unable to resolve output parameter '${p.name}'`);
        outParams.push({ name: p.name, value: v });
      }
    } catch (e) {
      dagNode.phase = 'Error';
      dagNode.message = (e as Error).message;
      return { phase: 'Error', message: dagNode.message };
    }
    dagNode.phase = 'Succeeded';
    if (outParams.length > 0) dagNode.outputs = { parameters: outParams };
    return { phase: 'Succeeded', ...(dagNode.outputs ? { outputs: dagNode.outputs } : {}) };
  }
}

/** Argo's withSequence: `count` items from `start` (default 0), or `start`..`end` inclusive; items are strings. */
function sequence(seq: NonNullable<Task['withSequence']>): Value[] {
  const num = (v: string | number | undefined, what: string): number | undefined => {
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isInteger(n)) throw new ExecError(`withSequence.${what} '${String(v)}' is not an integer`);
    return n;
  };
  const count = num(seq.count, 'count');
  const start = num(seq.start, 'start') ?? 0;
  const end = num(seq.end, 'end');
  if (count !== undefined && end !== undefined) throw new ExecError('withSequence: only one of count or end can be defined');
  const items: Value[] = [];
  if (count !== undefined) for (let i = 0; i < count; i++) items.push(String(start + i));
  else if (end !== undefined) {
    const step = end >= start ? 1 : -1;
    for (let i = start; step > 0 ? i <= end : i >= end; i += step) items.push(String(i));
  } else throw new ExecError('withSequence: count or end is required');
  return items;
}
