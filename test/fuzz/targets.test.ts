/**
 * Fuzzing both targets: every generated flow, and every mutated sample that still checks clean, builds Argo
 * manifests and Batch/Step Functions definitions that validate, byte-identically on a second build.
 */
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { flowShapeArb, mutate, mutationsArb, renderShape, runs, samples } from './arbitraries.ts';
import { argoProblems, batchProblems } from './build-targets.ts';
import { checkText } from './check-invariants.ts';


/** How many built cases per property get the slow checks (YAML serialization, asl-validator). */
const DEEP_CASES = runs(4);

function assertBuilds(text: string, deep: boolean): boolean {
  const { irs } = checkText(text);
  for (const ir of irs ?? []) {
    assert.equal(argoProblems(ir, deep), [], `Argo manifests of:\n${text}`);
    assert.equal(batchProblems(ir, deep), [], `Batch definitions of:\n${text}`);
  }
  return (irs ?? []).length > 0;
}

/** Gives the first DEEP_CASES flows that build the slow checks; `built()` counts the flows that built. */
function deepCounter(): ((text: string) => void) & { built: () => number } {
  let built = 0;
  const build = (text: string) => {
    if (assertBuilds(text, built < DEEP_CASES)) built++;
  };
  return Object.assign(build, { built: () => built });
}

test('generated flows build valid Argo and Batch output', () => {
  const build = deepCounter();
  fc.assert(
    fc.property(flowShapeArb, (shape) => build(renderShape(shape))),
    { numRuns: runs(40) },
  );
});

test('mutated samples that check clean build valid Argo and Batch output', () => {
  const build = deepCounter();
  fc.assert(
    fc.property(fc.constantFrom(...samples), mutationsArb, (text, mutations) => build(mutate(text, mutations))),
    { numRuns: runs(120) },
  );
  // Some mutations keep a sample valid (a deleted comment, a duplicated blank); make sure this test is not vacuous.
  assert.ok(build.built() > 0, 'at least one mutated sample checked clean and was built');
});

test.run();
