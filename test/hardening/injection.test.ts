/**
 * Injection across targets: parameter and artifact values with shell metacharacters, quotes, newlines and
 * `{{ }}` never change the command a container runs. On Argo and Batch this is checked on the emitted manifests
 * (a hostile parameter default gives the same container commands as a benign one, and the value appears in no
 * Argo command, script or env, nor in any Batch command; on Batch a default may travel as JSON data in an
 * environment variable); on the local runner by running the flow with hostile values and reading the
 * artifacts back unchanged, with no side effect on disk.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import type { FlowIR } from '../../compiler/ir.ts';
import { lower } from '../../compiler/lower.ts';
import { buildArgoManifests } from '../../targets/argo/index.ts';
import { buildBatch } from '../../targets/batch/index.ts';
import { CONFIG } from '../targets/batch/helpers.ts';
import { assertClean, runFlowc, tempProject } from './run-flowc.ts';

const HOSTILE = [
  'x; touch pwned #',
  '$(touch pwned)',
  '`touch pwned`',
  `it's "quoted" \\ back\\slash`,
  'line one\nline two\r\n',
  '{{workflow.name}} {{inputs.parameters.s}} {{=sprig.env("HOME")}}',
  '{{in.s}} {{out.t}} {{param.s}}',
  '${FLOWC_IN_s} $HOME %s %n',
  '&& | > /etc/passwd < /dev/zero &',
];

/** A flow whose steps pass `s` through a shell command, an argv body and a script, with hostile `value` as the default. */
function flowText(value: string): string {
  return `flow Inj {
  image "python:3.12-slim"
  param s: string = ${JSON.stringify(value)}
  step start {
    in s: string
    out t: string
    run "printf '%s' {{in.s}} > {{out.t}}"
    next b
  }
  step b {
    in s: string
    in t: string
    out u: string
    run ["sh", "-c", "printf '%s|%s' \\"$1\\" \\"$2\\" > \\"$3\\"", "x", "{{in.s}}", "{{in.t}}", "{{out.u}}"]
    next c
  }
  step c {
    in u: string
    out v: string
    python "v = u"
    next end
  }
  step end {
    in v: string
  }
}
`;
}

function irOf(value: string): FlowIR {
  const analysis = analyze(flowText(value), { file: 'inj.flow', config: CONFIG });
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors.map((d) => d.message), [], `the flow checks with default ${JSON.stringify(value)}`);
  return lower(analysis)[0];
}

type Obj = Record<string, unknown>;

/** Every container's command, args, script and env of the Argo manifests, by template name. */
function argoCommands(ir: FlowIR): Record<string, unknown> {
  const { manifests } = buildArgoManifests(ir, { config: CONFIG, sourceFile: 'inj.flow' });
  const out: Record<string, unknown> = {};
  for (const m of manifests as unknown as Obj[]) {
    const spec = (m.spec ?? {}) as Obj;
    const templates = ((spec.templates ?? ((spec.workflowSpec as Obj | undefined)?.templates ?? [])) as Obj[]);
    for (const t of templates) {
      const c = (t.container ?? t.script) as Obj | undefined;
      // The run's IR travels compressed in the first step's environment (FLOWC_RUN_INFO): data, like Batch's plan.
      const env = (c?.env as { name: string }[] | undefined)?.filter((e) => e.name !== 'FLOWC_RUN_INFO');
      if (c) out[`${String(m.kind)}/${String(t.name)}`] = { command: c.command, args: c.args, source: c.source, env };
    }
  }
  return out;
}

function batchCommands(ir: FlowIR): Record<string, unknown> {
  const res = buildBatch(ir, { config: CONFIG, sourceFile: 'inj.flow' });
  assert.equal(res.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const out: Record<string, unknown> = {};
  for (const f of res.files.filter((x) => x.path.startsWith('jobdefs/'))) {
    const def = JSON.parse(f.content) as { containerProperties: Obj };
    // A parameter's default may travel as data in an environment variable (JSON); the command must not change.
    out[f.path] = { command: def.containerProperties.command, image: def.containerProperties.image };
  }
  return out;
}

const benign = irOf('benign');

for (const value of HOSTILE) {
  test(`manifests: parameter default ${JSON.stringify(value)} changes no container command`, () => {
    const ir = irOf(value);
    assert.equal(argoCommands(ir), argoCommands(benign), 'Argo containers are the same as with a benign value');
    assert.equal(batchCommands(ir), batchCommands(benign), 'Batch job definitions are the same as with a benign value');
    const emitted = JSON.stringify([argoCommands(ir), batchCommands(ir)]);
    assert.not.ok(emitted.includes(JSON.stringify(value).slice(1, -1)), 'the value appears in no Argo command, script or env, nor in a Batch command');
  });
}

test('local runner: hostile parameter values flow through shell, argv and script steps unchanged, with no side effect', () => {
  const dir = tempProject({ 'inj.flow': flowText('benign') });
  for (const value of HOSTILE.filter((v) => !v.includes('\r'))) {
    const run = runFlowc(['run', 'inj.flow', '--param', `s=${value}`], { cwd: dir, timeoutMs: 60_000 });
    assertClean(run, `run with ${JSON.stringify(value)}`, [0]);
    const t = runFlowc(['get', 'Inj/latest/t'], { cwd: dir });
    const v = runFlowc(['get', 'Inj/latest/v'], { cwd: dir });
    assert.is(t.stdout.replace(/\n$/, ''), value.replace(/\n$/, ''), `t round-trips ${JSON.stringify(value)}`);
    assert.is(v.stdout.replace(/\n$/, ''), `${value}|${value}`.replace(/\n$/, ''), `v round-trips ${JSON.stringify(value)}`);
    assert.equal(readdirSync(dir).filter((f) => f.includes('pwned')), []);
    assert.not.ok(existsSync(join(dir, 'pwned')));
  }
});

test.run();
