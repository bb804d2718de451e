/**
 * Doc tests: every ```flow block of docs/language.md and README.md is checked with the real checker.
 * A plain ```flow block must give no errors (warnings are allowed); a block whose info string is
 * ```flow error=CODE must give that error and no error with another code, so each example shows one thing;
 * ```flow error=CODE1,CODE2 must give each of those errors and no other (an example of errors found together).
 * The ```yaml blocks of docs/language.md must be valid `flowc.yaml` files, and the decorator reference
 * between its markers must be what `scripts/gen-language-decorators.ts` generates from the catalogue.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import { targetChecks } from '../../targets/registry.ts';
import { loadConfig } from '../../compiler/config.ts';
import { decoratorCatalog } from '../../compiler/decorators.ts';
import { renderDecoratorSection, updateLanguageDoc } from '../../scripts/gen-language-decorators.ts';
import { repoRoot } from '../helpers/golden.ts';

interface CodeBlock {
  /** The language of the fence (`flow`, `yaml`, ...). */
  lang: string;
  /** `key=value` words after the language, e.g. `{ error: 'cycle' }`. */
  attrs: Record<string, string>;
  text: string;
  /** 1-based line of the opening fence. */
  line: number;
}

/** The fenced code blocks of a Markdown text, in order. Fences are lines starting with three backquotes. */
function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)(.*)$/.exec(lines[i]);
    if (!open) continue;
    const attrs: Record<string, string> = {};
    for (const word of open[2].trim().split(/\s+/).filter(Boolean)) {
      const [key, ...value] = word.split('=');
      attrs[key] = value.join('=');
    }
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j])) body.push(lines[j++]);
    blocks.push({ lang: open[1], attrs, text: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** Checks one flow block: clean, or failing with exactly the code its info string names. */
function checkFlowBlock(file: string, block: CodeBlock): void {
  const where = `${file}:${block.line}`;
  const diagnostics = analyze(block.text, { file: where, targets: targetChecks }).diagnostics;
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const describe = (ds: typeof diagnostics) => ds.map((d) => `${d.code}: ${d.message}`).join('\n  ') || 'nothing';
  const expected = block.attrs.error;
  if (expected === undefined) {
    assert.ok(errors.length === 0, `the flow block at ${where} should check without errors but gives:\n  ${describe(errors)}`);
    return;
  }
  const codes = expected.split(',');
  assert.ok(
    codes.every((c) => errors.some((d) => d.code === c)) && errors.every((d) => codes.includes(d.code)),
    `the flow block at ${where} should give only '${expected}' errors but gives:\n  ${describe(errors)}`,
  );
}

const docs = ['docs/language.md', 'README.md'].map((file) => ({ file, text: readFileSync(join(repoRoot, file), 'utf8') }));

for (const { file, text } of docs) {
  const blocks = codeBlocks(text).filter((b) => b.lang === 'flow');
  test(`${file} has flow blocks`, () => {
    assert.ok(blocks.length > 0, `no flow blocks found in ${file}`);
  });
  for (const block of blocks) {
    const label = block.attrs.error ? ` (error=${block.attrs.error})` : '';
    test(`${file}:${block.line} flow block${label}`, () => checkFlowBlock(file, block));
  }
}

const language = docs[0];

test('docs/language.md has error examples', () => {
  assert.ok(codeBlocks(language.text).some((b) => b.lang === 'flow' && b.attrs.error), 'expected at least one ```flow error=CODE block');
});

for (const block of codeBlocks(language.text).filter((b) => b.lang === 'yaml')) {
  test(`docs/language.md:${block.line} is a valid flowc.yaml`, () => {
    const { diagnostics } = loadConfig(block.text, 'flowc.yaml');
    assert.equal(diagnostics.map((d) => `${d.code}: ${d.message}`), []);
  });
}

test('the decorator reference in docs/language.md is up to date (run `node --import tsx scripts/gen-language-decorators.ts`)', () => {
  assert.ok(
    updateLanguageDoc(language.text) === language.text,
    'docs/language.md is stale between its decorator markers: run `node --import tsx scripts/gen-language-decorators.ts`.',
  );
});

test('the decorator reference names every decorator of the catalogue', () => {
  const section = renderDecoratorSection();
  for (const name of Object.keys(decoratorCatalog)) assert.ok(section.includes(`### \`@${name}\``), `@${name} is missing`);
});

test('updateLanguageDoc rewrites only the text between the markers', () => {
  const doc = 'before\n<!-- decorators:start -->\nold text\n<!-- decorators:end -->\nafter\n';
  const updated = updateLanguageDoc(doc);
  assert.ok(updated.startsWith('before\n<!-- decorators:start -->\n'));
  assert.ok(updated.endsWith('<!-- decorators:end -->\nafter\n'));
  assert.not.ok(updated.includes('old text'));
  assert.throws(() => updateLanguageDoc('no markers here'));
});

test("every decorator's catalogue example checks without errors where it is allowed", () => {
  for (const spec of Object.values(decoratorCatalog)) {
    const text =
      spec.on === 'flow' || spec.on === 'flow-or-step' // on a step, @max_workers needs a foreach: tried on the flow
        ? `${spec.example}\nflow Example {\n  step start { next end }\n  step end {}\n}\n`
        : spec.name === 'loop' // a loop needs a switch going back
          ? `flow Example {\n  ${spec.example}\n  step start {\n    out again: bool\n    sh "again=false"\n    next switch again { true -> start, else -> end }\n  }\n  step end {}\n}\n`
          : `flow Example {\n  ${spec.example}\n  step start { next end }\n  step end {}\n}\n`;
    const errors = analyze(text, { file: `@${spec.name}.flow` }).diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.map((d) => `${d.code}: ${d.message}`), [], `the example of @${spec.name}`);
  }
});

test.run();
