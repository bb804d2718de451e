/**
 * The editor shows exactly what `flowc check` prints: every case file and sample is checked by the CLI
 * (`--format json`, 1-based) and, in the server (0-based), both checked from disk unopened (workspace
 * diagnostics) and opened; the diagnostics must match one for one:
 * code, severity, message and range.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from '../helpers/golden.ts';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ensureBundle, startClient } from './client.ts';

function flowFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) flowFiles(p, out);
    else if (name.endsWith('.flow')) out.push(p);
  }
  return out;
}

interface CliDiagnostic {
  file: string;
  code: string;
  severity: string;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

test('LSP diagnostics (of files never opened, and opened) equal flowc check --format json', async () => {
  ensureBundle();
  const files = [...flowFiles(join(repoRoot, 'test', 'cases')), ...flowFiles(join(repoRoot, 'samples'))].map((f) => relative(repoRoot, f));
  const cli = spawnSync(process.execPath, ['bin/flowc.js', 'check', '--format', 'json', ...files], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 << 20 });
  const report = JSON.parse(cli.stdout) as { diagnostics: CliDiagnostic[] };
  const expected = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const d of report.diagnostics) {
    if (!expected.has(d.file)) continue; // flowc.yaml problems are published on flowc.yaml, checked elsewhere.
    expected.get(d.file)!.push(`${d.line - 1}:${d.column - 1}-${d.endLine - 1}:${d.endColumn - 1} ${d.severity}[${d.code}] ${d.message}`);
  }
  assert.ok(report.diagnostics.length > 20, `Only ${report.diagnostics.length} diagnostics to compare.`);
  const client = await startClient({ rootUri: pathToFileURL(repoRoot).href });
  const severities = ['', 'error', 'warning', 'info', 'hint'];
  const render = (res: PublishDiagnosticsParams) =>
    res.diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${severities[d.severity ?? 1]}[${d.code}] ${d.message}`);
  try {
    // Never opened: the server checks the workspace folder's files from disk.
    for (const file of files) {
      const res = await client.diagnosticsFor(pathToFileURL(join(repoRoot, file)).href, undefined, 60_000);
      assert.equal(render(res), expected.get(file), `${file} (from disk)`);
    }
    for (const file of files) {
      const uri = pathToFileURL(join(repoRoot, file)).href;
      const pending = client.nextDiagnostics(uri);
      client.open(uri, readFileSync(join(repoRoot, file), 'utf8'));
      const res = await pending;
      assert.equal(render(res), expected.get(file), file);
      client.close(uri);
    }
  } finally {
    await client.stop();
  }
});

test.run();
