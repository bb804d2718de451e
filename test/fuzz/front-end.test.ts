/**
 * Fuzzing the front end with fast-check: generated valid flows check clean and lower to valid IR; mutated
 * flows (generated ones and the samples) never make it throw or hang, and all their diagnostics stay inside the
 * file, whatever report format prints them. Runs are bounded and seeded by fast-check (a failure prints its seed
 * and shrunk counterexample); FUZZ_RUNS scales them (default 1 = the CI budget).
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderGithubReport } from '../../cli/report-github.ts';
import { renderSarifReport } from '../../cli/report-sarif.ts';
import { renderTextReport } from '../../cli/report-text.ts';
import { sarifErrors, sarifValidator } from '../ci/sarif-schema.ts';
import { flowShapeArb, mutate, mutationsArb, renderShape, runs, samples } from './arbitraries.ts';
import { checkText } from './check-invariants.ts';


test('generated flows check clean and lower to valid, deterministic IR', () => {
  fc.assert(
    fc.property(flowShapeArb, (shape) => {
      const text = renderShape(shape);
      const { analysis, irs } = checkText(text);
      const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
      assert.equal(errors.map((d) => `${d.code}: ${d.message}`), [], text);
      assert.ok(irs && irs.length === 1);
    }),
    { numRuns: runs(60) },
  );
});

test('mutated generated flows never throw, hang, or point outside the file', () => {
  fc.assert(
    fc.property(flowShapeArb, mutationsArb, (shape, mutations) => {
      checkText(mutate(renderShape(shape), mutations));
    }),
    { numRuns: runs(150) },
  );
});

test('mutated samples never throw, hang, or point outside the file', () => {
  fc.assert(
    fc.property(fc.constantFrom(...samples), mutationsArb, (text, mutations) => {
      checkText(mutate(text, mutations));
    }),
    { numRuns: runs(200) },
  );
});

test('arbitrary strings never throw', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
      checkText(text);
    }),
    { numRuns: runs(150) },
  );
});

test('every report format prints mutated diagnostics; SARIF stays schema-valid', () => {
  const validate = sarifValidator();
  fc.assert(
    fc.property(fc.constantFrom(...samples), mutationsArb, (text0, mutations) => {
      const text = mutate(text0, mutations);
      const { analysis } = checkText(text);
      const reports = [{ file: 'fuzz.flow', text, diagnostics: analysis.diagnostics.filter((d) => !d.file) }];
      renderTextReport(reports, { color: false });
      const gh = renderGithubReport(reports, { color: false, nFiles: 1 });
      for (const line of gh.trimEnd().split('\n')) assert.ok(!line.includes('\r'), 'one workflow command per line');
      assert.is(gh.trimEnd().split('\n').length, reports[0].diagnostics.length + 1);
      assert.ok(validate(JSON.parse(renderSarifReport(reports))), sarifErrors());
    }),
    { numRuns: runs(60) },
  );
});

test.run();
