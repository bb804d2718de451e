/**
 * Baselines of the editor's view of each sample (`test/baselines/ide/<sample>.txt`): the outline, the hover at
 * the first occurrence of every symbol, the inferred-type hints and the completion after `in ` at each step.
 * A missing baseline is written; `UPDATE=1` rewrites them. Review the diff like code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import { createIdeDocument } from '../../compiler/ide/document.ts';
import { getCompletions } from '../../compiler/ide/get-completions.ts';
import { getDocumentSymbols } from '../../compiler/ide/get-document-symbols.ts';
import { getHover } from '../../compiler/ide/get-hover.ts';
import { getInlayHints } from '../../compiler/ide/get-inlay-hints.ts';
import type { DocumentSymbol } from '../../compiler/ide/types.ts';
import { assertGolden, repoRoot } from '../helpers/golden.ts';

function render(text: string): string {
  const doc = createIdeDocument(text, { file: 'sample.flow' });
  const out: string[] = ['# Outline'];
  const outline = (s: DocumentSymbol, depth: number) => {
    out.push(`${'  '.repeat(depth)}${s.kind} ${s.name}${s.detail ? ` (${s.detail})` : ''}`);
    for (const c of s.children) outline(c, depth + 1);
  };
  for (const s of getDocumentSymbols(doc)) outline(s, 0);

  out.push('', '# Hover at the first occurrence of each symbol');
  const seen = new Set<unknown>();
  for (const ref of doc.analysis.references) {
    if (seen.has(ref.symbol)) continue;
    seen.add(ref.symbol);
    const pos = doc.lines.position(ref.span.start);
    const hover = getHover(doc, ref.span.start);
    out.push(`## ${pos.line + 1}:${pos.character + 1} ${ref.symbol.kind} ${ref.symbol.name}`, hover ? hover.contents : '(none)', '');
  }

  out.push('# Inlay hints');
  for (const h of getInlayHints(doc, { start: 0, end: text.length })) {
    const pos = doc.lines.position(h.offset);
    out.push(`${pos.line + 1}:${pos.character + 1} ${h.label}`);
  }

  out.push('', '# Completion after `in ` as the last member of each step');
  for (const flow of doc.analysis.flows) {
    for (const step of flow.model.steps) {
      // Typed on a line of its own just before the step's closing brace.
      const close = step.decl.span.end - 1;
      const probe = createIdeDocument(`${text.slice(0, close)}  in \n${text.slice(close)}`, { file: 'sample.flow' });
      const items = getCompletions(probe, close + 5).map((i) => `${i.label}: ${i.detail}`);
      out.push(`${step.name}: ${items.join('; ') || '(none)'}`);
    }
  }
  return out.join('\n') + '\n';
}

for (const name of readdirSync(join(repoRoot, 'samples')).filter((f) => f.endsWith('.flow')).sort()) {
  test(`editor view of samples/${name}`, () => {
    assertGolden(`baselines/ide/${name.replace(/\.flow$/, '')}.txt`, render(readFileSync(join(repoRoot, 'samples', name), 'utf8')));
  });
}

test.run();
