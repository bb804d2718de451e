/**
 * Renders the DAG of a flow (the `flowc/dag` result) as a self-contained SVG string: one box per step placed by
 * the server's layering (layer = row, index = column), edges as lines with labels for foreach and switch cases.
 * Pure (no `vscode` import) so it can be tested outside the editor.
 */
import type { DagFlow, DagNode } from '../../lsp/protocol.ts';

const boxW = 150;
const boxH = 40;
const gapX = 40;
const gapY = 60;

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function renderDagSvg(flow: DagFlow): string {
  const widest = Math.max(1, ...flow.nodes.map((n) => n.index + 1));
  const layers = Math.max(1, ...flow.nodes.map((n) => n.layer + 1));
  const perLayer = new Map<number, number>();
  for (const n of flow.nodes) perLayer.set(n.layer, Math.max(perLayer.get(n.layer) ?? 0, n.index + 1));
  const width = widest * (boxW + gapX) + gapX;
  const height = layers * (boxH + gapY) + gapY;
  const pos = new Map<string, { x: number; y: number }>();
  for (const n of flow.nodes) {
    const count = perLayer.get(n.layer) ?? 1;
    const offset = ((widest - count) * (boxW + gapX)) / 2;
    pos.set(n.id, { x: gapX + offset + n.index * (boxW + gapX), y: gapY / 2 + n.layer * (boxH + gapY) });
  }
  const parts: string[] = [];
  for (const e of flow.edges) {
    const a = pos.get(e.from);
    const b = pos.get(e.to);
    if (!a || !b) continue;
    const x1 = a.x + boxW / 2;
    const y1 = a.y + boxH;
    const x2 = b.x + boxW / 2;
    const y2 = b.y;
    parts.push(`<line class="edge" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" marker-end="url(#arrow)"/>`);
    if (e.label) parts.push(`<text class="label" x="${(x1 + x2) / 2 + 4}" y="${(y1 + y2) / 2}">${escapeXml(e.label)}</text>`);
  }
  for (const n of flow.nodes) parts.push(renderNode(n, pos.get(n.id)!));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" class="arrowhead"/></marker></defs>',
    ...parts,
    '</svg>',
  ].join('\n');
}

function renderNode(n: DagNode, p: { x: number; y: number }): string {
  const title = [`${n.id} (${n.role})`, n.inputs.length ? `in: ${n.inputs.join(', ')}` : '', n.outputs.length ? `out: ${n.outputs.join(', ')}` : '']
    .filter(Boolean)
    .join('\n');
  return (
    `<g class="step ${escapeXml(n.role)}" data-line="${n.line}" transform="translate(${p.x},${p.y})">` +
    `<title>${escapeXml(title)}</title>` +
    `<rect width="${boxW}" height="${boxH}" rx="8"/>` +
    `<text x="${boxW / 2}" y="${boxH / 2 + 5}" text-anchor="middle">${escapeXml(n.id)}</text></g>`
  );
}
