/** `action.yml`: a well-formed composite action whose scripts never interpolate `${{ }}` (no script injection). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { repoRoot } from '../helpers/golden.ts';

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  shell?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Action {
  name: string;
  description: string;
  inputs: Record<string, { description: string; default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;

function actionStep(name: string): Step {
  const step = action.runs.steps.find((s) => s.name === name);
  if (!step) throw new Error(`action.yml has no step '${name}'.`);
  return step;
}

test('a composite action with described inputs', () => {
  assert.is(action.runs.using, 'composite');
  assert.ok(action.name && action.description);
  for (const [name, input] of Object.entries(action.inputs)) assert.ok(input.description, `input ${name} has a description`);
  for (const name of ['paths', 'max-warnings', 'deny-warnings', 'build-check', 'diff']) assert.ok(name in action.inputs, name);
});

test('every run step names its shell and keeps expressions out of the script', () => {
  for (const step of action.runs.steps) {
    if (step.uses) continue;
    assert.is(step.shell, 'bash', `${step.name} has shell: bash`);
    assert.not.match(step.run ?? '', /\$\{\{/, `${step.name}: inputs reach the script through env only`);
  }
});

test('inputs used in env exist', () => {
  const text = readFileSync(join(repoRoot, 'action.yml'), 'utf8');
  for (const m of text.matchAll(/inputs\.([a-z-]+)/g)) assert.ok(m[1] in action.inputs, `input '${m[1]}' is declared`);
});

test('the check step runs `check --format github`', () => {
  assert.match(actionStep('flowc check').run ?? '', 'check --format github');
  assert.match(actionStep('flowc build --check').run ?? '', '--check');
  assert.match(actionStep('flowc diff').run ?? '', '--format markdown');
});

test.run();
