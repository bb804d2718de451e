/**
 * Splitting a state machine that would exceed Step Functions' 1 MB definition limit into child state machines,
 * each run by a `states:startExecution.sync:2` Task of its parent (a "launcher", `flowc.run-part-<n>`), which waits
 * for the child execution and fails when it fails. A definition within the budget is left as it is.
 *
 * Two cuts, applied only where the size demands them, innermost first:
 * - a scope (the top level, a split branch, a foreach iteration) is cut along its chain: at every state that
 *   separates what comes before it from what comes after (no transition crosses it, nothing before it ends the
 *   scope); consecutive pieces are packed into children of at most `budget` bytes, and the scope keeps only its
 *   launchers, run one after the other (plus the root's prelude, and a foreach iteration's closing Pass, whose `{}`
 *   output keeps the Map's result small);
 * - a split whose branches do not fit one machine gets its branches packed into children (a child of several
 *   branches is a Parallel of them); the Parallel then runs one launcher per child, so every branch still runs in
 *   parallel and the join waits for all.
 * A region that no cut can divide (a switch and its cases, a loop) and that alone exceeds the budget is reported in
 * `oversized`; the caller's size check names it.
 *
 * Children get the whole state payload (`Input.$: $`: run id, task path, switch and loop state) and the launcher
 * keeps its own (`ResultPath: null`). States every scope refers to by the same name (the failure path) are given to
 * each scope and each child that uses them. Children are numbered in the order they are made, so the same
 * definition always splits the same way. A launcher finds its child's ARN from its own execution's
 * (`$$.StateMachine.Id`: same partition, region and account), so the JSON output needs no account id.
 */
import { copyJson } from '../../compiler/ir.ts';
import { jsonBytes } from './serialize.ts';
import { START_EXECUTION_SYNC, transitions, type State, type StateList, type StateMachineDefinition, type TaskState } from './asl.ts';
import { childMachineName, launcherState } from './names.ts';

export interface ChildMachine {
  name: string;
  definition: StateMachineDefinition;
}

export interface SplitOptions {
  /** The root state machine's name; children are `<root>-part-<n>`. */
  rootName: string;
  /** The most bytes (compact JSON) the states of one machine may take. */
  budget: number;
  /** How many leading states of the root stay in it whatever the size (what reads the execution's own name). */
  pinned: number;
  /** The state named `name` when it is one a scope gets a copy of when some state of it goes to it (the failure path), else null. */
  shared: (name: string) => State | null;
  /** The `Comment` of a child. */
  comment: (name: string) => string;
  /** The caller gives `definition` up: it is cut as it is instead of copied first (a large flow's is megabytes). */
  inPlace?: boolean;
}

export interface SplitResult {
  root: StateMachineDefinition;
  children: ChildMachine[];
  /** Entry states of regions that cannot be cut and alone exceed the budget. */
  oversized: string[];
}


/**
 * Sizes of states (compact JSON bytes), computed once; a state whose nested states move is forgotten. A Parallel's
 * or a Map's size is its own keys' plus its lists' (each nested state serialized once, not again in every state
 * around it), to the byte what `JSON.stringify` gives.
 */
const sizes = new WeakMap<State, number>();
function stateBytes(state: State): number {
  let size = sizes.get(state);
  if (size === undefined) {
    if (state.Type === 'Parallel') size = jsonBytes({ ...state, Branches: [] }) + state.Branches.reduce((sum, b) => sum + listBytes(b), Math.max(0, state.Branches.length - 1));
    else if (state.Type === 'Map') size = jsonBytes({ ...state, ItemProcessor: {} }) - 2 + listBytes(state.ItemProcessor);
    else size = jsonBytes(state);
    sizes.set(state, size);
  }
  return size;
}
/** The size of a list of states (its other keys, such as a Map's `ProcessorConfig`, included), from its states' sizes. */
function listBytes(list: StateList): number {
  let size = jsonBytes({ ...list, States: {} });
  let first = true;
  for (const n in list.States) {
    size += (first ? 0 : 1) + jsonBytes(n) + 1 + stateBytes(list.States[n]);
    first = false;
  }
  return size;
}

/** The states a state can go to, its `Catch` included. */
const targets = (state: State): string[] => transitions(state, true);

/** Points every transition of `state` to `from` at `to` instead. */
function retarget(state: State, from: string, to: string): void {
  if ('Next' in state && state.Next === from) state.Next = to;
  if (state.Type === 'Choice') {
    for (const c of state.Choices) if (c.Next === from) c.Next = to;
    if (state.Default === from) state.Default = to;
  }
  if (state.Type === 'Task') for (const c of state.Catch ?? []) if (c.Next === from) c.Next = to;
}

