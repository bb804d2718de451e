/**
 * The catalogue and its documentation: docs/diagnostics.md is up to date, and every code is triggered by at
 * least one test case (`test/cases/**\/err`, `warn` and the config cases).
 * Codes owned by other parts (syntax, targets) are required only when their cases exist; the rest are listed
 * as known-untested here, so this test fails only for the checker's own codes (semantic and config).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import { targetChecks } from '../../targets/registry.ts';
import { loadConfig } from '../../compiler/config.ts';
import { catalog, type Code } from '../../diagnostics/catalog.ts';
import { semanticCodes } from '../../diagnostics/catalog/semantic.ts';
import { configCodes } from '../../diagnostics/catalog/config.ts';
import { sharedTargetCodes } from '../../diagnostics/catalog/targets.ts';
import { renderDiagnosticsDoc } from '../../scripts/gen-diagnostics-doc.ts';
import { repoRoot, testRoot } from '../helpers/golden.ts';

test('docs/diagnostics.md is up to date (run `node --import tsx scripts/gen-diagnostics-doc.ts`)', () => {
  const path = join(repoRoot, 'docs', 'diagnostics.md');
  const current = existsSync(path) ? readFileSync(path, 'utf8') : '';
  assert.ok(current === renderDiagnosticsDoc(), 'docs/diagnostics.md is stale: run `node --import tsx scripts/gen-diagnostics-doc.ts`.');
});

function walk(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

function triggeredCodes(): Set<string> {
  const codes = new Set<string>();
  const files = walk(join(testRoot, 'cases'));
  for (const path of files) {
    if (path.endsWith('.flow') && /[/\\](err|warn)[/\\]/.test(path)) {
      for (const d of analyze(readFileSync(path, 'utf8'), { file: path, targets: targetChecks }).diagnostics) codes.add(d.code);
    }
  }
  for (const path of walk(join(testRoot, 'cases', 'config'))) {
    if (!path.endsWith('.yaml')) continue;
    const { config, diagnostics } = loadConfig(readFileSync(path, 'utf8'), path);
    for (const d of diagnostics) codes.add(d.code);
    const flow = path.replace(/\.yaml$/, '.flow');
    if (existsSync(flow)) for (const d of analyze(readFileSync(flow, 'utf8'), { file: flow, config, targets: targetChecks }).diagnostics) codes.add(d.code);
  }
  return codes;
}

test('every semantic, config and shared target code is triggered by a test case', () => {
  const triggered = triggeredCodes();
  const mine = [...Object.keys(semanticCodes), ...Object.keys(configCodes), ...Object.keys(sharedTargetCodes)];
  assert.equal(mine.filter((c) => !triggered.has(c)), []);
  const others = Object.keys(catalog).filter((c) => !mine.includes(c) && !triggered.has(c));
  if (others.length > 0) console.log(`  known-untested codes owned by other parts (target cases run elsewhere): ${others.join(', ')}`);
});

test('every catalogue entry has a summary, doc and example', () => {
  for (const [code, e] of Object.entries(catalog)) {
    assert.match(code, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
    assert.ok(e.summary && e.doc && e.example, `${code} is incomplete`);
  }
});

test('every semantic example triggers its own code', () => {
  for (const [code, e] of Object.entries({ ...semanticCodes, ...sharedTargetCodes })) {
    if (code === 'resources-exceed-limits') continue; // needs a flowc.yaml: test/cases/config/limits
    const codes = analyze(e.example, { file: 'example.flow', targets: targetChecks }).diagnostics.map((d) => d.code);
    assert.ok(codes.includes(code as Code), `the example of '${code}' gives ${codes.join(', ') || 'nothing'}`);
  }
  for (const [code, e] of Object.entries(configCodes)) {
    const codes = loadConfig(e.example, 'flowc.yaml').diagnostics.map((d) => d.code);
    assert.ok(codes.includes(code as Code), `the example of '${code}' gives ${codes.join(', ') || 'nothing'}`);
  }
});

test.run();
