/**
 * Artifact environments: what is visible at a point of the DAG.
 *
 * An environment is persistent: a step's environment is its predecessor's plus the step's outputs, sharing
 * everything else. It is a hash trie (32 children per level, the path to a name copied on each change), so adding
 * a name or looking one up costs a few node visits whatever the size, and a 10,000-step chain keeps one small
 * path per step instead of a copy of everything visible.
 * Invariant: `flatten` lists bindings in the order their names first became visible (as a `Map` filled step by
 * step would), which "did you mean" suggestions and merges rely on for ties.
 */
import type { Type } from './sem-types.ts';

/** The type one group of producers gives an artifact (past a switch whose branches disagree). */
export interface TypeVariant {
  type: Type;
  /** Sorted. */
  producers: string[];
}

export interface Binding {
  name: string;
  /**
   * The type of the value. When `variants` is set (switch branches produce it with different types), a type
   * every variant is assignable to if one of them is, else the error type; readers check every variant.
   */
  type: Type;
  kind: 'artifact' | 'item';
  /** The steps whose output this can be, sorted (more than one past a switch); for an item, the foreach step. */
  producers: string[];
  /** For an item: the fanning-out step and its list artifact. */
  foreach?: string;
  list?: string;
  /** Set only when the producers disagree on the type: one entry per distinct type, in order of first appearance. */
  variants?: readonly TypeVariant[];
}

/** A name's binding; `seq` is when the name first became visible (kept when a later step rebinds it). */
class Leaf {
  constructor(
    readonly hash: number,
    readonly key: string,
    readonly value: Binding,
    readonly seq: number,
  ) {}
}

/** An inner node: `bitmap` has a bit per 5-bit hash fragment present, `children` in fragment order. */
class Branch {
  constructor(
    readonly bitmap: number,
    readonly children: readonly TrieNode[],
  ) {}
}

/** Names whose whole 32-bit hashes collide. */
class Bucket {
  constructor(
    readonly hash: number,
    readonly leaves: readonly Leaf[],
  ) {}
}

type TrieNode = Leaf | Branch | Bucket;

const BITS = 5;
const MASK = 31;

/** FNV-1a over UTF-16 code units. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

function find(node: TrieNode | undefined, hash: number, key: string): Leaf | undefined {
  for (let shift = 0; node; shift += BITS) {
    if (node instanceof Branch) {
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))];
    } else if (node instanceof Leaf) {
      return node.key === key ? node : undefined;
    } else {
      return node.hash === hash ? node.leaves.find((l) => l.key === key) : undefined;
    }
  }
  return undefined;
}

/** A branch holding two nodes with different hashes, split at the first fragment where they differ. */
function pair(a: Leaf | Bucket, b: Leaf, shift: number): Branch {
  const fa = (a.hash >>> shift) & MASK;
  const fb = (b.hash >>> shift) & MASK;
  if (fa === fb) return new Branch(1 << fa, [pair(a, b, shift + BITS)]);
  return new Branch((1 << fa) | (1 << fb), fa < fb ? [a, b] : [b, a]);
}

/** `node` with `leaf` added (or replacing the leaf of the same name). */
function insert(node: TrieNode | undefined, leaf: Leaf, shift: number): TrieNode {
  if (!node) return leaf;
  if (node instanceof Branch) {
    const bit = 1 << ((leaf.hash >>> shift) & MASK);
    const index = popcount(node.bitmap & (bit - 1));
    const children = node.children.slice();
    if (node.bitmap & bit) children[index] = insert(children[index], leaf, shift + BITS);
    else children.splice(index, 0, leaf);
    return new Branch(node.bitmap | bit, children);
  }
  if (node instanceof Leaf) {
    if (node.key === leaf.key) return leaf;
    if (node.hash === leaf.hash) return new Bucket(leaf.hash, [node, leaf]);
    return pair(node, leaf, shift);
  }
  if (node.hash === leaf.hash) {
    const leaves = node.leaves.filter((l) => l.key !== leaf.key);
    leaves.push(leaf);
    return new Bucket(node.hash, leaves);
  }
  return pair(node, leaf, shift);
}

function collect(node: TrieNode | undefined, out: Leaf[]): void {
  if (!node) return;
  if (node instanceof Branch) for (const c of node.children) collect(c, out);
  else if (node instanceof Leaf) out.push(node);
  else out.push(...node.leaves);
}

export class Env {
  private constructor(
    private readonly root: TrieNode | undefined,
    /** The `seq` the next new name gets. */
    private readonly nextSeq: number,
  ) {}

  static readonly empty = new Env(undefined, 0);

  /** An environment holding `bindings`, in their order. */
  static of(bindings: Iterable<Binding>): Env {
    return Env.empty.with(bindings);
  }

  /** This environment with `bindings` added on top, each under its name (this one itself when there are none). */
  with(bindings: Iterable<Binding>): Env {
    let root = this.root;
    let nextSeq = this.nextSeq;
    for (const value of bindings) {
      const name = value.name;
      const hash = hashOf(name);
      const old = find(root, hash, name);
      root = insert(root, new Leaf(hash, name, value, old ? old.seq : nextSeq++), 0);
    }
    return root === this.root ? this : new Env(root, nextSeq);
  }

  lookup(name: string): Binding | undefined {
    return find(this.root, hashOf(name), name)?.value;
  }

  /** Every visible binding, in the order the names became visible. */
  flatten(): Map<string, Binding> {
    const leaves: Leaf[] = [];
    collect(this.root, leaves);
    leaves.sort((a, b) => a.seq - b.seq);
    const out = new Map<string, Binding>();
    for (const l of leaves) out.set(l.key, l.value);
    return out;
  }
}
