/**
 * The DAG templates: the entrypoint (root scope), one per foreach body and one per bounded loop.
 *
 * Each member of a scope becomes a task: a step calls its container template; a foreach body is called once per
 * element with `withSequence.count` = the foreach step's `flowc-count` output (a number the runtime computed; the
 * elements themselves stay in the datastore), passing the task id (`{{item}}`, or the enclosing task id, a `.`
 * and `{{item}}` when nested). `depends` lists the members a task waits for; a task in a switch branch carries
 * `when` conditions on the switch step's `flowc-case` output, an integer the pod computed, so no artifact value is
 * ever spliced into a condition.
 *
 * A bounded loop (`@loop(max: N)` on its switching step S) is a DAG template that runs one iteration of the
 * loop's steps and, when S's case goes back, calls itself with the iteration (`flowc-iter`) one higher: the
 * steps' tasks get the task id with `r` and the iteration (`0r2`, `1.3r2`), as on every target. The switching
 * step's own job refuses to go back past N (the runtime fails it, naming the step and N), so the recursion ends.
 * The template's `flowc-case` output is the case the loop was left by (from the deepest call), on which the steps
 * after the loop are conditioned. A loop entered at more than one step (a case going back to another step than
 * the one the loop starts at) takes the step to start at as `flowc-entry`, an index into its entries; a step of
 * the loop that an iteration started elsewhere does not reach is skipped (`when`).
 */
import type { BuildContext } from './context.ts';
import type { DagTask, Parameter, Template } from './manifest-types.ts';
import { bodyTemplateName, ENTRYPOINT, loopTemplateName, stepTemplateName, workersTemplateName } from './names.ts';
import { CASE_PARAM, COUNT_PARAM, ENTRY_PARAM, ITER_PARAM, TASK_PARAM } from './pod.ts';
import { ROOT, type Member, type Scopes } from './scopes.ts';
import { stepTaskArguments } from './step.ts';
import { gangTasks } from './gang.ts';

/** DAG tasks are named like the templates they call. */
const stepTaskName = stepTemplateName;
const bodyTaskName = bodyTemplateName;

const taskNameOf = (m: Member): string => (m.kind === 'step' ? stepTaskName(m.name) : m.kind === 'body' ? bodyTaskName(m.foreach) : loopTemplateName(m.loop));
const templateOf = (m: Member): string => (m.kind === 'step' ? stepTemplateName(m.name) : m.kind === 'body' ? bodyTemplateName(m.foreach) : loopTemplateName(m.loop));
const input = (name: string): string => `{{inputs.parameters.${name}}}`;
/** A DAG task's output parameter in an expression (names with `-` need the index form). */
const taskOutput = (task: string, param: string): string => `tasks['${task}'].outputs.parameters['${param}']`;

/** The task in `scope` whose `flowc-case` output tells which case switch step `sw` took: the step, or its loop. */
const switchTask = (scopes: Scopes, scope: string, sw: string): string => taskNameOf(scopes.rep(sw, scope)!);

