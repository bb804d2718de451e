/**
 * Artifact environments: what is visible at a point of the DAG, as persistent layers (a step's outputs on top
 * of what it saw), so a long linear flow costs one small layer per step instead of a copy of everything.
 * Every 32 layers an environment keeps a flattened copy, which bounds a lookup to 32 map probes.
 */
import type { Type } from './sem-types.ts';

export interface Binding {
  name: string;
  type: Type;
  kind: 'artifact' | 'item';
  /** The steps whose output this can be, sorted (more than one past a switch); for an item, the foreach step. */
  producers: string[];
  /** For an item: the fanning-out step and its list artifact. */
  foreach?: string;
  list?: string;
}

const FLATTEN_EVERY = 32;

export class Env {
  readonly depth: number;
  private full: Map<string, Binding> | undefined;

  constructor(
    readonly parent: Env | undefined,
    readonly vars: ReadonlyMap<string, Binding>,
  ) {
    this.depth = parent ? parent.depth + 1 : 0;
    if (parent && this.depth % FLATTEN_EVERY === 0) this.full = this.flatten();
  }

  static readonly empty = new Env(undefined, new Map());

  /** A new layer on top of this one (or this one when there is nothing to add). */
  with(vars: ReadonlyMap<string, Binding>): Env {
    return vars.size === 0 ? this : new Env(this, vars);
  }

  lookup(name: string): Binding | undefined {
    for (let env: Env | undefined = this; env; env = env.parent) {
      if (env.full) return env.full.get(name);
      const b = env.vars.get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** Every visible binding, the innermost one winning for each name. */
  flatten(): Map<string, Binding> {
    if (this.full) return this.full;
    // Copy the nearest flattened ancestor once, then apply the layers above it, outermost first.
    const layers: ReadonlyMap<string, Binding>[] = [];
    let env: Env | undefined = this;
    for (; env && !env.full; env = env.parent) layers.push(env.vars);
    const out = new Map<string, Binding>(env?.full);
    for (let i = layers.length - 1; i >= 0; i--) for (const [k, v] of layers[i]) out.set(k, v);
    return out;
  }
}
