/**
 * The pod side, executed for real: compiled templates' commands run under /bin/sh and python3 with the
 * environment and raw-artifact files Argo would give them (tags substituted as Argo would), and must produce
 * the output parameters the DAG reads: values, wrapped gather values, the switch case, the foreach list, and the
 * `@catch` record. Paths under /flowc are redirected to a temporary directory.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowIR } from '../../../compiler/ir.ts';
import { buildArgoManifests } from '../../../targets/argo/index.ts';
import type { Template } from '../../../targets/argo/manifest-types.ts';
import { bracesIr } from './braces.ts';
import { argoCases, compileFlow } from './cases.ts';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import { SPILL_MARKER } from '../../../targets/argo/pod.ts';

const cases = argoCases();
const irOf = (name: string): FlowIR => structuredClone(cases.find((c) => c.name === name)!.ir);

/** A flow's templates by name, each with the workflow's parameter defaults (the pod programs among them). */
function templatesOf(ir: FlowIR, config: FlowcConfig = {}): Map<string, PodTemplate> {
  const { manifests, diagnostics } = buildArgoManifests(ir, { config, sourceFile: ir.source.file });
  assert.equal(diagnostics, []);
  const spec = manifests[0].spec as { templates: Template[]; arguments?: { parameters: { name: string; value?: string }[] } };
  const defaults: Record<string, string> = {};
  for (const p of spec.arguments?.parameters ?? []) if (p.value !== undefined) defaults[p.name] = p.value;
  return new Map(spec.templates.map((t) => [t.name, { ...t, workflowDefaults: defaults }]));
}

type PodTemplate = Template & { workflowDefaults: Record<string, string> };

interface RunResult {
  status: number;
  outputs: Record<string, string>;
  /** The output artifacts the pod wrote (by artifact name), as the executor would upload them. */
  artifacts: Record<string, string>;
  stdout: string;
  stderr: string;
}

/**
 * Runs a container template's command as Argo would, with `inputs` and `workflow` parameters substituted; workflow
 * parameters not given keep the manifest's defaults, as the pod programs do (Argo substitutes them into `env`).
 */