export function buildDagTemplate(ctx: BuildContext, scope: string): Template {
  const { scopes } = ctx;
  const loop = scope !== ROOT && scopes.step(scope).loop ? scopes.step(scope) : undefined;
  const outer = loop ? scopes.parentOf(scope) : scope;
  // The foreach task id of a loop's tasks: `0` at the root, else the id the loop's template was called with.
  const scopeTask = outer === ROOT ? '0' : input(TASK_PARAM);
  const entries = loop ? loopEntries(scopes, loop.name) : [];
  const tasks: DagTask[] = [];
  for (const m of scopes.members(scope)) {
    const task: DagTask = { name: taskNameOf(m), template: templateOf(m) };
    const deps = scopes.depsOf(scope, m);
    if (deps.length > 0) task.depends = deps.map(taskNameOf).join(' && ');
    const conds = scopes.conditionsOf(scope, m).map(([sw, idx]) => `{{tasks.${switchTask(scopes, scope, sw)}.outputs.parameters.${CASE_PARAM}}} == ${idx}`);
    if (loop && entries.length > 1 && m.kind === 'step') {
      const from = entries.map((e, i) => (reaches(scopes, e, m.name) ? i : -1)).filter((i) => i >= 0);
      if (from.length < entries.length) conds.unshift(anyOf(from.map((i) => `${input(ENTRY_PARAM)} == ${i}`)));
    }
    if (conds.length > 0) task.when = conds.join(' && ');
    if (m.kind === 'step') {
      const step = scopes.step(m.name);
      const args = stepTaskArguments(step, loop ? `${scopeTask}r${input(ITER_PARAM)}` : input(TASK_PARAM), loop !== undefined);
      if (args) task.arguments = args;
      // A gang: its Service (and PodGroup) first, then its N pods (gang.ts).
      if (step.parallel) {
        tasks.push(...gangTasks(step, task, ctx.options.config.argo?.gang));
        continue;
      }
    } else if (m.kind === 'loop') {
      const params: Parameter[] = [...taskParam(scopes, scope), { name: ITER_PARAM, value: '0' }];
      const callEntries = loopEntries(scopes, m.loop);
      if (callEntries.length > 1) params.push({ name: ENTRY_PARAM, value: entryFromOutside(scopes, scope, m.loop, callEntries) });
      task.arguments = { parameters: params };
    } else {
      const fe = stepTaskName(m.foreach);
      // A conditional foreach may not have run: Argo expands `withSequence` before it reads `when`, so the count
      // falls back to 0 then (an expression, evaluated only when the foreach step did not succeed).
      const count =
        conds.length > 0
          ? `{{=tasks['${fe}'].status == 'Succeeded' ? asInt(tasks['${fe}'].outputs.parameters['${COUNT_PARAM}']) : 0}}`
          : `{{tasks.${fe}.outputs.parameters.${COUNT_PARAM}}}`;
      if (scopes.step(m.foreach).maxWorkers !== undefined) {
        // `@max_workers(N)`: the fan-out runs inside its own template, whose `parallelism` bounds it.
        task.template = workersTemplateName(m.foreach);
        task.arguments = { parameters: [{ name: COUNT_PARAM, value: count }, ...(scope === ROOT ? [] : [{ name: TASK_PARAM, value: input(TASK_PARAM) }])] };
      } else {
        task.withSequence = { count };
        task.arguments = { parameters: [{ name: TASK_PARAM, value: scope === ROOT ? '{{item}}' : `${input(TASK_PARAM)}.{{item}}` }] };
      }
    }
    tasks.push(task);
  }
  const t: Template = { name: scope === ROOT ? ENTRYPOINT : loop ? loopTemplateName(scope) : bodyTemplateName(scope) };
  if (loop) {
    const sw = loop.next.kind === 'switch' ? loop.next : undefined;
    const targets = [...(sw?.cases.map((c) => c.to) ?? []), ...(sw?.default ? [sw.default] : [])];
    const back = targets.map((to, i) => (scopes.isBackEdge(loop.name, to) ? i : -1)).filter((i) => i >= 0);
    const self = loopTemplateName(loop.name);
    const caseOf = `{{tasks.${stepTaskName(loop.name)}.outputs.parameters.${CASE_PARAM}}}`;
    const params: Parameter[] = [...taskParam(scopes, outer), { name: ITER_PARAM, value: `{{=asInt(inputs.parameters['${ITER_PARAM}']) + 1}}` }];
    if (entries.length > 1) {
      // The case going back names the step the next iteration starts at.
      const entryOf = back.map((i) => [i, entries.indexOf(targets[i])] as const);
      const expr = entryOf.slice(0, -1).reduceRight((acc, [i, e]) => `${taskOutput(stepTaskName(loop.name), CASE_PARAM)} == '${i}' ? ${e} : ${acc}`, String(entryOf.at(-1)![1]));
      params.push({ name: ENTRY_PARAM, value: `{{=${expr}}}` });
    }
    tasks.push({ name: self, template: self, depends: stepTaskName(loop.name), when: anyOf(back.map((i) => `${caseOf} == ${i}`)), arguments: { parameters: params } });
    const wentBack = back.map((i) => `${taskOutput(stepTaskName(loop.name), CASE_PARAM)} == '${i}'`).join(' || ');
    t.inputs = { parameters: [...(outer === ROOT ? [] : [{ name: TASK_PARAM }]), { name: ITER_PARAM }, ...(entries.length > 1 ? [{ name: ENTRY_PARAM }] : [])] };
    t.outputs = {
      parameters: [{ name: CASE_PARAM, valueFrom: { expression: `${wentBack} ? ${taskOutput(self, CASE_PARAM)} : ${taskOutput(stepTaskName(loop.name), CASE_PARAM)}` } }],
    };
  } else if (scope !== ROOT) t.inputs = { parameters: [{ name: TASK_PARAM }] };
  // Explicit, though Argo's default: once a task failed and nothing of the DAG runs, the DAG fails at once. Argo still
  // starts a task whose dependencies finish while another task runs, even after a failure (argo-workflows#5223).
  t.dag = { failFast: true, tasks };
  return t;
}

