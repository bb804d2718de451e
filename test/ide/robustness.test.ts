/**
 * Every editor query on any text answers without throwing: every prefix of the samples (half-typed files),
 * binary garbage, and documents over the editor's size limits.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIdeDocument, sizeLimits, type IdeDocument } from '../../compiler/ide/document.ts';
import { getCodeActions } from '../../compiler/ide/get-code-actions.ts';
import { getCodeLenses } from '../../compiler/ide/get-code-lenses.ts';
import { getCompletions } from '../../compiler/ide/get-completions.ts';
import { getDag } from '../../compiler/ide/get-dag.ts';
import { getDefinition, getTypeDefinition } from '../../compiler/ide/get-definition.ts';
import { getDiagnostics } from '../../compiler/ide/get-diagnostics.ts';
import { getDocumentSymbols } from '../../compiler/ide/get-document-symbols.ts';
import { getFoldingRanges } from '../../compiler/ide/get-folding-ranges.ts';
import { getHover } from '../../compiler/ide/get-hover.ts';
import { getInlayHints } from '../../compiler/ide/get-inlay-hints.ts';
import { getDocumentHighlights, getReferences } from '../../compiler/ide/get-references.ts';
import { getRename } from '../../compiler/ide/get-rename.ts';
import { getSemanticTokens } from '../../compiler/ide/get-semantic-tokens.ts';
import { getSignatureHelp } from '../../compiler/ide/get-signature-help.ts';
import { getSelectionRanges } from '../../compiler/ide/get-selection-ranges.ts';
import { getFormatting } from '../../compiler/ide/get-formatting.ts';
import { repoRoot } from '../helpers/golden.ts';

function everyQuery(doc: IdeDocument, offsets: number[]): void {
  getDiagnostics(doc);
  getDocumentSymbols(doc);
  getFoldingRanges(doc);
  getSemanticTokens(doc);
  getCodeLenses(doc, [{ target: 'argo', title: 'Build for Argo' }]);
  getFormatting(doc);
  getDag(doc);
  getInlayHints(doc, { start: 0, end: doc.text.length });
  for (const off of offsets) {
    getCompletions(doc, off);
    getHover(doc, off);
    getDefinition(doc, off);
    getTypeDefinition(doc, off);
    getReferences(doc, off, { includeDeclaration: true });
    getDocumentHighlights(doc, off);
    getRename(doc, off, 'renamed');
    getCodeActions(doc, { start: off, end: off });
    getSignatureHelp(doc, off);
    getSelectionRanges(doc, off);
  }
}

const samples = readdirSync(join(repoRoot, 'samples'))
  .filter((f) => f.endsWith('.flow'))
  .map((f) => readFileSync(join(repoRoot, 'samples', f), 'utf8'));

test('every prefix of the samples (a file being typed)', () => {
  for (const text of samples) {
    for (let cut = 0; cut <= text.length; cut += 23) {
      const prefix = text.slice(0, cut);
      everyQuery(createIdeDocument(prefix, { file: 'p.flow' }), [cut, Math.floor(cut / 2)]);
    }
  }
});

test('binary garbage', () => {
  let s = 7;
  const next = () => (s = (s * 1103515245 + 12345) & 0x7fffffff);
  for (let n = 0; n < 20; n++) {
    const text = Array.from({ length: 2000 }, () => String.fromCharCode(next() % 0x10000)).join('');
    everyQuery(createIdeDocument(text, { file: 'g.flow' }), [0, 1000, 2000]);
  }
});

test('over the size limits: only a note, no crash', () => {
  const huge = 'x'.repeat(sizeLimits.parse + 1);
  const doc = createIdeDocument(huge, { file: 'h.flow' });
  everyQuery(doc, [0, huge.length]);
  assert.equal(getDiagnostics(doc).own.map((d) => d.code), ['editor-file-too-large']);
});

test.run();
