/**
 * Renders a `DiffResult` as plain text (terminals), JSON (tools; the shape of `types.ts`) or Markdown for a
 * pull-request comment, with a Mermaid DAG of each changed flow where added steps are green and renamed or
 * changed steps yellow. Pure and deterministic.
 */
import type { FlowIR } from '../../compiler/ir.ts';
import { renderGraph } from '../graph/index.ts';
import { changedSteps } from './diff-flows.ts';
import type { Change, DiffResult, EdgeRef, FlowDiff, StepDiff } from './types.ts';

/** The first line of every Markdown report: lets a CI job find and update its earlier comment. */
export const MARKDOWN_MARKER = '<!-- flowc-diff -->';

const edgeText = (e: EdgeRef) => `${e.from} -> ${e.to}${e.kind === 'linear' ? '' : ` (${e.kind}${e.label !== undefined ? ` ${e.label}` : ''})`}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function changeText(c: Change): string {
  if (c.before === null) return `${c.field}: added (${c.after})`;
  if (c.after === null) return `${c.field}: removed (was ${c.before})`;
  return `${c.field}: ${c.before} -> ${c.after}`;
}

function summary(f: FlowDiff): string {
  if (f.status === 'added' || f.status === 'removed') return `${f.status}, ${plural(f.steps.length, 'step')}`;
  if (f.status === 'unchanged') return 'no changes';
  const count = (kind: StepDiff['kind']) => f.steps.filter((s) => s.kind === kind).length;
  const parts = [
    count('added') && `${count('added')} added`,
    count('removed') && `${count('removed')} removed`,
    count('renamed') && `${count('renamed')} renamed`,
    count('changed') && `${count('changed')} changed`,
  ].filter(Boolean);
  const edges = f.edges.added.length + f.edges.removed.length;
  return [parts.length ? `steps: ${parts.join(', ')}` : '', edges ? `${plural(edges, 'edge')} changed` : '', f.changes.length ? plural(f.changes.length, 'flow setting') + ' changed' : '']
    .filter(Boolean)
    .join('; ');
}

export function renderDiffText(result: DiffResult): string {
  if (result.flows.length === 0) return 'No flows on either side.\n';
  const out: string[] = [];
  for (const f of result.flows) {
    const title = f.oldName && f.newName && f.oldName !== f.newName ? `${f.oldName} -> ${f.newName}` : f.name;
    out.push(`flow ${title}: ${summary(f)}`);
    if (f.status === 'added' || f.status === 'removed') continue;
    for (const c of f.changes) out.push(`  ${changeText(c)}`);
    for (const s of f.steps) {
      if (s.kind === 'added') out.push(`  + step ${s.step}`);
      else if (s.kind === 'removed') out.push(`  - step ${s.step}`);
      else {
        out.push(s.kind === 'renamed' ? `  ~ step ${s.step} (renamed from ${s.from})` : `  ~ step ${s.step}`);
        for (const c of s.changes) out.push(`      ${changeText(c)}`);
      }
    }
    for (const e of f.edges.added) out.push(`  + edge ${edgeText(e)}`);
    for (const e of f.edges.removed) out.push(`  - edge ${edgeText(e)}`);
  }
  return out.join('\n') + '\n';
}

export function renderDiffJson(result: DiffResult): string {
  return JSON.stringify({ version: 1, ...result }, null, 2) + '\n';
}

/** Inline code that survives any content: a fence longer than any backtick run inside, table pipes escaped. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat.replace(/\|/g, '\\|')}${pad}${fence}`;
}

function changeMarkdown(c: Change): string {
  if (c.before === null) return `${c.field}: added ${codeSpan(c.after ?? '')}`;
  if (c.after === null) return `${c.field}: removed ${codeSpan(c.before)}`;
  return `${c.field}: ${codeSpan(c.before)} → ${codeSpan(c.after)}`;
}

function mermaidFor(ir: FlowIR, diff: FlowDiff): string {
  const { added, changed } = diff.status === 'added' ? { added: ir.steps.map((s) => s.name), changed: [] } : changedSteps(diff);
  // renderGraph marks `changed` itself; added steps get a class of their own. Node ids are `n_<step>` (targets/graph).
  let text = renderGraph(ir, 'mermaid', new Set(changed));
  if (added.length > 0) {
    text += '  classDef added fill:#d7f5dd,stroke:#1a7f37,stroke-width:2px\n';
    for (const name of [...added].sort()) text += `  class n_${name} added\n`;
  }
  return text;
}

export interface MarkdownOptions {
  /** The file the diff is about, shown in the heading. */
  file?: string;
  /** A note under the heading, e.g. which revision the old version came from. */
  note?: string;
}

/**
 * Markdown for a pull-request comment. `after` are the new flows (for the DAGs); flows that were removed have
 * no DAG. Starts with `MARKDOWN_MARKER`.
 */
export function renderDiffMarkdown(result: DiffResult, after: FlowIR[], options: MarkdownOptions = {}): string {
  const out: string[] = [MARKDOWN_MARKER, `### flowc diff${options.file ? `: ${codeSpan(options.file)}` : ''}`, ''];
  if (options.note) out.push(options.note, '');
  if (!result.changed) {
    out.push(result.flows.length === 0 ? 'No flows on either side.' : 'No changes to the pipeline.', '');
    return out.join('\n');
  }
  const irByName = new Map(after.map((f) => [f.name, f]));
  for (const f of result.flows) {
    const title = f.oldName && f.newName && f.oldName !== f.newName ? `${codeSpan(f.oldName)} → ${codeSpan(f.newName)}` : codeSpan(f.name);
    out.push(`#### Flow ${title}: ${summary(f)}`, '');
    if (f.status === 'unchanged') continue;
    if (f.status === 'removed') {
      out.push(`The flow and its ${plural(f.steps.length, 'step')} are removed.`, '');
      continue;
    }
    if (f.changes.length > 0) {
      for (const c of f.changes) out.push(`- ${changeMarkdown(c)}`);
      out.push('');
    }
    const rows = f.steps.filter((s) => f.status !== 'added' || s.kind !== 'added');
    if (rows.length > 0) {
      out.push('| | Step | What changed |', '| --- | --- | --- |');
      for (const s of rows) {
        if (s.kind === 'added') out.push(`| ➕ added | ${codeSpan(s.step)} | |`);
        else if (s.kind === 'removed') out.push(`| ➖ removed | ${codeSpan(s.step)} | |`);
        else {
          const what = s.changes.map(changeMarkdown).join('<br>');
          out.push(s.kind === 'renamed' ? `| ✏️ renamed | ${codeSpan(s.from)} → ${codeSpan(s.step)} | ${what} |` : `| 🔧 changed | ${codeSpan(s.step)} | ${what} |`);
        }
      }
      out.push('');
    }
    if (f.status === 'changed' && f.edges.added.length + f.edges.removed.length > 0) {
      out.push('<details><summary>Edges</summary>', '');
      for (const e of f.edges.added) out.push(`- ➕ ${codeSpan(edgeText(e))}`);
      for (const e of f.edges.removed) out.push(`- ➖ ${codeSpan(edgeText(e))}`);
      out.push('', '</details>', '');
    }
    const ir = irByName.get(f.name);
    if (ir) out.push('```mermaid', mermaidFor(ir, f).trimEnd(), '```', '');
  }
  return out.join('\n');
}