/**
 * The template of a foreach bounded by `@max_workers(N)`: one task fanning out over `flowc-count` elements (an
 * input, computed by the caller as for any foreach), with `parallelism: N`, which Argo applies to the pods of
 * one call of the template: so at most N tasks of this fan-out run at once, whatever the rest of the run does.
 */
export function buildWorkersTemplate(ctx: BuildContext, foreach: string): Template {
  const nested = ctx.scopes.scopeOf(foreach) !== ROOT;
  return {
    name: workersTemplateName(foreach),
    inputs: { parameters: [{ name: COUNT_PARAM }, ...(nested ? [{ name: TASK_PARAM }] : [])] },
    parallelism: ctx.scopes.step(foreach).maxWorkers!,
    dag: {
      failFast: true,
      tasks: [
        {
          name: bodyTaskName(foreach),
          template: bodyTemplateName(foreach),
          withSequence: { count: input(COUNT_PARAM) },
          arguments: { parameters: [{ name: TASK_PARAM, value: nested ? `${input(TASK_PARAM)}.{{item}}` : '{{item}}' }] },
        },
      ],
    },
  };
}

/** A disjunction, in parentheses when it has more than one term. */
const anyOf = (terms: string[]): string => (terms.length === 1 ? terms[0] : `(${terms.join(' || ')})`);

/** The foreach task id a task in `scope` passes on to a template it calls (none at the root). */
const taskParam = (scopes: Scopes, scope: string): Parameter[] => {
  const foreach = scope === ROOT ? ROOT : scopes.step(scope).loop ? scopes.parentOf(scope) : scope;
  return foreach === ROOT ? [] : [{ name: TASK_PARAM, value: input(TASK_PARAM) }];
};

/** The steps an iteration of the loop of `loop` may start at, in IR order: where edges come in from outside, and where its cases go back to. */
function loopEntries(scopes: Scopes, loop: string): string[] {
  const body = scopes.step(loop).loop!.body;
  const inBody = new Set(body);
  const entries = new Set<string>();
  for (const name of body) {
    for (const e of scopes.edgesInto(name)) if (!inBody.has(e) || scopes.isBackEdge(e, name)) entries.add(name);
  }
  return scopes.inOrder([...entries]);
}

/** Whether step `to` of a loop runs in an iteration started at `from` (forward edges only). */
function reaches(scopes: Scopes, from: string, to: string): boolean {
  const seen = new Set<string>();
  const todo = [from];
  while (todo.length > 0) {
    const cur = todo.pop()!;
    if (cur === to) return true;
    if (seen.has(cur)) continue;
    seen.add(cur);
    for (const next of scopes.edgesFrom(cur)) if (!scopes.isBackEdge(cur, next) && scopes.loopOf(next) === scopes.loopOf(from)) todo.push(next);
  }
  return false;
}

/**
 * The entry a loop entered at several steps from outside starts at, chosen by the member that led into it: the
 * first edge from outside whose source succeeded (and, for a switch, took the case that goes there).
 */
function entryFromOutside(scopes: Scopes, scope: string, loop: string, entries: string[]): string {
  const body = new Set(scopes.step(loop).loop!.body);
  const outside = entries.filter((e) => scopes.edgesInto(e).some((from) => !body.has(from)));
  if (outside.length === 1) return String(entries.indexOf(outside[0]));
  const arms: string[] = [];
  for (const [i, entry] of entries.entries()) {
    for (const from of scopes.edgesInto(entry)) {
      if (body.has(from)) continue;
      const source = scopes.step(from);
      const task = switchTask(scopes, scope, from);
      let cond = `tasks['${task}'].status == 'Succeeded'`;
      if (source.next.kind === 'switch') {
        const sw = source.next;
        const cases = [...sw.cases.map((c) => c.to), ...(sw.default ? [sw.default] : [])].map((to, k) => (to === entry ? k : -1)).filter((k) => k >= 0);
        cond += ` && (${cases.map((k) => `${taskOutput(task, CASE_PARAM)} == '${k}'`).join(' || ')})`;
      }
      arms.push(`${cond} ? ${i}`);
    }
  }
  return `{{=${arms.join(' : ')} : 0}}`;
}
