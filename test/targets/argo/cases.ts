/**
 * The flows the Argo tests build: every sample, plus the flows under test/fixtures/argo/flows/ (constructs the
 * samples do not cover), each compiled from source (analyze → lower); and hand-written IR documents under
 * test/fixtures/argo/ir/ for what the language cannot express yet.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../compiler/analyze.ts';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import type { FlowIR } from '../../../compiler/ir.ts';
import { lower } from '../../../compiler/lower.ts';
import { repoRoot, testRoot } from '../../helpers/golden.ts';

export interface ArgoCase {
  name: string;
  /** The source file as the CLI would name it. */
  file: string;
  ir: FlowIR;
}

/** Compiles a `.flow` text to IR; throws with the diagnostics when it does not check. */
export function compileFlow(text: string, file: string, config: FlowcConfig = {}): FlowIR[] {
  const analysis = analyze(text, { file, config });
  if (analysis.hasErrors) {
    const errs = analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);
    throw new Error(`${file} does not check:\n${errs.join('\n')}`);
  }
  return lower(analysis);
}

function flowsIn(dir: string, rel: string, prefix: string): ArgoCase[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.flow'))
    .sort()
    .flatMap((f) => {
      const file = `${rel}/${f}`;
      const irs = compileFlow(readFileSync(join(dir, f), 'utf8'), file);
      return irs.map((ir, i) => ({ name: `${prefix}${f.slice(0, -5)}${irs.length > 1 ? `-${i}` : ''}`, file, ir }));
    });
}

export function argoCases(): ArgoCase[] {
  const cases = [...flowsIn(join(repoRoot, 'samples'), 'samples', 'sample-'), ...flowsIn(join(testRoot, 'fixtures/argo/flows'), 'test/fixtures/argo/flows', '')];
  const irDir = join(testRoot, 'fixtures/argo/ir');
  if (existsSync(irDir)) {
    for (const f of readdirSync(irDir).filter((x) => x.endsWith('.json')).sort()) {
      const ir = JSON.parse(readFileSync(join(irDir, f), 'utf8')) as FlowIR;
      cases.push({ name: `ir-${f.slice(0, -5)}`, file: ir.source.file, ir });
    }
  }
  return cases;
}
