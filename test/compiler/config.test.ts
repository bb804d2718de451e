/**
 * `flowc.yaml` loading: each `test/cases/config/<name>.yaml` gives `test/baselines/config/<name>.txt`, its
 * diagnostics (source reprinted with spans underlined) and the normalized config; when `<name>.flow` exists it
 * is checked with that config and its diagnostics are appended.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadConfig } from '../../compiler/config.ts';
import { analyze } from '../../compiler/analyze.ts';
import { targetChecks } from '../../targets/registry.ts';
import { renderBaseline } from '../../diagnostics/render.ts';
import { assertGolden, caseFiles, repoRoot } from '../helpers/golden.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIZE_PATTERN } from '../../grammar/units.ts';

const flows = new Map(caseFiles('cases/config', '.flow').map((f) => [f.name, f.text]));

for (const c of caseFiles('cases/config', '.yaml')) {
  test(`config/${c.name}`, () => {
    const { config, diagnostics } = loadConfig(c.text, `${c.name}.yaml`);
    for (const d of diagnostics) assert.is(d.file, `${c.name}.yaml`);
    let out = renderBaseline(diagnostics.map((d) => ({ ...d, file: undefined })), c.text);
    out += `--- config\n${JSON.stringify(config, null, 2)}\n`;
    const flow = flows.get(c.name);
    if (flow !== undefined) out += `--- ${c.name}.flow\n${renderBaseline(analyze(flow, { file: `${c.name}.flow`, config, targets: targetChecks }).diagnostics, flow)}`;
    assertGolden(`baselines/config/${c.name}.txt`, out);
  });
}

test('an alias bomb is rejected without expanding it', () => {
  const { diagnostics } = loadConfig(caseFiles('cases/config', '.yaml').find((c) => c.name === 'alias-bomb')!.text, 'x.yaml');
  assert.ok(diagnostics.some((d) => d.code === 'config-yaml'));
});

test('prototype keys never reach the config object', () => {
  const { config } = loadConfig('__proto__:\n  polluted: 1\n', 'x.yaml');
  assert.is(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(config, {});
});

test('sizes are normalized to MiB', () => {
  const { config, diagnostics } = loadConfig('argo:\n  limits: { memory: 1.5GiB, disk: 1GB }\n', 'x.yaml');
  assert.equal(diagnostics, []);
  assert.equal(config.argo?.limits, { memoryMiB: 1536, diskMiB: 954 });
});

test('batch shared memory and swap are sizes, logs a driver with options', () => {
  const { config, diagnostics } = loadConfig('batch:\n  sharedMemory: 8GiB\n  swap: 512MiB\n  logs: { driver: awslogs, options: { awslogs-group: /flowc } }\n', 'x.yaml');
  assert.equal(diagnostics, []);
  assert.equal(config.batch, { sharedMemoryMiB: 8192, swapMiB: 512, logs: { driver: 'awslogs', options: { 'awslogs-group': '/flowc' } } });
});

test('an empty file is an empty config', () => {
  assert.equal(loadConfig('', 'x.yaml'), { config: {}, diagnostics: [] });
});

test('the schema\'s size pattern is the one unit table\'s (grammar/units.ts)', () => {
  const schema = JSON.parse(readFileSync(join(repoRoot, 'compiler', 'config.schema.json'), 'utf8'));
  assert.is(schema.$defs.size.pattern, SIZE_PATTERN);
});

test.run();
