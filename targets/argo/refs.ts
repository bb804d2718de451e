/**
 * How a value produced somewhere in the flow is referred to from a scope (an Argo DAG template).
 *
 * A value produced in the same scope is `tasks.T.outputs.parameters.P` (or `.artifacts.P`). A value from an
 * enclosing scope becomes an input of the scope's DAG template (a *requirement*), which the task calling that
 * template passes on, resolved in the enclosing scope in turn; a foreach element and index are requirements too,
 * passed as `{{item.value}}` / `{{item.index}}` by the foreach's own body task.
 * An artifact with several producers (past a switch: exactly one ran) becomes an Argo expression that takes the
 * producer whose task succeeded, falling back to the enclosing scope's value.
 * Pure: no IO.
 */
import { bodyTemplateName, stepTemplateName } from './names.ts';
import type { Scopes } from './scopes.ts';

/** Where a value comes from. `param` is the Argo parameter (or artifact) name on the producer's template. */
export type Source =
  | { kind: 'output'; producers: string[]; param: string; artifact: boolean; optional?: boolean }
  | { kind: 'item'; foreach: string }
  | { kind: 'index'; foreach: string };

/** A reference usable in a manifest: a `{{path}}` tag, or an expression (`{{=expr}}`, or bare in `*Expression` fields). */
export type Ref = { kind: 'path'; path: string } | { kind: 'expr'; expr: string };

export interface Requirement {
  /** The input name on the scope's DAG template. */
  name: string;
  source: Source;
}

export const tagOf = (ref: Ref): string => (ref.kind === 'path' ? `{{${ref.path}}}` : `{{=${ref.expr}}}`);

const seg = (s: string): string => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(s) ? `.${s}` : `['${s}']`);
/** A dotted variable path as an expression operand (`tasks['load-data'].outputs.parameters.x`). */
export function exprOf(ref: Ref): string {
  if (ref.kind === 'expr') return `(${ref.expr})`;
  const [head, ...rest] = ref.path.split('.');
  return head + rest.map(seg).join('');
}

export function requirementName(source: Source): string {
  switch (source.kind) {
    case 'item':
      return `item-${source.foreach}`;
    case 'index':
      return `index-${source.foreach}`;
    case 'output':
      return `from-${source.producers.join('-or-')}-${source.param}`;
  }
}

/** Task name of a step inside its scope, and of a foreach body's calling task. */
/** DAG tasks are named like the templates they call. */
export const stepTaskName = stepTemplateName;
export const bodyTaskName = bodyTemplateName;

export class RefResolver {
  private readonly reqs = new Map<string, Map<string, Requirement>>();

  constructor(private readonly scopes: Scopes) {}

  /** The inputs the DAG template of `scope` needs, in the order they were first asked for. */
  requirements(scope: string): Requirement[] {
    return [...(this.reqs.get(scope)?.values() ?? [])];
  }

  private require(scope: string, source: Source): Ref {
    const name = requirementName(source);
    const map = this.reqs.get(scope) ?? new Map<string, Requirement>();
    this.reqs.set(scope, map);
    if (!map.has(name)) map.set(name, { name, source });
    const artifact = source.kind === 'output' && source.artifact;
    return { kind: 'path', path: `inputs.${artifact ? 'artifacts' : 'parameters'}.${name}` };
  }

  /** A reference to `source` from inside `scope`. */
  resolve(scope: string, source: Source): Ref {
    if (source.kind !== 'output') return this.require(scope, source);
    const group = source.artifact ? 'artifacts' : 'parameters';
    const local = source.producers.filter((p) => this.scopes.scopeOf(p) === scope);
    const outside = source.producers.filter((p) => this.scopes.scopeOf(p) !== scope);
    const localRef = (p: string): Ref => ({ kind: 'path', path: `tasks.${stepTaskName(p)}.outputs.${group}.${source.param}` });
    if (outside.length === 0 && local.length === 1) return localRef(local[0]);
    const fallback: Ref | undefined = outside.length > 0 ? this.require(scope, { ...source, producers: outside }) : undefined;
    if (local.length === 0) return fallback!;
    let expr = fallback ? exprOf(fallback) : exprOf(localRef(local[local.length - 1]));
    const guarded = fallback ? local : local.slice(0, -1);
    for (const p of [...guarded].reverse()) {
      const status = exprOf({ kind: 'path', path: `tasks.${stepTaskName(p)}.status` });
      expr = `${status} == 'Succeeded' ? ${exprOf(localRef(p))} : ${expr}`;
    }
    return { kind: 'expr', expr };
  }
}
