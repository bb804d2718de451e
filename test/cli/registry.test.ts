/**
 * The CLI reads its targets from the registry (`targets/registry.ts`): `flowc build --target` takes the targets
 * that build (graph among them, local not), `flowc resume --target` those that run here or resume remotely, and
 * the help of both lists exactly those.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { run } from '../../cli/main.ts';
import type { CliIO } from '../../cli/io.ts';
import { buildTargets, resumeTargets } from '../../targets/registry.ts';

const home = mkdtempSync(join(tmpdir(), 'flowc-registry-'));
const flowFile = join(home, 'tiny.flow');
writeFileSync(flowFile, 'flow Tiny {\n  step start { next work }\n  step work { next end }\n  step end {}\n}\n');

async function flowc(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: home, env: { FLOWC_HOME: home, HOME: home }, isTTY: false };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

test('the build and resume target lists come from the registry', () => {
  assert.equal(buildTargets.map((t) => t.name), ['ir', 'argo', 'batch', 'graph']);
  assert.equal(resumeTargets.map((t) => t.name), ['argo', 'batch', 'local']);
});

test('build --help and resume --help list the registry targets', async () => {
  assert.match((await flowc(['build', '--help'])).stdout, '--target ir|argo|batch|graph');
  assert.match((await flowc(['resume', '--help'])).stdout, '--target argo|batch|local');
});

test('build --target graph prints the DAG (as flowc graph does); --target local does not build', async () => {
  const graph = await flowc(['build', flowFile, '--target', 'graph', '--format', 'dot']);
  assert.is(graph.code, 0, graph.stderr);
  assert.is(graph.stdout, (await flowc(['graph', flowFile, '--format', 'dot'])).stdout);
  const local = await flowc(['build', flowFile, '--target', 'local']);
  assert.is(local.code, 2);
  assert.match(local.stderr, "Unknown target 'local'; expected one of ir, argo, batch, graph.");
});

test('--param is for the targets with a hand-started run input; resume refuses a target that cannot resume', async () => {
  const param = await flowc(['build', flowFile, '--target', 'ir', '--param', 'x=1', '--out', join(home, 'out')]);
  assert.is(param.code, 2);
  assert.match(param.stderr, '(argo-params.json for argo, input.json for batch): give --target argo or batch, and --out DIR.');
  const resume = await flowc(['resume', 'Tiny/1', '--target', 'ir']);
  assert.is(resume.code, 2);
  assert.match(resume.stderr, "--target for resume is 'argo', 'batch' or 'local' (the default), got 'ir'.");
});

test.run();
