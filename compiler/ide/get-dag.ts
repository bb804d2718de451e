/**
 * The DAG of each flow for the preview: steps with their role and a layered placement (longest path from
 * `start`, so every edge points down), and the edges with labels for foreach and switch cases.
 * Works on broken flows too (cycles, missing steps): the layering then follows source order and ignores back edges.
 */
import type { IdeDocument } from './document.ts';

export interface DagView {
  flows: {
    name: string;
    nodes: { id: string; role: string; layer: number; index: number; inputs: string[]; outputs: string[]; offset: number }[];
    edges: { from: string; to: string; label?: string }[];
  }[];
  errors: number;
}

export function getDag(doc: IdeDocument): DagView {
  const analysis = doc.analysis;
  const flows: DagView['flows'] = [];
  for (const flow of analysis.flows) {
    const steps = flow.model.steps;
    const position = new Map(steps.map((s, i) => [s.name, i]));
    const order = flow.dag.sound ? flow.dag.order.map((s) => s.name) : steps.map((s) => s.name);
    const rank = new Map(order.map((n, i) => [n, i]));
    for (const s of steps) if (!rank.has(s.name)) rank.set(s.name, order.length + (position.get(s.name) ?? 0));
    const layer = new Map<string, number>();
    for (const name of [...rank.keys()].sort((a, b) => rank.get(a)! - rank.get(b)!)) {
      const preds = (flow.dag.preds.get(name) ?? []).filter((e) => rank.get(e.from)! < rank.get(name)!);
      layer.set(name, preds.length ? Math.max(...preds.map((e) => (layer.get(e.from) ?? 0) + 1)) : 0);
    }
    const perLayer = new Map<number, number>();
    const nodes = [...steps]
      .sort((a, b) => layer.get(a.name)! - layer.get(b.name)! || rank.get(a.name)! - rank.get(b.name)!)
      .map((s) => {
        const l = layer.get(s.name) ?? 0;
        const index = perLayer.get(l) ?? 0;
        perLayer.set(l, index + 1);
        return { id: s.name, role: roleOf(flow, s.name), layer: l, index, inputs: s.ins.map((i) => i.name), outputs: s.outs.map((o) => o.name), offset: s.decl.name.span.start };
      });
    const edges = steps.flatMap((s) =>
      s.edges.map((e) => ({ from: e.from, to: e.to, ...(e.kind === 'foreach' ? { label: 'foreach' } : e.kind === 'switch' && e.label !== undefined ? { label: e.label } : {}) })),
    );
    flows.push({ name: flow.name, nodes, edges });
  }
  return { flows, errors: analysis.diagnostics.filter((d) => d.severity === 'error').length };
}

function roleOf(flow: IdeDocument['analysis']['flows'][number], name: string): string {
  if (name === 'start') return 'start';
  if (name === 'end') return 'end';
  if (flow.dag.joinOf.has(name)) return 'join';
  const next = flow.model.stepByName.get(name)?.next;
  if (next?.kind === 'NextForeach') return 'foreach';
  if (next?.kind === 'NextSwitch') return 'switch';
  if (next?.kind === 'NextSteps' && next.targets.length > 1) return 'split';
  return 'linear';
}
