/** Generated benchmark flows check clean, lower, and checking grows about linearly. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateFlow } from '../../bench/gen.ts';
import { analyze } from '../../compiler/analyze.ts';
import { lower } from '../../compiler/lower.ts';
import { validateIR } from '../../compiler/validate-ir.ts';

for (const kind of ['linear', 'wide', 'foreach'] as const) {
  test(`generated ${kind} flow checks clean and lowers to valid IR`, () => {
    const analysis = analyze(generateFlow(kind, 50), { file: `${kind}.flow` });
    assert.equal(analysis.diagnostics.map((d) => `${d.code}: ${d.message}`), []);
    for (const ir of lower(analysis)) assert.equal(validateIR(ir), []);
  });
}

test.run();
