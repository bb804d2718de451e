/**
 * Golden tests of the checker and lowering: `test/cases/check/ok/*.flow` must check without errors and give
 * the IR in `test/baselines/ir/<name>.ir.json`; `test/cases/check/err/*.flow` must give at least one error,
 * rendered into `test/baselines/check/<name>.diagnostics.txt`; every sample checks clean and has an IR golden.
 * Every IR produced here is validated against `compiler/ir.schema.json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import { targetChecks } from '../../targets/registry.ts';
import { irJson } from '../../compiler/ir.ts';
import { lower } from '../../compiler/lower.ts';
import { validateIR } from '../../compiler/validate-ir.ts';
import { renderBaseline } from '../../diagnostics/render.ts';
import { assertGolden, caseFiles, repoRoot } from '../helpers/golden.ts';

function irText(text: string, file: string): string {
  const analysis = analyze(text, { file, targets: targetChecks });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map((d) => `${d.code}: ${d.message}`), [], `${file} should check without errors`);
  const irs = lower(analysis);
  for (const ir of irs) assert.equal(validateIR(ir), [], `IR of ${file} should match ir.schema.json`);
  return irJson(irs.length === 1 ? irs[0] : irs, 2) + '\n';
}

for (const c of caseFiles('cases/check/ok')) {
  test(`ok/${c.name}`, () => {
    assertGolden(`baselines/ir/${c.name}.ir.json`, irText(c.text, `test/cases/check/ok/${c.name}.flow`));
  });
}

for (const c of caseFiles('cases/check/err')) {
  test(`err/${c.name}`, () => {
    const analysis = analyze(c.text, { file: c.name, targets: targetChecks });
    assert.ok(analysis.hasErrors, `${c.name} should have at least one error`);
    assertGolden(`baselines/check/${c.name}.diagnostics.txt`, renderBaseline(analysis.diagnostics, c.text));
  });
}

for (const c of caseFiles('cases/check/warn')) {
  test(`warn/${c.name}`, () => {
    const analysis = analyze(c.text, { file: c.name, targets: targetChecks });
    assert.not.ok(analysis.hasErrors, `${c.name} should have no errors`);
    assert.ok(analysis.diagnostics.length > 0, `${c.name} should have a warning`);
    assertGolden(`baselines/check/${c.name}.diagnostics.txt`, renderBaseline(analysis.diagnostics, c.text));
  });
}

const samplesDir = join(repoRoot, 'samples');
for (const name of readdirSync(samplesDir).filter((f) => f.endsWith('.flow')).sort()) {
  test(`sample ${name} checks clean and lowers`, () => {
    const text = readFileSync(join(samplesDir, name), 'utf8');
    const analysis = analyze(text, { file: `samples/${name}` });
    assert.equal(analysis.diagnostics.map((d) => `${d.severity}[${d.code}]: ${d.message}`), [], `${name} should have no diagnostics`);
    assertGolden(`baselines/ir/sample-${name.replace(/\.flow$/, '')}.ir.json`, irText(text, `samples/${name}`));
  });
}

test('lowering is byte-identical across runs', () => {
  for (const name of readdirSync(samplesDir).filter((f) => f.endsWith('.flow')).sort()) {
    const text = readFileSync(join(samplesDir, name), 'utf8');
    const a = JSON.stringify(lower(analyze(text, { file: name, targets: targetChecks })));
    const b = JSON.stringify(lower(analyze(text, { file: name, targets: targetChecks })));
    assert.is(a, b);
  }
});

test.run();