/** The end of a child whose transitions to what followed it cannot simply end (a Choice rule needs a `Next`). */
const CHILD_DONE = 'flowc.part-done';

export function splitStateMachine(definition: StateMachineDefinition, opts: SplitOptions): SplitResult {
  const children: ChildMachine[] = [];
  const oversized: string[] = [];
  const sharedStates = new Map<string, State | null>();
  const sharedState = (n: string): State | null => {
    if (!sharedStates.has(n)) sharedStates.set(n, opts.shared(n));
    return sharedStates.get(n)!;
  };
  const isShared = (n: string): boolean => sharedState(n) !== null;
  const root: StateMachineDefinition = opts.inPlace ? definition : copyJson(definition);

  const childArn = (name: string): string => {
    const part = (i: number) => `States.ArrayGetItem(States.StringSplit($$.StateMachine.Id, ':'), ${i})`;
    return `States.Format('arn:{}:states:{}:{}:stateMachine:${name}', ${part(1)}, ${part(3)}, ${part(4)})`;
  };

  /** Makes `list` a child; returns the launcher's name and state (continuing with `link`). */
  function makeChild(list: StateList, link: { Next: string } | { End: true }): [string, TaskState] {
    const n = children.length + 1;
    const name = childMachineName(opts.rootName, n);
    children.push({ name, definition: { Comment: opts.comment(name), StartAt: list.StartAt, States: list.States } });
    return [
      launcherState(n),
      { Type: 'Task', Resource: START_EXECUTION_SYNC, Parameters: { 'StateMachineArn.$': childArn(name), 'Input.$': '$' }, ResultPath: null, ...link },
    ];
  }

  /** Brings `list` within `budget` bytes, moving what must go into children. */
  function shrink(list: StateList, budget: number, pinned: number, keepPassTail: boolean): void {
    if (listBytes(list) <= budget) return;
    for (const state of Object.values(list.States)) {
      if (state.Type === 'Parallel' && stateBytes(state) > budget) splitParallel(state, budget);
      else if (state.Type === 'Map' && stateBytes(state) > budget) {
        shrink(state.ItemProcessor, budget - jsonBytes({ ...state, ItemProcessor: {} }), 0, true);
        sizes.delete(state);
      }
    }
    if (listBytes(list) <= budget) return;
    cutChain(list, budget, pinned, keepPassTail);
  }

  /** Packs the branches of a split into children of at most `budget` bytes; the Parallel runs their launchers. */
  function splitParallel(state: Extract<State, { Type: 'Parallel' }>, budget: number): void {
    sizes.delete(state);
    const room = budget - jsonBytes({ ...state, Branches: [] });
    for (const branch of state.Branches) shrink(branch, room, 0, false);
    const groups: StateList[][] = [];
    let size = Infinity;
    for (const branch of state.Branches) {
      const b = listBytes(branch);
      if (size + b > room) {
        groups.push([]);
        size = 0;
      }
      groups[groups.length - 1].push(branch);
      size += b;
    }
    state.Branches = groups.map((group) => {
      const list: StateList =
        group.length === 1 ? group[0] : { StartAt: 'flowc.split', States: { 'flowc.split': { Type: 'Parallel', Branches: group, ResultPath: null, End: true } } };
      const [name, launcher] = makeChild(list, { End: true });
      return { StartAt: name, States: { [name]: launcher } };
    });
  }

  /** Cuts a scope along its chain and moves every piece after the first `pinned` states into children. */
  function cutChain(list: StateList, budget: number, pinned: number, keepPassTail: boolean): void {
    const names = Object.keys(list.States).filter((n) => !isShared(n));
    if (names.length === 0 || names[0] !== list.StartAt) return;
    const index = new Map(names.map((n, i) => [n, i]));
    const count = names.length;
    // A cut before state k is valid when nothing before k goes past k, nothing from k on goes before k, and
    // nothing before k ends the scope.
    const reachBefore: number[] = new Array(count);
    const ended: boolean[] = new Array(count);
    let reach = 0;
    let end = false;
    for (let i = 0; i < count; i++) {
      const state = list.States[names[i]];
      for (const t of targets(state)) reach = Math.max(reach, index.get(t) ?? 0);
      end ||= 'End' in state && state.End === true;
      reachBefore[i] = reach;
      ended[i] = end;
    }
    const lowFrom: number[] = new Array(count + 1).fill(count);
    for (let i = count - 1; i >= 0; i--) {
      let low = i;
      for (const t of targets(list.States[names[i]])) low = Math.min(low, index.get(t) ?? count);
      lowFrom[i] = Math.min(low, lowFrom[i + 1]);
    }
    const valid = (k: number) => k === 0 || k === count || (reachBefore[k - 1] <= k && lowFrom[k] >= k && !ended[k - 1]);
    if (!valid(pinned)) return;
    const bounds = [pinned];
    for (let k = pinned + 1; k < count; k++) if (valid(k)) bounds.push(k);
    bounds.push(count);
    let last = bounds.length - 1;
    if (keepPassTail && last > 1 && names.slice(bounds[last - 1]).every((n) => list.States[n].Type === 'Pass')) last--;

    const sizeOf = (n: string) => stateBytes(list.States[n]) + n.length + 4;
    // Pieces: [bounds[i], bounds[i + 1]) for i < last; pieces too large get their nested states moved out first.
    const groups: [number, number][] = [];
    let size = Infinity;
    for (let i = 0; i < last; i++) {
      const [a, b] = [bounds[i], bounds[i + 1]];
      let piece = names.slice(a, b).reduce((sum, n) => sum + sizeOf(n), 0);
      if (piece > budget) {
        for (const n of names.slice(a, b)) {
          const state = list.States[n];
          if (state.Type === 'Parallel') splitParallel(state, budget);
          else if (state.Type === 'Map') {
            cutChain(state.ItemProcessor, budget, 0, true);
            sizes.delete(state);
          }
        }
        piece = names.slice(a, b).reduce((sum, n) => sum + sizeOf(n), 0);
        if (piece > budget) oversized.push(names[a]);
      }
      if (size + piece > budget) {
        groups.push([a, b]);
        size = 0;
      } else groups[groups.length - 1][1] = b;
      size += piece;
    }
    if (groups.length === 0) return;

    const after = bounds[last] < count ? names[bounds[last]] : null;
    const launchers = groups.map(([a, b]) => {
      const next = b < count ? names[b] : null;
      const states: Record<string, State> = {};
      for (const n of names.slice(a, b)) states[n] = list.States[n];
      if (next !== null) {
        let done = false;
        for (const state of Object.values(states)) {
          if ('Next' in state && state.Next === next) {
            delete state.Next;
            (state as { End?: true }).End = true;
          }
          if (targets(state).includes(next)) {
            retarget(state, next, CHILD_DONE);
            done = true;
          }
        }
        if (done) states[CHILD_DONE] = { Type: 'Pass', End: true };
      }
      return makeChild({ StartAt: names[a], States: states }, { End: true });
    });
    // Each launcher goes on to the next one; the last to what followed the pieces.
    launchers.forEach(([, state], i) => {
      const following = i + 1 < launchers.length ? launchers[i + 1][0] : after;
      if (following === null) return;
      delete (state as { End?: true }).End;
      state.Next = following;
    });
    const renamed = launchers.map(([name]) => name);

    const entry = names[pinned];
    const kept: Record<string, State> = {};
    for (const n of names.slice(0, pinned)) {
      kept[n] = list.States[n];
      retarget(kept[n], entry, renamed[0]);
    }
    launchers.forEach(([, state], i) => (kept[renamed[i]] = state));
    for (const n of names.slice(bounds[last])) kept[n] = list.States[n];
    for (const n of Object.keys(list.States)) if (isShared(n)) kept[n] = list.States[n];
    if (list.StartAt === entry) list.StartAt = renamed[0];
    list.States = kept;
  }

  /** Every scope of every machine gets the shared states it goes to, and keeps none it does not. */
  function fixShared(list: StateList): void {
    const needed = new Map<string, State>();
    const visit = (n: string) => {
      if (needed.has(n)) return;
      const state = sharedState(n);
      if (state === null) return;
      needed.set(n, state);
      targets(state).forEach(visit);
    };
    for (const [n, state] of Object.entries(list.States)) {
      if (!isShared(n)) targets(state).forEach(visit);
      if (state.Type === 'Parallel') state.Branches.forEach(fixShared);
      if (state.Type === 'Map') fixShared(state.ItemProcessor);
    }
    for (const n of Object.keys(list.States)) if (isShared(n) && !needed.has(n)) delete list.States[n];
    // A scope that has the state keeps its own; one that lacks it gets a copy (each scope's states are its own objects).
    for (const [n, state] of needed) list.States[n] ??= copyJson(state);
  }

  shrink(root, opts.budget, opts.pinned, false);
  fixShared(root);
  for (const child of children) fixShared(child.definition);
  return { root, children, oversized };
}
