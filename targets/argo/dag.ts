/**
 * The DAG templates: the entrypoint (root scope) and one per foreach body.
 *
 * Each member of a scope becomes a task: a step calls its container template; a foreach body is called once per
 * element with `withSequence.count` = the foreach step's `flowc-count` output (a number the runtime computed; the
 * elements themselves stay in the datastore), passing the task id (`{{item}}`, or the enclosing task id, a `.`
 * and `{{item}}` when nested). `depends` lists the members a task waits for; a task in a switch branch carries
 * `when` conditions on the switch step's `flowc-case` output, an integer the pod computed, so no artifact value is
 * ever spliced into a condition.
 */
import type { BuildContext } from './context.ts';
import type { DagTask, Template } from './manifest-types.ts';
import { bodyTemplateName, ENTRYPOINT, stepTemplateName, workersTemplateName } from './names.ts';
import { CASE_PARAM, COUNT_PARAM, TASK_PARAM } from './pod.ts';
import { ROOT, type Member } from './scopes.ts';
import { stepTaskArguments } from './step.ts';

/** DAG tasks are named like the templates they call. */
export const stepTaskName = stepTemplateName;
export const bodyTaskName = bodyTemplateName;

const taskNameOf = (m: Member): string => (m.kind === 'step' ? stepTaskName(m.name) : bodyTaskName(m.foreach));

export function buildDagTemplate(ctx: BuildContext, scope: string): Template {
  const { scopes } = ctx;
  // The task id of this scope's tasks: `0` at the root, else the id the body template was called with.
  const scopeTask = `{{inputs.parameters.${TASK_PARAM}}}`;
  const tasks: DagTask[] = [];
  for (const m of scopes.members(scope)) {
    const task: DagTask = { name: taskNameOf(m), template: m.kind === 'step' ? stepTemplateName(m.name) : bodyTemplateName(m.foreach) };
    const deps = scopes.depsOf(scope, m);
    if (deps.length > 0) task.depends = deps.map(taskNameOf).join(' && ');
    const conds = scopes.conditionsOf(scope, m);
    if (conds.length > 0) {
      task.when = conds.map(([sw, idx]) => `{{tasks.${stepTaskName(sw)}.outputs.parameters.${CASE_PARAM}}} == ${idx}`).join(' && ');
    }
    if (m.kind === 'step') {
      const args = stepTaskArguments(scopes.step(m.name), scopeTask);
      if (args) task.arguments = args;
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
        task.arguments = { parameters: [{ name: COUNT_PARAM, value: count }, ...(scope === ROOT ? [] : [{ name: TASK_PARAM, value: scopeTask }])] };
      } else {
        task.withSequence = { count };
        task.arguments = { parameters: [{ name: TASK_PARAM, value: scope === ROOT ? '{{item}}' : `${scopeTask}.{{item}}` }] };
      }
    }
    tasks.push(task);
  }
  const t: Template = { name: scope === ROOT ? ENTRYPOINT : bodyTemplateName(scope) };
  if (scope !== ROOT) t.inputs = { parameters: [{ name: TASK_PARAM }] };
  // Explicit, though Argo's default: after a task fails no new task starts (running ones finish), as in local runs.
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
          withSequence: { count: `{{inputs.parameters.${COUNT_PARAM}}}` },
          arguments: { parameters: [{ name: TASK_PARAM, value: nested ? `{{inputs.parameters.${TASK_PARAM}}}.{{item}}` : '{{item}}' }] },
        },
      ],
    },
  };
}
