/**
 * Property tests: the checker never throws on mutated samples (random edits, deletions, duplications), and
 * every diagnostic range lies within the text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import { targetChecks } from '../../targets/registry.ts';
import { lower } from '../../compiler/lower.ts';
import { repoRoot } from '../helpers/golden.ts';

const samples = readdirSync(join(repoRoot, 'samples'))
  .filter((f) => f.endsWith('.flow'))
  .sort()
  .map((f) => readFileSync(join(repoRoot, 'samples', f), 'utf8'));

const fragments = ['{', '}', 'next ', 'step ', 'in ', 'out ', ': [', ']', '"', '"""', '{{in.', '}}', '@resources(', ')', ',', 'foreach x in ', 'switch ', ' -> ', 'end', 'start', 'from a', '?', '\n', 'type T { a: int }\n', '@retry(times: 0)', 'join'];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...fragments) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 80 }) }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: fc.string({ maxLength: 4 }) }),
);

function mutate(text: string, edits: { kind: string; at: number; len?: number; text?: string }[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length;
    if (e.kind === 'delete') out = out.slice(0, at) + out.slice(at + (e.len ?? 1));
    else if (e.kind === 'insert') out = out.slice(0, at) + (e.text ?? '') + out.slice(at);
    else if (e.kind === 'duplicate') out = out.slice(0, at) + out.slice(at, at + (e.len ?? 1)) + out.slice(at);
    else out = out.slice(0, at) + (e.text ?? '') + out.slice(at + (e.text?.length ?? 0));
  }
  return out;
}

test('analyze never throws on mutated samples, and diagnostics lie within the text', () => {
  fc.assert(
    fc.property(fc.integer({ min: 0, max: samples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (idx, edits) => {
      const text = mutate(samples[idx], edits);
      const analysis = analyze(text, { file: 'mutated.flow', targets: targetChecks });
      for (const d of analysis.diagnostics) {
        assert.ok(d.start >= 0 && d.start <= d.end && d.end <= text.length, `${d.code} at ${d.start}-${d.end} outside 0-${text.length}`);
      }
      if (!analysis.hasErrors) lower(analysis);
    }),
    { numRuns: 300, seed: 42 },
  );
});

test.run();
