/**
 * Properties of the Argo target that goldens alone do not pin down: hostile parameter values leave every
 * container command unchanged, the validator catches broken manifests (so the validity tests can fail), and
 * Argo-only problems are reported as diagnostics with spans.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import type { FlowIR, JsonValue } from '../../../compiler/ir.ts';
import { buildArgo, buildArgoManifests } from '../../../targets/argo/index.ts';
import { PYTHON_B64_BOOT, SH_B64_LOADER } from '../../../targets/argo/pod.ts';
import { BRACES_FILE, BRACES_MARKERS, bracesIr } from './braces.ts';
import { argoCases } from './cases.ts';
import { validateArgoManifest } from './validate.ts';

const cases = argoCases();
const HOSTILE = [`'; rm -rf / #`, '{{workflow.name}}', '$(touch /pwned)`id`\n"\\'];

type Doc = { kind: string; spec: { templates?: { name: string; container?: { command: string[] } }[]; workflowSpec?: unknown } };

function commands(ir: FlowIR): Record<string, string[]> {
  const res = buildArgo(ir, { config: {}, sourceFile: ir.source.file });
  assert.equal(res.diagnostics.filter((d) => d.severity === 'error'), []);
  const out: Record<string, string[]> = {};
  for (const doc of parseAllDocuments(res.stdout).map((d) => d.toJS() as Doc)) {
    for (const t of doc.spec.templates ?? []) {
      if (!t.container) continue;
      out[`${doc.kind}/${t.name}`] = t.container.command;
      // No Argo tag in a command: Argo would substitute a value there, and a shell would parse it.
      for (const word of t.container.command) assert.not.ok(word.includes('{{'), `${t.name}: a command contains an Argo tag`);
    }
  }
  return out;
}

function withDefaults(ir: FlowIR, value: string): FlowIR {
  const copy = structuredClone(ir);
  for (const p of copy.params) {
    const hostile: JsonValue = p.type.kind === 'string' ? value : p.type.kind === 'json' ? { v: value } : p.type.kind === 'list' ? [value] : (p.default ?? null);
    p.default = hostile;
    p.required = false;
  }
  return copy;
}

for (const c of cases.filter((x) => x.ir.params.length > 0)) {
  test(`${c.name}: hostile parameter values leave every container command unchanged`, () => {
    const before = commands(c.ir);
    for (const value of HOSTILE) {
      const ir = withDefaults(c.ir, value);
      assert.equal(commands(ir), before);
      // Stronger: the value changes only the workflow's arguments and the run's IR the first step carries in its
      // environment (compressed), never anything else in a template.
      const data = new Set(['FLOWC_RUN_INFO']);
      const templatesOf = (x: FlowIR) =>
        JSON.stringify(buildArgoManifests(x, { config: {}, sourceFile: c.file }).manifests.map((m) => (m.spec as Doc['spec']).templates), (k, v: unknown) =>
          k === 'env' && Array.isArray(v) ? v.filter((e: { name: string }) => !data.has(e.name)) : v,
        );
      assert.is(templatesOf(ir), templatesOf(c.ir));
    }
  });
}

test('hostile switch case values never reach a when condition', () => {
  const sw = cases.find((c) => c.ir.steps.some((s) => s.next.kind === 'switch'))!;
  const ir = structuredClone(sw.ir);
  for (const s of ir.steps) if (s.next.kind === 'switch') for (const cs of s.next.cases) cs.value = `x' || true || '{{workflow.name}}`;
  const { manifests } = buildArgoManifests(ir, { config: {}, sourceFile: sw.file });
  const whens = JSON.stringify(manifests).match(/"when":"[^"]*"/g) ?? [];
  assert.ok(whens.length > 0);
  for (const w of whens) assert.match(w, /^"when":"(\{\{tasks\.[a-z0-9-]+\.outputs\.parameters\.flowc-case\}\} == \d+( && )?)+"$/);
});

// The validator must be able to fail: each mutation of a valid manifest is caught.
const base = (() => {
  const c = cases.find((x) => x.name === 'sample-genres') ?? cases[0];
  return buildArgoManifests(c.ir, { config: {}, sourceFile: c.file }).manifests[0] as unknown as Record<string, any>;
})();
const mutations: [string, (d: any) => void, RegExp][] = [
  ['a misspelt field', (d) => (d.spec.templates.find((t: any) => t.container).container.imagee = 'x'), /additional properties 'imagee'/],
  ['a wrong type', (d) => (d.spec.entrypoint = 3), /must be string/],
  ['an unknown template reference', (d) => (d.spec.templates[0].dag.tasks[0].template = 'nope'), /template 'nope' does not exist/],
  ['an unknown depends target', (d) => (d.spec.templates[0].dag.tasks[1].depends = 'ghost'), /depends on unknown task 'ghost'/],
  ['a cycle', (d) => (d.spec.templates[0].dag.tasks[0].depends = d.spec.templates[0].dag.tasks.at(-1).name), /dependency cycle/],
  ['an unknown input parameter', (d) => (d.spec.templates.at(-1).container.env[0].value = '{{inputs.parameters.nope}}'), /unknown input parameter 'nope'/],
  ['an unknown workflow parameter', (d) => (d.spec.templates.at(-1).container.env[0].value = '{{workflow.parameters.nope}}'), /unknown workflow parameter 'nope'/],
  ['an unknown task output', (d) => (d.spec.templates[0].dag.tasks.at(-1).when = '{{tasks.start.outputs.parameters.nope}} == 1'), /has no output parameter 'nope'/],
  ['a reference to a non-ancestor', (d) => (d.spec.templates[0].dag.tasks[0].when = '{{tasks.decide.outputs.parameters.flowc-case}} == 1'), /not an ancestor/],
  ['item outside a loop', (d) => (d.spec.templates[0].dag.tasks[0].when = '{{item}} == 1'), /item outside a loop/],
  ['an unknown variable', (d) => (d.spec.templates.at(-1).container.env[0].value = '{{steps.x.outputs.result}}'), /unknown variable/],
  ['a missing argument', (d) => delete d.spec.templates[0].dag.tasks.find((t: any) => t.arguments).arguments, /does not pass parameter/],
  ['a bad expression reference', (d) => (d.spec.templates[0].dag.tasks.at(-1).when = "{{=tasks['ghost'].outputs.parameters.x}}"), /unknown task 'ghost'/],
];
test('the validator accepts the unmutated manifest', () => {
  assert.equal(validateArgoManifest(base), []);
});
for (const [what, mutate, expected] of mutations) {
  test(`the validator catches ${what}`, () => {
    const doc = structuredClone(base);
    mutate(doc);
    const problems = validateArgoManifest(doc);
    assert.ok(problems.some((p) => expected.test(p)), `expected ${expected} in:\n${problems.join('\n')}`);
  });
}

// The Argo target's own check (targets/argo/check.ts) runs in analysis and again on the IR a build is given.
function diag(ir: FlowIR, config = {}) {
  return buildArgo(ir, { config, sourceFile: ir.source.file });
}
const train = cases.find((c) => c.name === 'sample-train')!.ir;

test('resources over argo.limits are errors at the step, and nothing is emitted', () => {
  const res = diag(train, { argo: { limits: { gpu: 1, memoryMiB: 32768 } } });
  const codes = res.diagnostics.map((d) => d.code);
  assert.equal(codes, ['resources-exceed-limits', 'resources-exceed-limits']);
  const step = train.steps.find((s) => s.name === 'train')!;
  assert.is(res.diagnostics[0].start, step.source.span.start);
  assert.match(res.diagnostics[0].message, /Step 'train' asks for 65536MiB memory, but the largest argo node in flowc.yaml has 32768MiB/);
  assert.is(res.stdout, '');
  assert.equal(res.files, []);
});

test('names that collide after mangling are errors with the other name related', () => {
  const ir = JSON.parse(JSON.stringify(train).replaceAll('"evaluate"', '"train_"')) as FlowIR;
  const res = diag(ir);
  assert.equal(res.diagnostics.map((d) => d.code), ['name-collision']);
  assert.ok(res.diagnostics[0].related?.length === 1);
});

test("with argo.notify, a step named like the exit handler's DAG collides with it", () => {
  const ir = JSON.parse(JSON.stringify(train).replaceAll('"evaluate"', '"flowc_on_exit"')) as FlowIR;
  assert.equal(diag(ir).diagnostics, []);
  const res = diag(ir, { argo: { notify: { webhook: { secret: 'ops-hooks', key: 'slack' } } } });
  assert.equal(res.diagnostics.map((d) => d.code), ['name-collision']);
  assert.match(res.diagnostics[0].message, /the exit handler's DAG \(argo\.notify\)/);
});

test('a scheduled flow whose CronWorkflow name is too long is an error', () => {
  const ir = structuredClone(train);
  ir.name = 'TrainModelWithAVeryLongNameThatGoesOnAndOnAndOnForever';
  const res = diag(ir);
  assert.equal(res.diagnostics.map((d) => d.code), ['name-too-long']);
  assert.equal([res.diagnostics[0].start, res.diagnostics[0].end], [ir.source.span.start, ir.source.span.end]);
});

test("'{{' in an @env value and a missing image are errors", () => {
  const ir = structuredClone(train);
  const start = ir.steps[0];
  start.env = [{ name: 'GREETING', value: 'hello {{name}}' }];
  start.image = null;
  const res = diag(ir);
  assert.equal(res.diagnostics.map((d) => d.code).sort(), ['argo-missing-image', 'argo-template-braces']);
  assert.match(res.diagnostics.find((d) => d.code === 'argo-template-braces')!.message, /@env 'GREETING'.*@secrets.*parameter/);
});

/** Every Argo tag in a string as Argo's template engine finds them: from each `{{` to the next `}}`. */
function tagsIn(text: string): string[] {
  const tags: string[] = [];
  for (let i = text.indexOf('{{'); i >= 0; i = text.indexOf('{{', i + 2)) {
    const end = text.indexOf('}}', i + 2);
    tags.push(end < 0 ? text.slice(i) : text.slice(i, end + 2));
    if (end < 0) break;
    i = end;
  }
  return tags;
}
const FLOWC_TAG = /^\{\{(workflow\.name|workflow\.status|workflow\.failures|pod\.name|retries|workflow\.parameters\.[a-z0-9-]+|inputs\.parameters\.[A-Za-z0-9_-]+|tasks\.[a-z0-9-]+\.outputs\.(parameters|artifacts)\.[A-Za-z0-9_-]+|item(\.(value|index))?|=[^{}]*)\}\}$/;

