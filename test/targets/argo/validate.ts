/**
 * A reusable validator for Argo manifests: the vendored JSON Schema (closed and widened in memory, see
 * test/fixtures/argo/README.md) plus the rules a schema cannot express: template and task names, task → template
 * references, `depends` targets and cycles, arguments against the called template's inputs, and every
 * `{{...}}` / `{{=...}}` / `*Expression` reference (`inputs.parameters.x`, `tasks.t.outputs.parameters.y`,
 * `workflow.parameters.z`, `item`). Used by the Argo target's tests and by fuzz tests.
 *
 * `validateArgoManifest(doc)` returns a list of problems (empty when valid), each naming where it is.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { testRoot } from '../../helpers/golden.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export const schemaPath = join(testRoot, 'fixtures/argo/argo-workflows.schema.json');

let validators: Map<string, ValidateFunction> | undefined;

/** The schema with objects closed and IntOrString/Quantity widened, compiled once per kind. */
function schemaValidators(): Map<string, ValidateFunction> {
  if (validators) return validators;
  const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Obj;
  const defs = schema.definitions as Obj;
  for (const def of Object.values(defs)) closeObjects(def);
  defs['io.k8s.apimachinery.pkg.util.intstr.IntOrString'] = { type: ['string', 'integer'] };
  defs['io.k8s.apimachinery.pkg.api.resource.Quantity'] = { type: ['string', 'number'] };
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema(schema, 'argo');
  validators = new Map();
  for (const kind of ['Workflow', 'WorkflowTemplate', 'CronWorkflow']) {
    validators.set(kind, ajv.compile({ $ref: `argo#/definitions/io.argoproj.workflow.v1alpha1.${kind}` }));
  }
  return validators;
}

function closeObjects(node: Json): void {
  if (Array.isArray(node)) node.forEach(closeObjects);
  else if (isObj(node)) {
    if (isObj(node.properties) && node.additionalProperties === undefined) node.additionalProperties = false;
    for (const v of Object.values(node)) closeObjects(v);
  }
}

