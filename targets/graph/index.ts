/**
 * Renders a flow's DAG from its IR as Mermaid or Graphviz dot (`flowc graph`, the editor's DAG preview).
 * Shapes tell the step kinds apart: start/end are rounded, a split is a parallelogram-ish trapezoid,
 * a foreach a hexagon (its edge labelled `foreach ITEM in LIST`), a switch a rhombus (edges labelled with
 * the case), and a join a double circle (Mermaid: a circle). Pure; output is deterministic (IR order).
 */
import type { FlowIR, StepIR } from '../../compiler/ir.ts';
import type { TargetOptions, TargetResult } from '../types.ts';

export type GraphFormat = 'mermaid' | 'dot';

type Shape = 'terminal' | 'split' | 'foreach' | 'switch' | 'join' | 'step';

function shapeOf(step: StepIR): Shape {
  if (step.name === 'start' || step.next.kind === 'end') return 'terminal';
  if (step.joins) return 'join';
  if (step.next.kind === 'split') return 'split';
  if (step.next.kind === 'foreach') return 'foreach';
  if (step.next.kind === 'switch') return 'switch';
  return 'step';
}

function edgeLabel(ir: FlowIR, from: string, label: string | undefined, kind: string): string | undefined {
  if (kind === 'foreach') {
    const step = ir.steps.find((s) => s.name === from);
    if (step?.next.kind === 'foreach') return `foreach ${step.next.item} in ${step.next.list}`;
  }
  return label;
}

/** Mermaid-safe node id (`n_` + name; names are identifiers already). */
const mid = (name: string) => `n_${name}`;

function mermaid(ir: FlowIR, highlight: ReadonlySet<string>): string {
  const lines = ['flowchart TD'];
  const open: Record<Shape, [string, string]> = {
    terminal: ['([', '])'],
    split: ['[/', '\\]'],
    foreach: ['{{', '}}'],
    switch: ['{', '}'],
    join: ['((', '))'],
    step: ['[', ']'],
  };
  for (const step of ir.steps) {
    const [l, r] = open[shapeOf(step)];
    lines.push(`  ${mid(step.name)}${l}"${step.name}"${r}`);
  }
  for (const e of ir.edges) {
    const label = edgeLabel(ir, e.from, e.label, e.kind);
    const arrow = e.kind === 'switch' ? '-.->' : e.kind === 'foreach' ? '==>' : '-->';
    lines.push(`  ${mid(e.from)} ${arrow}${label ? `|"${label.replace(/"/g, '#quot;')}"|` : ''} ${mid(e.to)}`);
  }
  if (highlight.size > 0) {
    lines.push('  classDef changed fill:#fff3b0,stroke:#d4a000,stroke-width:2px');
    for (const name of [...highlight].sort()) lines.push(`  class ${mid(name)} changed`);
  }
  return lines.join('\n') + '\n';
}

const dotQuote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

function dot(ir: FlowIR, highlight: ReadonlySet<string>): string {
  const shape: Record<Shape, string> = {
    terminal: 'shape=oval',
    split: 'shape=trapezium',
    foreach: 'shape=hexagon',
    switch: 'shape=diamond',
    join: 'shape=doublecircle',
    step: 'shape=box',
  };
  const lines = [`digraph ${dotQuote(ir.name)} {`, '  rankdir=TB;'];
  for (const step of ir.steps) {
    const extra = highlight.has(step.name) ? ', style=filled, fillcolor="#fff3b0"' : '';
    lines.push(`  ${dotQuote(step.name)} [${shape[shapeOf(step)]}${extra}];`);
  }
  for (const e of ir.edges) {
    const label = edgeLabel(ir, e.from, e.label, e.kind);
    const attrs = [label ? `label=${dotQuote(label)}` : '', e.kind === 'switch' ? 'style=dashed' : '', e.kind === 'foreach' ? 'style=bold' : ''].filter(Boolean);
    lines.push(`  ${dotQuote(e.from)} -> ${dotQuote(e.to)}${attrs.length ? ` [${attrs.join(', ')}]` : ''};`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** The DAG of `ir` as text; steps named in `highlight` are marked (used by `flowc diff`). */
export function renderGraph(ir: FlowIR, format: GraphFormat, highlight: ReadonlySet<string> = new Set()): string {
  return format === 'dot' ? dot(ir, highlight) : mermaid(ir, highlight);
}

/** `flowc build --target graph [--format mermaid|dot]`: the DAG as `<Flow>.mmd` or `<Flow>.dot`. */
export function buildGraph(ir: FlowIR, options: TargetOptions): TargetResult {
  const format: GraphFormat = options.format === 'dot' ? 'dot' : 'mermaid';
  const content = renderGraph(ir, format);
  return { files: [{ path: `${ir.name}.${format === 'dot' ? 'dot' : 'mmd'}`, content }], stdout: content, diagnostics: [] };
}
