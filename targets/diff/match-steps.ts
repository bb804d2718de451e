/**
 * Pairs the steps of two versions of a flow. Steps with the same name are the same step. Of the rest, a removed
 * step and an added step are a rename when they have the same body and the same neighbours: every predecessor
 * and successor of one corresponds to one of the other, either by name (through renames found so far) or as
 * another rename candidate with the same body. Candidates are tried in the old flow's order, so the pairing is
 * deterministic; a step with an empty body (`step x { next y }`) is a rename only when its neighbours match by
 * name, never through another candidate, because every such step looks alike.
 */
import type { FlowIR, StepIR } from '../../compiler/ir.ts';
import { stableJson } from './stable-json.ts';

export interface StepMatch {
  /** Old name → new name, for every step present in both versions (renamed or not). */
  oldToNew: Map<string, string>;
  renamed: { from: string; to: string }[];
  added: string[];
  removed: string[];
}

function neighbours(ir: FlowIR): { preds: Map<string, Set<string>>; succs: Map<string, Set<string>> } {
  const preds = new Map<string, Set<string>>();
  const succs = new Map<string, Set<string>>();
  for (const s of ir.steps) {
    preds.set(s.name, new Set());
    succs.set(s.name, new Set());
  }
  for (const e of ir.edges) {
    succs.get(e.from)?.add(e.to);
    preds.get(e.to)?.add(e.from);
  }
  return { preds, succs };
}

export function matchSteps(oldIr: FlowIR, newIr: FlowIR): StepMatch {
  const newNames = new Set(newIr.steps.map((s) => s.name));
  const oldNames = new Set(oldIr.steps.map((s) => s.name));
  const oldToNew = new Map<string, string>();
  for (const s of oldIr.steps) if (newNames.has(s.name)) oldToNew.set(s.name, s.name);

  const bodyKey = (s: StepIR) => stableJson(s.body);
  const oldOnly = oldIr.steps.filter((s) => !newNames.has(s.name));
  const newOnly = newIr.steps.filter((s) => !oldNames.has(s.name));
  const oldBody = new Map(oldOnly.map((s) => [s.name, bodyKey(s)]));
  const newBody = new Map(newOnly.map((s) => [s.name, bodyKey(s)]));
  const oldN = neighbours(oldIr);
  const newN = neighbours(newIr);
  const taken = new Set<string>();

  /** Does old neighbour `o` correspond to new neighbour `n`? */
  const corresponds = (o: string, n: string, loose: boolean) => {
    const mapped = oldToNew.get(o);
    if (mapped !== undefined) return mapped === n;
    return loose && !taken.has(n) && oldBody.has(o) && newBody.has(n) && oldBody.get(o) === newBody.get(n);
  };
  const sameSets = (olds: Set<string>, news: Set<string>, loose: boolean) => {
    if (olds.size !== news.size) return false;
    const used = new Set<string>();
    for (const o of olds) {
      const n = [...news].find((x) => !used.has(x) && corresponds(o, x, loose));
      if (n === undefined) return false;
      used.add(n);
    }
    return true;
  };

  const renamed: { from: string; to: string }[] = [];
  // Repeat until nothing new pairs up: each rename can make a neighbour's edges match by name.
  for (let progress = true; progress; ) {
    progress = false;
    for (const o of oldOnly) {
      if (oldToNew.has(o.name)) continue;
      const loose = o.body.kind !== 'none';
      const candidate = newOnly.find(
        (n) =>
          !taken.has(n.name) &&
          newBody.get(n.name) === oldBody.get(o.name) &&
          sameSets(oldN.preds.get(o.name)!, newN.preds.get(n.name)!, loose) &&
          sameSets(oldN.succs.get(o.name)!, newN.succs.get(n.name)!, loose),
      );
      if (!candidate) continue;
      oldToNew.set(o.name, candidate.name);
      taken.add(candidate.name);
      renamed.push({ from: o.name, to: candidate.name });
      progress = true;
    }
  }
  return {
    oldToNew,
    renamed,
    added: newOnly.filter((s) => !taken.has(s.name)).map((s) => s.name),
    removed: oldOnly.filter((s) => !oldToNew.has(s.name)).map((s) => s.name),
  };
}
