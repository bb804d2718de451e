/**
 * The DAG templates: the entrypoint (root scope) and one per foreach body.
 *
 * Each member of a scope becomes a task: a step calls its container template; a foreach body is called with
 * `withParam` over the foreach step's `flowc-foreach` output (`[{"index": i, "value": v}]`), passing the element
 * and index as `{{item.value}}` / `{{item.index}}`. `depends` lists the members a task waits for; a task in a
 * switch branch carries `when` conditions on the switch step's `flowc-case` output, an integer the pod
 * computed, so no artifact value is ever spliced into a condition.
 * Invariant: a scope's template is built after every scope nested in it, so its inputs (requirements) are known.
 */
import type { BuildContext } from './context.ts';
import type { Artifact, DagTask, Parameter, Template } from './manifest-types.ts';
import { bodyTemplateName, ENTRYPOINT, kubeName, stepTemplateName } from './names.ts';
import { CASE_PARAM, FOREACH_PARAM } from './pod.ts';
import { bodyTaskName, stepTaskName, tagOf, type Ref } from './refs.ts';
import { ROOT, type Member } from './scopes.ts';
import { stepTaskArguments, type planInputs } from './step.ts';


const taskNameOf = (m: Member): string => (m.kind === 'step' ? stepTaskName(m.name) : bodyTaskName(m.foreach));

export function buildDagTemplate(ctx: BuildContext, scope: string, plans: Map<string, ReturnType<typeof planInputs>>): Template {
  const { scopes, refs } = ctx;
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
      const args = stepTaskArguments(ctx, scopes.step(m.name), plans.get(m.name)!, scope);
      if (args) task.arguments = args;
    } else {
      task.withParam = tagOf(refs.resolve(scope, { kind: 'output', producers: [m.foreach], param: FOREACH_PARAM, artifact: false }));
      const params: Parameter[] = [];
      const artifacts: Artifact[] = [];
      for (const req of refs.requirements(m.foreach)) {
        const src = req.source;
        if (src.kind !== 'output' && src.foreach === m.foreach) {
          params.push({ name: req.name, value: src.kind === 'item' ? '{{item.value}}' : '{{item.index}}' });
          continue;
        }
        const ref: Ref = refs.resolve(scope, src);
        if (src.kind === 'output' && src.artifact) {
          artifacts.push({
            ...(ref.kind === 'path' ? { name: req.name, from: tagOf(ref) } : { name: req.name, fromExpression: ref.expr }),
            ...(src.optional ? { optional: true } : {}),
          });
        } else params.push({ name: req.name, value: tagOf(ref) });
      }
      if (params.length > 0 || artifacts.length > 0) {
        task.arguments = {};
        if (params.length > 0) task.arguments.parameters = params;
        if (artifacts.length > 0) task.arguments.artifacts = artifacts;
      }
    }
    tasks.push(task);
  }

  // Outputs first: resolving them may add inputs (requirements) to this scope.
  const outs = scope === ROOT ? undefined : ctx.bodyOutputs.get(scope);
  const outParams: Parameter[] = [...(outs ?? [])].map(([name, source]) => {
    const ref = refs.resolve(scope, source);
    return { name, valueFrom: ref.kind === 'path' ? { parameter: tagOf(ref) } : { expression: ref.expr } };
  });
  const t: Template = { name: scope === ROOT ? ENTRYPOINT : bodyTemplateName(scope) };
  const inParams = refs.requirements(scope).filter((r) => !(r.source.kind === 'output' && r.source.artifact));
  const inArtifacts = refs.requirements(scope).filter((r) => r.source.kind === 'output' && r.source.artifact);
  if (inParams.length > 0 || inArtifacts.length > 0) {
    t.inputs = {};
    if (inParams.length > 0) t.inputs.parameters = inParams.map((r) => ({ name: r.name }));
    if (inArtifacts.length > 0) {
      t.inputs.artifacts = inArtifacts.map((r) => ({ name: r.name, ...(r.source.kind === 'output' && r.source.optional ? { optional: true } : {}) }));
    }
  }
  if (outParams.length > 0) t.outputs = { parameters: outParams };
  t.dag = { tasks };
  return t;
}
