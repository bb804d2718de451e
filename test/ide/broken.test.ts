/**
 * Editor features on broken text, one test per error (and warning) case of the diagnostics catalogue
 * (`test/cases/check/{err,warn}`, `test/cases/syntax/err`): a file with a mistake in it is what the editor sees
 * most of the time, so every name that is declared somewhere in the file must still answer.
 *
 * For each step name, `out`, `in` and `param` the parser recovered, wherever the flow is broken:
 * - hover answers, and at an `in` says the artifact or parameter it reads;
 * - definition finds the declaration (every producing `out` for an artifact, the `param`, the step);
 * - references include the occurrence itself and the declarations;
 * - rename of an artifact edits every `out` and every `in` of its name in the flow (a partial rename would
 *   break working code), or refuses with a message;
 * - completion after each `next` lists the flow's other steps.
 * Names declared nowhere (the unknown ones the diagnostics are about) are exempt.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIdeDocument, type IdeDocument } from '../../compiler/ide/document.ts';
import { getCompletions } from '../../compiler/ide/get-completions.ts';
import { getDefinition } from '../../compiler/ide/get-definition.ts';
import { getHover } from '../../compiler/ide/get-hover.ts';
import { getReferences } from '../../compiler/ide/get-references.ts';
import { getRename } from '../../compiler/ide/get-rename.ts';
import type { Span } from '../../compiler/ide/types.ts';
import { caseFiles, repoRoot } from '../helpers/golden.ts';

interface Occurrence {
  kind: 'step' | 'out' | 'in' | 'param';
  name: string;
  span: Span;
}

const at = (doc: IdeDocument, span: Span) => {
  const p = doc.lines.position(span.start);
  return `${p.line + 1}:${p.character + 1}`;
};
const has = (spans: Span[], s: Span) => spans.some((x) => x.start === s.start && x.end === s.end);

let checked = 0;

/** Every problem of the editor features on one file, as readable lines (empty when all answer). */
function problems(text: string): string[] {
  const doc = createIdeDocument(text, { file: 'case.flow' });
  const out: string[] = [];
  for (const flow of doc.analysis.flows) {
    const occ: Occurrence[] = [];
    const { steps, artifacts, params } = flow.symbols;
    for (const s of flow.model.steps) {
      if (s.decl.name?.span) occ.push({ kind: 'step', name: s.name, span: s.decl.name.span });
      for (const o of s.outs) if (o.decl.name?.span) occ.push({ kind: 'out', name: o.name, span: o.decl.name.span });
      for (const i of s.ins) if (i.decl.name?.span) occ.push({ kind: 'in', name: i.name, span: i.decl.name.span });
    }
    for (const p of params.values()) occ.push({ kind: 'param', name: p.name, span: p.nameSpan });

    for (const o of occ) {
      const where = `${o.kind} ${o.name} at ${at(doc, o.span)}`;
      // An `in` of a name no `out` or `param` declares: what a diagnostic is about, or a foreach element.
      if (o.kind === 'in' && !artifacts.has(o.name) && !params.has(o.name)) continue;
      checked++;
      const mid = o.span.start + Math.floor((o.span.end - o.span.start) / 2);
      const hover = getHover(doc, mid);
      if (!hover) out.push(`${where}: no hover`);
      else if (o.kind === 'in' && !/^```flow\n(in|out|param) /.test(hover.contents)) out.push(`${where}: hover does not describe the input: ${hover.contents.slice(0, 80)}`);
      const defs = getDefinition(doc, mid);
      const expected =
        o.kind === 'step' ? [steps.get(o.name)!.nameSpan]
        : o.kind === 'param' || (o.kind === 'in' && !artifacts.has(o.name)) ? [params.get(o.name)!.nameSpan]
        : artifacts.get(o.name)!.decls.map((d) => d.decl.name.span);
      if (!expected.every((e) => has(defs, e))) out.push(`${where}: definition gives ${defs.map((d) => at(doc, d)).join(', ') || 'nothing'}, expected ${expected.map((d) => at(doc, d)).join(', ')}`);
      const refs = getReferences(doc, mid, { includeDeclaration: true });
      if (!has(refs, o.span) || !expected.every((e) => has(refs, e))) out.push(`${where}: references give ${refs.map((d) => at(doc, d)).join(', ') || 'nothing'}`);
      if (o.kind === 'out' || (o.kind === 'in' && artifacts.has(o.name))) {
        const rename = getRename(doc, mid, `${o.name}_renamed`);
        if ('edits' in rename) {
          const edited = rename.edits.map((e) => ({ start: e.start, end: e.end }));
          const missed = occ.filter((x) => (x.kind === 'out' || x.kind === 'in') && x.name === o.name && !has(edited, x.span));
          if (missed.length) out.push(`${where}: rename misses ${missed.map((x) => `${x.kind} at ${at(doc, x.span)}`).join(', ')}`);
        } else if (!rename.error) out.push(`${where}: rename neither edits nor says why not`);
      }
    }

    // Completion after each `next` (a plain `next a` or a split): the other steps of the flow.
    for (const s of flow.model.steps) {
      const next = s.next;
      if (next?.kind !== 'NextSteps' || !next.targets[0]?.span) continue;
      const offset = next.targets[0].span.start;
      const labels = new Set(getCompletions(doc, offset).map((c) => c.label));
      const missing = [...steps.keys()].filter((n) => n !== 'start' && n !== s.name && !labels.has(n));
      if (missing.length) out.push(`completion after 'next' at ${at(doc, next.targets[0].span)} misses ${missing.join(', ')}`);
    }
  }
  return out;
}

const cases = [
  ...caseFiles('cases/check/err').map((c) => ({ ...c, dir: 'check/err' })),
  ...caseFiles('cases/check/warn').map((c) => ({ ...c, dir: 'check/warn' })),
  ...caseFiles('cases/syntax/err').map((c) => ({ ...c, dir: 'syntax/err' })),
];

for (const c of cases) {
  test(`${c.dir}/${c.name}: hover, definition, references, rename and completion answer`, () => {
    assert.equal(problems(c.text), []);
  });
}

/**
 * The samples broken the commonest ways, one mistake at a time: a `next` target misspelt (the steps after it are
 * then cut off from `start`), an `out` dropped, a step's closing brace dropped.
 */
const samplesDir = join(repoRoot, 'samples');
for (const name of readdirSync(samplesDir).filter((f) => f.endsWith('.flow')).sort()) {
  const text = readFileSync(join(samplesDir, name), 'utf8');
  const mutations: [string, string][] = [];
  for (const m of text.matchAll(/\bnext (\w+)/g)) {
    const at = m.index! + 5;
    mutations.push([`next target '${m[1]}' at ${at} misspelt`, text.slice(0, at) + m[1] + 'x' + text.slice(at + m[1].length)]);
  }
  for (const m of text.matchAll(/^ *out \w+: [^\n]*\n/gm)) mutations.push([`'${m[0].trim()}' at ${m.index} dropped`, text.slice(0, m.index) + text.slice(m.index! + m[0].length)]);
  for (const m of text.matchAll(/^ {2}\}\n/gm)) mutations.push([`the brace at ${m.index} dropped`, text.slice(0, m.index) + text.slice(m.index! + m[0].length)]);
  test(`samples/${name}, broken ${mutations.length} ways: hover, definition, references, rename and completion answer`, () => {
    for (const [what, broken] of mutations) assert.equal(problems(broken), [], what);
  });
}

test('the issue: hover, definition and references on an artifact while a `next` elsewhere is misspelt', () => {
  const text = 'flow F {\n  image "python:3.12-slim"\n  step start {\n    out x: int\n    python "x = 1"\n    next trian\n  }\n  step train {\n    in x: int\n    python "print(x)"\n    next end\n  }\n  step end {}\n}\n';
  const doc = createIdeDocument(text, { file: 'f.flow' });
  assert.equal(doc.analysis.diagnostics.map((d) => d.code), ['unknown-step']);
  const inX = text.indexOf('in x') + 3;
  assert.match(getHover(doc, inX)?.contents ?? '', 'in x: int');
  assert.equal(getDefinition(doc, inX), [{ start: text.indexOf('out x') + 4, end: text.indexOf('out x') + 5 }]);
  assert.is(getReferences(doc, inX, { includeDeclaration: true }).length, 2);
  assert.equal(problems(text), []);
});

test('the cases above checked many names (a test that checks nothing cannot fail)', () => {
  assert.ok(checked > 800, `only ${checked} names checked`);
});

test.run();
