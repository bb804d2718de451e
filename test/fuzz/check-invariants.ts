/**
 * What must hold for any text the front end is given, valid or not: analysis returns (in bounded time),
 * every range lies inside the file, every code is in the catalogue, and a flow without errors lowers to IR that
 * validates against the IR schema, identically every time.
 */
import * as assert from 'uvu/assert';
import { analyze, type Analysis } from '../../compiler/analyze.ts';
import { targetChecks } from '../../targets/registry.ts';
import type { FlowIR } from '../../compiler/ir.ts';
import { lower } from '../../compiler/lower.ts';
import { validateIR } from '../../compiler/validate-ir.ts';
import { lookupCode } from '../../diagnostics/catalog.ts';

/** Generous: a fuzz case is a few hundred lines at most; anything near this is a hang in the making. */
const CASE_BUDGET_MS = 5_000;

export interface Checked {
  analysis: Analysis;
  /** The IR when the text has no errors, else null. */
  irs: FlowIR[] | null;
}

const show = (text: string) => (text.length > 3000 ? `${text.slice(0, 3000)}... (${text.length} chars)` : text);

export function checkText(text: string): Checked {
  const started = performance.now();
  let analysis: Analysis;
  try {
    analysis = analyze(text, { file: 'fuzz.flow', targets: targetChecks });
  } catch (err) {
    throw new Error(`analyze threw on:\n${show(text)}\n${(err as Error).stack}`);
  }
  const ms = performance.now() - started;
  assert.ok(ms < CASE_BUDGET_MS, `analyze took ${Math.round(ms)} ms on:\n${show(text)}`);
  for (const d of analysis.diagnostics) {
    const where = `${d.code} [${d.start}, ${d.end}) in a text of ${text.length}: ${d.message}\n${show(text)}`;
    assert.ok(lookupCode(d.code) !== undefined, `code '${d.code}' is in the catalogue: ${where}`);
    if (d.file) continue;
    assert.ok(Number.isInteger(d.start) && Number.isInteger(d.end) && 0 <= d.start && d.start <= d.end && d.end <= text.length, `range inside the file: ${where}`);
    for (const r of d.related ?? []) if (!r.file) assert.ok(0 <= r.start && r.start <= r.end && r.end <= text.length, `related range inside the file: ${where}`);
    for (const f of d.fixes ?? []) for (const e of f.edits) assert.ok(0 <= e.start && e.start <= e.end && e.end <= text.length, `fix range inside the file: ${where}`);
  }
  if (analysis.diagnostics.some((d) => d.severity === 'error')) return { analysis, irs: null };
  let irs: FlowIR[];
  try {
    irs = lower(analysis);
  } catch (err) {
    throw new Error(`lower threw on a flow that checked clean:\n${show(text)}\n${(err as Error).stack}`);
  }
  for (const ir of irs) {
    const problems = validateIR(ir);
    assert.equal(problems, [], `IR of a clean flow validates:\n${show(text)}`);
  }
  const again = lower(analyze(text, { file: 'fuzz.flow', targets: targetChecks }));
  assert.ok(JSON.stringify(again) === JSON.stringify(irs), `IR is deterministic:\n${show(text)}`);
  return { analysis, irs };
}