/** Schema errors of a Workflow, WorkflowTemplate or CronWorkflow (a Sensor's embedded Workflow is checked as one). */
function validateArgoSchema(doc: unknown): string[] {
  if (!isObj(doc)) return ['The manifest is not an object.'];
  if (doc.kind === 'Sensor') return sensorWorkflows(doc).flatMap((w, i) => validateArgoSchema(w).map((e) => `sensor trigger ${i}: ${e}`));
  if (doc.kind === 'EventSource') return checkResourceEventSource(doc);
  const validate = schemaValidators().get(String(doc.kind));
  if (!validate) return [`Unknown kind '${String(doc.kind)}'.`];
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` '${String(e.params.additionalProperty)}'` : ''}`);
}

/**
 * An Argo Events EventSource of type `resource` (no schema is vendored for Argo Events): every entry names the
 * group, version and resource it watches, its event types, and label filters with an operation and a value.
 */
function checkResourceEventSource(doc: Obj): string[] {
  const errs: string[] = [];
  const meta = doc.metadata as Obj;
  if (!isObj(meta) || typeof meta.name !== 'string' || !NAME.test(meta.name)) errs.push('/metadata/name must be a Kubernetes name');
  const resource = (doc.spec as Obj)?.resource as Obj;
  if (!isObj(resource) || Object.keys(resource).length === 0) return [...errs, '/spec/resource must have at least one entry'];
  for (const [key, entry] of Object.entries(resource)) {
    const e = entry as Obj;
    for (const f of ['group', 'version', 'resource']) if (typeof e[f] !== 'string' || !e[f]) errs.push(`/spec/resource/${key}/${f} must be a non-empty string`);
    const types = e.eventTypes as Json[];
    if (!Array.isArray(types) || types.some((t) => !['ADD', 'UPDATE', 'DELETE'].includes(String(t)))) errs.push(`/spec/resource/${key}/eventTypes must list ADD, UPDATE or DELETE`);
    for (const l of (((e.filter as Obj)?.labels as Obj[]) ?? [])) {
      if (typeof l.key !== 'string' || typeof l.value !== 'string' || !['==', '!=', '=', 'in', 'notin'].includes(String(l.operation))) errs.push(`/spec/resource/${key}/filter/labels: bad label filter`);
    }
  }
  return errs;
}

function sensorWorkflows(doc: Obj): Obj[] {
  const spec = doc.spec as Obj;
  const out: Obj[] = [];
  for (const t of (spec?.triggers as Json[]) ?? []) {
    const res = (((t as Obj)?.template as Obj)?.argoWorkflow as Obj)?.source as Obj;
    if (isObj(res?.resource)) out.push(res.resource);
  }
  return out;
}

/** Schema and semantic problems of one manifest. */
export function validateArgoManifest(doc: unknown, options: SemanticOptions = {}): string[] {
  return [...validateArgoSchema(doc), ...checkArgoSemantics(doc, options)];
}

export interface SemanticOptions {
  /** WorkflowTemplate names a `workflowTemplateRef` may name (unchecked when absent). */
  knownTemplates?: string[];
}

const NAME = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const PARAM_NAME = /^[-a-zA-Z0-9_]+$/;
const GLOBALS = new Set(['workflow.name', 'workflow.uid', 'workflow.namespace', 'workflow.serviceAccountName', 'pod.name']);
/** Variables Argo sets only while the exit handler (`spec.onExit`) runs. */
const EXIT_GLOBALS = new Set(['workflow.status', 'workflow.failures']);

/** The rules of Argo's own validation that a schema cannot express. */
function checkArgoSemantics(doc: unknown, options: SemanticOptions = {}): string[] {
  if (!isObj(doc)) return ['The manifest is not an object.'];
  const spec = doc.spec as Obj;
  if (doc.kind === 'Sensor') {
    const errs: string[] = [];
    const deps = new Set(((spec.dependencies as Obj[]) ?? []).map((d) => String(d.name)));
    for (const t of (spec.triggers as Obj[]) ?? []) {
      const cond = String((t.template as Obj)?.conditions ?? '');
      for (const name of cond.split(/\s*(?:\|\||&&)\s*/)) if (name && !deps.has(name)) errs.push(`sensor: condition names unknown dependency '${name}'.`);
    }
    return [...errs, ...sensorWorkflows(doc).flatMap((w) => checkArgoSemantics(w, options))];
  }
  if (doc.kind === 'EventSource') return [];
  if (doc.kind === 'CronWorkflow') return checkSpec(spec.workflowSpec as Obj, options, 'cron');
  return checkSpec(spec, options, String(doc.kind));
}

function checkSpec(spec: Obj, options: SemanticOptions, where: string): string[] {
  const errs: string[] = [];
  const ref = spec.workflowTemplateRef as Obj | undefined;
  if (ref) {
    if (options.knownTemplates && !options.knownTemplates.includes(String(ref.name))) errs.push(`${where}: workflowTemplateRef names unknown template '${String(ref.name)}'.`);
    if (spec.templates) errs.push(`${where}: has both workflowTemplateRef and templates.`);
    return errs;
  }
  const templates = (spec.templates as Obj[]) ?? [];
  const byName = new Map<string, Obj>();
  for (const t of templates) {
    const name = String(t.name);
    if (!NAME.test(name) || name.length > 128) errs.push(`template '${name}': not a valid template name.`);
    if (byName.has(name)) errs.push(`template '${name}': defined twice.`);
    byName.set(name, t);
  }
  if (!byName.has(String(spec.entrypoint))) errs.push(`${where}: entrypoint '${String(spec.entrypoint)}' is not a template.`);
  const wfParams = new Set((((spec.arguments as Obj)?.parameters as Obj[]) ?? []).map((p) => String(p.name)));
  // The exit handler and every template it calls (transitively) may read `workflow.status`.
  const exit = new Set<string>();
  const calls = (name: string): void => {
    if (exit.has(name) || !byName.has(name)) return;
    exit.add(name);
    for (const task of ((byName.get(name)!.dag as Obj | undefined)?.tasks as Obj[]) ?? []) calls(String(task.template));
  };
  if (typeof spec.onExit === 'string') {
    if (!byName.has(spec.onExit)) errs.push(`${where}: onExit '${spec.onExit}' is not a template.`);
    calls(spec.onExit);
  }
  for (const t of templates) errs.push(...checkTemplate(t, byName, wfParams, exit.has(String(t.name))).map((e) => `template '${String(t.name)}': ${e}`));
  return errs;
}

const names = (list: Json | undefined): Set<string> => new Set(((list as Obj[]) ?? []).map((p) => String(p.name)));

interface Scope {
  template: Obj;
  inParams: Set<string>;
  inArtifacts: Set<string>;
  wfParams: Set<string>;
  /** DAG tasks by name with the outputs of their templates. */
  tasks: Map<string, { params: Set<string>; artifacts: Set<string> }>;
  /** The task a string belongs to (references must be to its ancestors), or undefined for template level. */
  task?: Obj;
  ancestors?: Set<string>;
  /** Whether the template runs as (part of) the exit handler, where `workflow.status` is set. */
  exitHandler?: boolean;
}

function checkTemplate(t: Obj, byName: Map<string, Obj>, wfParams: Set<string>, exitHandler: boolean): string[] {
  const errs: string[] = [];
  const inputs = (t.inputs as Obj) ?? {};
  for (const p of (inputs.parameters as Obj[]) ?? []) if (!PARAM_NAME.test(String(p.name))) errs.push(`input parameter '${String(p.name)}': invalid name.`);
  for (const p of ((t.outputs as Obj)?.parameters as Obj[]) ?? []) if (!PARAM_NAME.test(String(p.name))) errs.push(`output parameter '${String(p.name)}': invalid name.`);
  const scope: Scope = { template: t, inParams: names(inputs.parameters), inArtifacts: names(inputs.artifacts), wfParams, tasks: new Map(), exitHandler };
  if (isObj(t.container) && !t.container.image) errs.push('container has no image.');
  const dag = t.dag as Obj | undefined;
  if (!dag) {
    walkStrings(t, (s, path) => errs.push(...checkString(s, path, scope)));
    return errs;
  }
  const tasks = (dag.tasks as Obj[]) ?? [];
  const deps = new Map<string, string[]>();
  for (const task of tasks) {
    const name = String(task.name);
    if (!NAME.test(name)) errs.push(`task '${name}': not a valid task name.`);
    if (scope.tasks.has(name)) errs.push(`task '${name}': defined twice.`);
    const target = byName.get(String(task.template));
    if (!target) errs.push(`task '${name}': template '${String(task.template)}' does not exist.`);
    const outs = (target?.outputs as Obj) ?? {};
    scope.tasks.set(name, { params: names(outs.parameters), artifacts: names(outs.artifacts) });
  }
  for (const task of tasks) {
    const name = String(task.name);
    const expr = typeof task.depends === 'string' ? task.depends : '';
    const refs = [...expr.matchAll(/[A-Za-z0-9][-A-Za-z0-9]*(?:\.[A-Za-z]+)?/g)].map((m) => m[0].split('.')[0]);
    if (expr && !/^[\sA-Za-z0-9.()&|!-]+$/.test(expr)) errs.push(`task '${name}': depends '${expr}' has unexpected characters.`);
    for (const r of refs) if (!scope.tasks.has(r)) errs.push(`task '${name}': depends on unknown task '${r}'.`);
    deps.set(name, refs.filter((r) => scope.tasks.has(r)));
  }
  // Cycles, and each task's ancestors.
  const ancestors = new Map<string, Set<string>>();
  const visiting = new Set<string>();
  const visit = (n: string): Set<string> => {
    const known = ancestors.get(n);
    if (known) return known;
    if (visiting.has(n)) {
      errs.push(`task '${n}': is part of a dependency cycle.`);
      return new Set();
    }
    visiting.add(n);
    const set = new Set<string>();
    for (const d of deps.get(n) ?? []) {
      set.add(d);
      for (const a of visit(d)) set.add(a);
    }
    visiting.delete(n);
    ancestors.set(n, set);
    return set;
  };
  for (const task of tasks) visit(String(task.name));

  for (const task of tasks) {
    const name = String(task.name);
    const taskScope: Scope = { ...scope, task, ancestors: ancestors.get(name) };
    walkStrings(task, (s, path) => errs.push(...checkString(s, path, taskScope).map((e) => `task '${name}': ${e}`)));
    if (task.withParam !== undefined && !/^\{\{[^{}]+\}\}$/.test(String(task.withParam))) errs.push(`task '${name}': withParam is not a single reference.`);
    const target = byName.get(String(task.template));
    if (target) errs.push(...checkArguments(task, target).map((e) => `task '${name}': ${e}`));
  }
  const { dag: _dag, ...rest } = t;
  walkStrings(rest, (s, path) => errs.push(...checkString(s, path, scope)));
  return errs;
}

/** Every input a called template needs is passed, and nothing it does not declare. */
function checkArguments(task: Obj, target: Obj): string[] {
  const errs: string[] = [];
  const args = (task.arguments as Obj) ?? {};
  const inputs = (target.inputs as Obj) ?? {};
  const given = names(args.parameters);
  const givenArt = names(args.artifacts);
  for (const p of (inputs.parameters as Obj[]) ?? []) {
    if (!given.has(String(p.name)) && p.value === undefined && p.default === undefined) errs.push(`does not pass parameter '${String(p.name)}' of template '${String(target.name)}'.`);
  }
  for (const name of given) if (!names(inputs.parameters).has(name)) errs.push(`passes parameter '${name}', which template '${String(target.name)}' does not declare.`);
  for (const a of (inputs.artifacts as Obj[]) ?? []) {
    const sourced = a.raw !== undefined || a.s3 !== undefined || a.from !== undefined || a.optional === true;
    if (!sourced && !givenArt.has(String(a.name))) errs.push(`does not pass artifact '${String(a.name)}' of template '${String(target.name)}'.`);
  }
  for (const a of (args.artifacts as Obj[]) ?? []) {
    if (!names(inputs.artifacts).has(String(a.name))) errs.push(`passes artifact '${String(a.name)}', which template '${String(target.name)}' does not declare.`);
    if (a.from !== undefined && !/^\{\{[^{}]+\}\}$/.test(String(a.from))) errs.push(`artifact '${String(a.name)}': from is not a single reference.`);
  }
  return errs;
}

function walkStrings(node: Json, visit: (s: string, path: string[]) => void, path: string[] = []): void {
  if (typeof node === 'string') visit(node, path);
  else if (Array.isArray(node)) node.forEach((v, i) => walkStrings(v, visit, [...path, String(i)]));
  else if (isObj(node)) for (const [k, v] of Object.entries(node)) walkStrings(v, visit, [...path, k]);
}

/** Checks the references in one string of a template (tags, or a bare expression in an `*Expression` field). */
function checkString(s: string, path: string[], scope: Scope): string[] {
  const field = path.at(-1) ?? '';
  if (field === 'fromExpression' || field === 'expression') return checkExpression(s, scope, path);
  const errs: string[] = [];
  for (const m of s.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const body = m[1].trim();
    if (body.startsWith('=')) errs.push(...checkExpression(body.slice(1), scope, path));
    else errs.push(...checkPath(body, scope, path));
  }
  return errs;
}

function checkExpression(expr: string, scope: Scope, path: string[]): string[] {
  const errs: string[] = [];
  // String literals are blanked, except inside `['...']` member accesses, scanning left to right.
  const stripped = expr.replace(/\['[^']*'\]|'[^']*'/g, (m) => (m.startsWith('[') ? m : "''"));
  for (const m of stripped.matchAll(/\b(tasks|inputs|workflow|item)((?:\.[A-Za-z_][A-Za-z0-9_]*|\['[^']*'\])*)/g)) {
    const segs = [...m[2].matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\['([^']*)'\]/g)].map((x) => x[1] ?? x[2]);
    const dotted = [m[1], ...segs].join('.');
    if (m[1] === 'tasks' && segs.length === 2 && segs[1] === 'status') {
      if (!scope.tasks.has(segs[0])) errs.push(`expression names unknown task '${segs[0]}' (${path.join('.')}).`);
      continue;
    }
    errs.push(...checkPath(dotted, scope, path));
  }
  if (/\{\{|\}\}/.test(expr)) errs.push(`expression contains a template tag (${path.join('.')}).`);
  return errs;
}

function checkPath(ref: string, scope: Scope, path: string[]): string[] {
  const where = path.join('.');
  const parts = ref.split('.');
  const bad = (msg: string) => [`${msg} ('{{${ref}}}' at ${where}).`];
  if (GLOBALS.has(ref) || (EXIT_GLOBALS.has(ref) && scope.exitHandler)) return [];
  if (ref === 'retries') return scope.template.retryStrategy ? [] : bad('{{retries}} outside a template with a retryStrategy');
  if (parts[0] === 'workflow' && parts[1] === 'parameters' && parts.length === 3) return scope.wfParams.has(parts[2]) ? [] : bad(`unknown workflow parameter '${parts[2]}'`);
  if (parts[0] === 'inputs' && parts.length === 3) {
    if (parts[1] === 'parameters') return scope.inParams.has(parts[2]) ? [] : bad(`unknown input parameter '${parts[2]}'`);
    if (parts[1] === 'artifacts') return scope.inArtifacts.has(parts[2]) ? [] : bad(`unknown input artifact '${parts[2]}'`);
  }
  if (parts[0] === 'item') {
    if (!scope.task || (scope.task.withParam === undefined && scope.task.withItems === undefined && scope.task.withSequence === undefined)) return bad('item outside a loop');
    return parts.length <= 2 ? [] : bad('item path too deep');
  }
  if (parts[0] === 'tasks' && parts.length === 5 && parts[2] === 'outputs') {
    const task = scope.tasks.get(parts[1]);
    if (!task) return bad(`unknown task '${parts[1]}'`);
    if (scope.task && !scope.ancestors?.has(parts[1])) return bad(`task '${parts[1]}' is not an ancestor`);
    if (parts[3] === 'parameters') return task.params.has(parts[4]) ? [] : bad(`task '${parts[1]}' has no output parameter '${parts[4]}'`);
    if (parts[3] === 'artifacts') return task.artifacts.has(parts[4]) ? [] : bad(`task '${parts[1]}' has no output artifact '${parts[4]}'`);
  }
  return bad('unknown variable');
}
