/**
 * The task protocol, executed for real: commands built by targets/protocol run under /bin/sh and python3 with
 * hostile values, and must pass them through unchanged.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { StepIR, TemplateIR } from '../../../compiler/ir.ts';
import { decodeValueFile, inVar, outVar, resolveArgv, taskCommand } from '../../../targets/protocol/index.ts';

const hostile = `x; rm -rf / #'"$(touch pwned)\`id\` {{workflow.name}}\nline2`;

function tpl(...parts: (string | { scope: 'in' | 'out' | 'param'; name: string })[]): TemplateIR {
  return {
    text: '',
    parts: parts.map((p) => (typeof p === 'string' ? { kind: 'text' as const, text: p } : { kind: 'ref' as const, ...p, storage: 'value' as const })),
  };
}

function runTask(step: Pick<StepIR, 'body' | 'inputs' | 'outputs'>, values: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'flowc-proto-'));
  mkdirSync(join(dir, 'in'));
  mkdirSync(join(dir, 'out'));
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', FLOWC_TASK_DIR: dir };
  for (const i of step.inputs) {
    if (i.storage === 'value') env[inVar(i.name)] = values[i.name];
    else {
      writeFileSync(join(dir, 'in', i.name), values[i.name]);
      env[inVar(i.name)] = join(dir, 'in', i.name);
    }
  }
  for (const o of step.outputs) env[outVar(o.name)] = join(dir, 'out', o.name);
  const cmd = taskCommand(step);
  const stdout = execFileSync(cmd.argv[0], cmd.argv.slice(1), { cwd: dir, env: { ...env, ...cmd.env }, encoding: 'utf8' });
  const out = (name: string) => readFileSync(join(dir, 'out', name), 'utf8');
  return { dir, stdout, out, env };
}

const src = { file: 't.flow', span: { start: 0, end: 0 } };
const input = (name: string, kind: 'string' | 'int' | 'json' = 'string') => ({
  name,
  type: { kind } as const,
  storage: kind === 'json' ? ('json' as const) : ('value' as const),
  from: { kind: 'param' as const, param: name },
  source: src,
});
const output = (name: string, kind: 'string' | 'int' | 'json' = 'string') => ({ name, type: { kind } as const, storage: kind === 'json' ? ('json' as const) : ('value' as const), source: src });

test('run "..." passes a hostile value as one word and runs nothing else', () => {
  const step = { body: { kind: 'shell' as const, command: tpl('printf %s ', { scope: 'in', name: 'x' }, ' > ', { scope: 'out', name: 'y' }) }, inputs: [input('x')], outputs: [output('y')] };
  const r = runTask(step, { x: hostile });
  assert.is(decodeValueFile({ kind: 'string' }, r.out('y')), hostile);
  assert.not.ok(r.stdout.includes('uid='));
});

test('run [...] keeps each argument one word, in containers and in-process alike', () => {
  const args = [tpl('printf'), tpl('[%s]'), tpl('--v=', { scope: 'in', name: 'x' }), tpl("it's")];
  const step = { body: { kind: 'argv' as const, args }, inputs: [input('x')], outputs: [] };
  const r = runTask(step, { x: hostile });
  assert.is(r.stdout, `[--v=${hostile}][it's]`);
  assert.equal(resolveArgv(args, r.env), ['printf', '[%s]', `--v=${hostile}`, "it's"]);
});

test('python scripts bind inputs as variables and read outputs back', () => {
  const step = {
    body: { kind: 'script' as const, language: 'python' as const, source: 'n = len(x) + k\nd = {"x": x, "items": items}' },
    inputs: [input('x'), input('k', 'int'), input('items', 'json')],
    outputs: [output('n', 'int'), output('d', 'json')],
  };
  const r = runTask(step, { x: hostile, k: '2', items: '[1,2,3]' });
  assert.is(decodeValueFile({ kind: 'int' }, r.out('n')), hostile.length + 2);
  assert.equal(decodeValueFile({ kind: 'json' }, r.out('d')), { x: hostile, items: [1, 2, 3] });
});

test('sh scripts see inputs as shell variables and set outputs', () => {
  const step = { body: { kind: 'script' as const, language: 'sh' as const, source: 'y="got:$x"' }, inputs: [input('x')], outputs: [output('y')] };
  const r = runTask(step, { x: hostile });
  assert.is(decodeValueFile({ kind: 'string' }, r.out('y')), `got:${hostile}`);
});

test('an sh script that leaves an output unset fails', () => {
  const step = { body: { kind: 'script' as const, language: 'sh' as const, source: 'true' }, inputs: [], outputs: [output('y')] };
  assert.throws(() => runTask(step, {}));
});

test('decoding string outputs: JSON string literal or raw text', () => {
  assert.is(decodeValueFile({ kind: 'string' }, '"a\\nb"'), 'a\nb');
  assert.is(decodeValueFile({ kind: 'string' }, 'plain text\n'), 'plain text');
  assert.is(decodeValueFile({ kind: 'int' }, ' 42\n'), 42);
  assert.throws(() => decodeValueFile({ kind: 'int' }, 'forty'), /expected a JSON value of type 'int' but found 'forty'/);
});

test.run();