function walkStrings(v: unknown, path: string, visit: (text: string, path: string) => void): void {
  if (typeof v === 'string') visit(v, path);
  else if (Array.isArray(v)) v.forEach((e, i) => walkStrings(e, `${path}[${i}]`, visit));
  else if (v && typeof v === 'object') for (const [k, e] of Object.entries(v)) walkStrings(e, `${path}.${k}`, visit), visit(k, `${path}.${k} (key)`);
}

test('{{ and }} in scripts, commands and switch cases build, and no author brace reaches any manifest field', () => {
  const ir = bracesIr();
  for (const kind of ['template', 'workflow'] as const) {
    const { manifests, diagnostics } = buildArgoManifests(ir, { config: {}, sourceFile: BRACES_FILE, kind });
    assert.equal(diagnostics, []);
    for (const doc of manifests) {
      assert.equal(validateArgoManifest(doc), [], `${doc.kind} is valid`);
      walkStrings(doc, doc.kind as string, (text, path) => {
        for (const tag of tagsIn(text)) assert.match(tag, FLOWC_TAG, `${path}: '${tag}' is not one of flowc's own tags`);
        for (const m of BRACES_MARKERS) assert.not.ok(text.includes(m), `${path}: author text '${m}' reaches the manifest readably`);
      });
    }
  }
  // Sources without braces keep their readable form.
  const plain = buildArgoManifests(train, { config: {}, sourceFile: 'samples/train.flow' }).manifests;
  const plainText = JSON.stringify(plain);
  for (const loader of [PYTHON_B64_BOOT, SH_B64_LOADER]) assert.not.ok(plainText.includes(JSON.stringify(loader).slice(1, -1)));
});

test('every Argo code is in the catalogue with docs', async () => {
  const { argoCodes } = await import('../../../diagnostics/catalog/argo.ts');
  for (const [code, entry] of Object.entries(argoCodes)) {
    assert.match(code, /^argo-[a-z0-9-]+$/);
    assert.ok(entry.summary && entry.doc && entry.example, code);
  }
});

test.run();