function runTemplate(t: PodTemplate, inputs: Record<string, string>, overrides: Record<string, string> = {}, inputArtifacts: Record<string, string> = {}): RunResult {
  const workflow = { ...t.workflowDefaults, ...overrides };
  const root = mkdtempSync(join(tmpdir(), 'flowc-argo-pod-'));
  const remap = (p: string) => p.replace(/^\/flowc\//, `${root}/`);
  const subst = (text: string) =>
    text.replace(/\{\{([^{}]+)\}\}/g, (_, ref: string) => {
      const [a, b, c] = ref.split('.');
      if (a === 'inputs' && b === 'parameters') return inputs[c];
      if (a === 'workflow' && b === 'parameters') {
        if (!(c in workflow)) throw new Error(`Workflow parameter '${c}' has no value.`);
        return workflow[c];
      }
      const globals: Record<string, string> = { 'workflow.name': 'wf-1', 'pod.name': 'pod-1', retries: '0' };
      if (!(ref in globals)) throw new Error(`Unexpected tag '${ref}'.`);
      return globals[ref];
    });
  for (const art of t.inputs?.artifacts ?? []) {
    if (!art.raw) {
      // An S3 input artifact: placed when given, else absent (allowed only when optional, as Argo does).
      if (art.name in inputArtifacts) {
        mkdirSync(dirname(remap(art.path!)), { recursive: true });
        writeFileSync(remap(art.path!), inputArtifacts[art.name]);
      } else if (!art.optional) throw new Error(`Input artifact '${art.name}' not given.`);
      continue;
    }
    const path = remap(art.path!);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, subst(art.raw.data));
  }
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', FLOWC_ARGO_DIR: `${root}/argo`, FLOWC_GATHER_DIR: `${root}/gather`, FLOWC_SPILL_DIR: `${root}/spill` };
  for (const e of t.container!.env ?? []) if (e.value !== undefined) env[e.name] = remap(subst(e.value));
  const [cmd, ...args] = t.container!.command;
  let status = 0;
  let stdout = '';
  let stderr = '';
  try {
    stdout = execFileSync(cmd, args, { env, cwd: root, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  } catch (e) {
    status = (e as { status: number }).status;
    stdout = String((e as { stdout?: string }).stdout ?? '');
    stderr = String((e as { stderr?: string }).stderr ?? '');
  }
  const artifacts: Record<string, string> = {};
  for (const a of t.outputs?.artifacts ?? []) {
    const path = remap(a.path!);
    if (existsSync(path)) artifacts[a.name] = readFileSync(path, 'utf8');
  }
  const outputs: Record<string, string> = {};
  for (const p of t.outputs?.parameters ?? []) {
    const path = remap(p.valueFrom!.path!);
    if (existsSync(path)) outputs[p.name] = readFileSync(path, 'utf8');
  }
  return { status, outputs, artifacts, stdout, stderr };
}

test('genres: start writes its list and the foreach items', () => {
  const t = templatesOf(irOf('sample-genres'));
  const r = runTemplate(t.get('start')!, {}, { region: 'eu-west-1', limit: '100' });
  assert.is(r.status, 0);
  assert.is(r.outputs.genres, '["drama","comedy","horror"]');
  assert.equal(JSON.parse(r.outputs['flowc-foreach']), [
    { index: 0, value: 'drama' },
    { index: 1, value: 'comedy' },
    { index: 2, value: 'horror' },
  ]);
});

test('genres: a foreach task reads its element and a parameter, and wraps its output for the gather', () => {
  const t = templatesOf(irOf('sample-genres'));
  const r = runTemplate(t.get('count')!, { genre: 'drama', 'flowc-index': '0' }, { limit: '30' });
  assert.is(r.status, 0);
  assert.equal(JSON.parse(r.outputs.stats), { genre: 'drama', count: 30 });
  assert.equal(JSON.parse(r.outputs['stats-gather']), { v: { genre: 'drama', count: 30 } });
});

test('genres: the join unwraps aggregated values, whether Argo left them as strings or parsed them', () => {
  const t = templatesOf(irOf('sample-genres'));
  const items = [{ v: { genre: 'drama', count: 50 } }, { v: { genre: 'comedy', count: 60 } }];
  for (const stats of [JSON.stringify(items.map((i) => JSON.stringify(i))), JSON.stringify(items)]) {
    const r = runTemplate(t.get('tally')!, { stats });
    assert.is(r.status, 0);
    assert.is(r.outputs.best, 'comedy');
  }
});

test('genres: the switch writes the index of the case taken, comparing exactly', () => {
  const t = templatesOf(irOf('sample-genres'));
  assert.is(runTemplate(t.get('decide')!, { best: 'drama' }).outputs['flowc-case'], '0');
  assert.is(runTemplate(t.get('decide')!, { best: 'comedy' }).outputs['flowc-case'], '1');
  assert.is(runTemplate(t.get('decide')!, { best: `drama' || '1` }).outputs['flowc-case'], '1');
});

test('switch: a run "..." string output written with a trailing newline is read back as text', () => {
  const t = templatesOf(irOf('sample-switch'));
  const r = runTemplate(t.get('careful')!, {});
  assert.is(r.status, 0);
  assert.is(r.outputs.report, 'canary first');
});

test('a hostile parameter value reaches the step unchanged and runs nothing', () => {
  const t = templatesOf(irOf('sample-switch'));
  const hostile = `'; touch pwned #{{workflow.name}}`;
  const r = runTemplate(t.get('start')!, {}, { environment: hostile });
  assert.is(r.status, 0);
  assert.is(r.outputs.target, hostile);
  assert.is(r.outputs['flowc-case'], '2');
});

test('a missing or mistyped output fails the task', () => {
  const ir = irOf('sample-branches');
  ir.steps[0].body = { kind: 'script', language: 'python', source: 'x = "not an int"' };
  assert.is(runTemplate(templatesOf(ir).get('start')!, {}).status, 1);
  ir.steps[0].body = { kind: 'shell', command: { text: 'true', parts: [{ kind: 'text', text: 'true' }] } };
  assert.is(runTemplate(templatesOf(ir).get('start')!, {}).status, 1);
});

test('@catch: a failing step succeeds on its last attempt, with the failure recorded', () => {
  const ir = irOf('sample-switch');
  const careful = ir.steps.find((s) => s.name === 'careful')!;
  careful.body = { kind: 'shell', command: { text: 'exit 3', parts: [{ kind: 'text', text: 'exit 3' }] } };
  careful.catch = { var: 'failure' };
  careful.retry = null;
  const r = runTemplate(templatesOf(ir).get('careful')!, {});
  assert.is(r.status, 0);
  assert.equal(JSON.parse(r.outputs.failure), { step: 'careful', exitCode: 3 });
  assert.is(r.outputs.report, undefined);
  // With retries left (`{{retries}}` is 0 here, the limit 2), the failure is Argo's to retry.
  careful.retry = { times: 2, delaySeconds: 0 };
  assert.is(runTemplate(templatesOf(ir).get('careful')!, {}).status, 3);
});

test('braces: a python source with {{ runs decoded, f-strings and all', () => {
  const t = templatesOf(bracesIr());
  const r = runTemplate(t.get('start')!, {}, { name: 'world' });
  assert.is(r.status, 0);
  assert.is(r.stdout, '{literal} world\n');
  assert.is(r.outputs.greeting, '{{world}}');
  assert.is(r.outputs.x, '2');
});

test('braces: an sh script with {{ and }} runs decoded, with its inputs and outputs bound', () => {
  const t = templatesOf(bracesIr());
  const r = runTemplate(t.get('shell')!, { greeting: '{{world}}' });
  assert.is(r.status, 0);
  assert.is(r.stdout, '{{literal}} {{world}}\n');
  assert.is(r.outputs.label, '}}{{world}}{{');
});

test('braces: run commands with {{ in their text run decoded, values still never parsed', () => {
  const t = templatesOf(bracesIr());
  const pick = runTemplate(t.get('pick')!, { label: 'x' });
  assert.is(pick.status, 0);
  assert.is(pick.outputs.chosen, '{{literal}}');
  const hostile = `'; touch pwned #{{workflow.name}}`;
  const yes = runTemplate(t.get('yes')!, { label: hostile });
  assert.is(yes.status, 0);
  assert.is(yes.stdout, `{{x}}|${hostile}`);
});

test('braces: a switch case with {{ is compared exactly', () => {
  const t = templatesOf(bracesIr());
  assert.is(runTemplate(t.get('decide')!, { label: '}}{{world}}{{' }).outputs['flowc-case'], '0');
  assert.is(runTemplate(t.get('decide')!, { label: '}}{{world}}{' }).outputs['flowc-case'], '1');
});

test('braces: a decoded script keeps its exit status and its exact bytes', () => {
  const ir = bracesIr();
  const shell = ir.steps.find((s) => s.name === 'shell')!;
  shell.body = { kind: 'script', language: 'sh', source: "printf '%s' '{{é}} \\ $x'\nexit 4 # }}" };
  const r = runTemplate(templatesOf(ir).get('shell')!, { greeting: 'g' });
  assert.is(r.status, 4);
  assert.is(r.stdout, '{{é}} \\ $x');
  const start = ir.steps[0];
  start.body = { kind: 'script', language: 'python', source: 'import sys\nprint("{{ü}}")\nsys.exit(5)' };
  const p = runTemplate(templatesOf(ir).get('start')!, {}, { name: 'n' });
  assert.is(p.status, 5);
  assert.is(p.stdout, '{{ü}}\n');
});

const SPILL_FLOW = `
flow Spill {
  image "python:3.12-slim"
  param rows: int = 310
  step start {
    in rows: int
    out lines: [string]
    out title: string
    python """
      lines = ["x" * 1000 for _ in range(rows)]
      title = "y" * (rows * 1000)
    """
    next count
  }
  step count {
    in lines: [string]
    out n: int
    out size: int
    python "n = len(lines); size = sum(len(l) for l in lines)"
    next shout
  }
  step shout {
    in title: string
    out m: int
    python "m = len(title)"
    next end
  }
  step end {
    in n: int
    in m: int
  }
}
`;
const spillTemplates = (config: FlowcConfig) => templatesOf(compileFlow(SPILL_FLOW, 'spill.flow')[0], config);
const withRepo: FlowcConfig = { argo: { artifactRepository: { bucket: 'b' } } };

test('spill: a 300 KiB value goes to its artifact, a marker to the parameter, and the consumer reads it all', () => {
  const t = spillTemplates(withRepo);
  const produced = runTemplate(t.get('start')!, {}, { rows: '310' });
  assert.is(produced.status, 0, produced.stderr);
  assert.is(produced.outputs.lines, SPILL_MARKER);
  const full = produced.artifacts['lines-spill'];
  assert.ok(full.length > 300 * 1024);
  assert.equal(JSON.parse(full), Array.from({ length: 310 }, () => 'x'.repeat(1000)));
  // Argo passes the parameter (the marker, as a raw artifact) and the optional artifact.
  const consumed = runTemplate(t.get('count')!, { lines: produced.outputs.lines }, {}, { 'lines-spill': full });
  assert.is(consumed.status, 0, consumed.stderr);
  assert.is(consumed.outputs.n, '310');
  assert.is(consumed.outputs.size, String(310 * 1000));
  // A string over the limit spills too, but cannot reach a consumer's environment: a clear failure, not a marker.
  assert.is(produced.outputs.title, SPILL_MARKER);
  const shout = runTemplate(t.get('shout')!, { title: produced.outputs.title }, {}, { 'title-spill': produced.artifacts['title-spill'] });
  assert.is(shout.status, 1);
  assert.match(shout.stderr, /larger than Argo's parameter limit/);
});

test('spill: small values stay in the parameter, with no artifact, and the consumer reads them as before', () => {
  const t = spillTemplates(withRepo);
  const produced = runTemplate(t.get('start')!, {}, { rows: '3' });
  assert.is(produced.status, 0, produced.stderr);
  assert.equal(produced.artifacts, {});
  assert.equal(JSON.parse(produced.outputs.lines), ['x'.repeat(1000), 'x'.repeat(1000), 'x'.repeat(1000)]);
  const consumed = runTemplate(t.get('count')!, { lines: produced.outputs.lines });
  assert.is(consumed.status, 0, consumed.stderr);
  assert.is(consumed.outputs.n, '3');
});

test('spill: a gathered value too large to pass fails its task, saying so', () => {
  const ir = irOf('sample-genres');
  const count = ir.steps.find((s) => s.name === 'count')!;
  count.body = { kind: 'script', language: 'python', source: 'stats = {"genre": genre, "count": 1, "pad": "x" * 200000}' };
  const r = runTemplate(templatesOf(ir, withRepo).get('count')!, { genre: 'drama', 'flowc-index': '0' }, { limit: '30' });
  assert.is(r.status, 1);
  assert.match(r.stderr, /when it is gathered/);
});

test('spill: without an artifact repository a large value stays in the parameter (the run fails in Argo, as documented)', () => {
  const t = spillTemplates({});
  assert.ok(!JSON.stringify([...t.values()]).includes('-spill'));
  const produced = runTemplate(t.get('start')!, {}, { rows: '310' });
  assert.is(produced.status, 0, produced.stderr);
  assert.is(produced.outputs.lines.length, JSON.stringify(Array.from({ length: 310 }, () => 'x'.repeat(1000))).length);
});

test.run();
