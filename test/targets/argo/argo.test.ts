/**
 * The Argo target: golden YAML per case, every manifest valid against the vendored schema and Argo's semantic
 * rules, deterministic bytes, and hostile parameter values that leave every container command unchanged.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseAllDocuments } from 'yaml';
import type { FlowIR } from '../../../compiler/ir.ts';
import { buildArgo, buildArgoManifests } from '../../../targets/argo/index.ts';
import type { Manifest, Template } from '../../../targets/argo/manifest-types.ts';
import { joinManifests, serializeManifest } from '../../../targets/argo/serialize.ts';
import { BOOT, EXIT_PROGRAM, FIRST_BOOT, hasTemplateBraces, LOADER_PROGRAM, NOTIFY_EXIT_PROGRAM, RUNTIME_PARAM } from '../../../targets/argo/pod.ts';
import { toYaml } from '../../../targets/argo/yaml.ts';
import { PYTHON_WRAPPER, RUNTIME_ZIP_BASE64 } from '../../../targets/runtime/index.ts';
import type { TargetOptions } from '../../../targets/types.ts';
import { assertGolden, testRoot } from '../../helpers/golden.ts';
import { resumeOnArgo } from '../../../targets/argo/run-by-hand.ts';
import { argoCases, compileFlow } from './cases.ts';
import { schemaPath, validateArgoManifest } from './validate.ts';

const cases = argoCases();
const options = (file: string, extra: Partial<TargetOptions> = {}): TargetOptions => ({ config: {}, sourceFile: file, ...extra });

/** Builds, fails on error diagnostics, and returns the documents parsed back from the YAML stream. */
function buildDocs(ir: FlowIR, opts: TargetOptions): { stdout: string; docs: unknown[] } {
  const res = buildArgo(ir, opts);
  const errors = res.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errors, [], `unexpected diagnostics for ${ir.name}`);
  const docs = opts.format === 'json' ? res.stdout.split(/\n(?=\{)/).map((t) => JSON.parse(t)) : parseAllDocuments(res.stdout).map((d) => d.toJS());
  return { stdout: res.stdout, docs };
}

/**
 * The golden text: the YAML stream with the runtime's own programs (the packed runtime and its loader, which
 * change whenever the runtime does and are tested with it) elided, so goldens show what the Argo target decides.
 */
function goldenText(stdout: string): string {
  let text = stdout;
  for (const [program, name] of [[RUNTIME_ZIP_BASE64, 'the packed task runtime'], [LOADER_PROGRAM.text, "the runtime's loader"]] as const) {
    const docs = parseAllDocuments(text).map((d) => d.toJS() as { spec: { arguments?: { parameters: { name: string; value?: string }[] } } });
    if (!docs.some((d) => d.spec.arguments?.parameters.some((p) => p.value === program))) throw new Error(`${name} is not in the manifest`);
    const texts = docs.map((d) => {
      for (const p of d.spec.arguments?.parameters ?? []) if (p.value === program) p.value = `(${name}, elided)`;
      return serializeManifest(d as unknown as Manifest, 'yaml');
    });
    text = joinManifests(texts, 'yaml');
  }
  return text;
}

function assertValid(docs: unknown[]): void {
  const known = docs.filter((d) => (d as { kind: string }).kind === 'WorkflowTemplate').map((d) => (d as { metadata: { name: string } }).metadata.name);
  for (const doc of docs) {
    const problems = validateArgoManifest(doc, { knownTemplates: known });
    assert.equal(problems, [], `${(doc as { kind: string }).kind} is not valid`);
  }
}

test('the vendored schema is the upstream file, unchanged', () => {
  const sum = createHash('sha256').update(readFileSync(schemaPath)).digest('hex');
  assert.is(sum, '3f84c5722c48a5aa815fe69119a9375fc3635114f8046da20ede55a8596529f5');
});

test('there are cases to build', () => {
  assert.ok(cases.length >= 4);
});

for (const c of cases) {
  test(`${c.name}: golden YAML, valid manifests`, () => {
    const { stdout, docs } = buildDocs(c.ir, options(c.file));
    assertGolden(`baselines/argo/${c.name}.yaml`, goldenText(stdout));
    assertValid(docs);
  });

  test(`${c.name}: as a Workflow and as JSON, valid`, () => {
    const wf = buildDocs(c.ir, options(c.file, { kind: 'workflow' }));
    assert.is((wf.docs[0] as { kind: string }).kind, 'Workflow');
    assertValid(wf.docs);
    const json = buildDocs(c.ir, options(c.file, { format: 'json' }));
    const yaml = buildDocs(c.ir, options(c.file));
    assert.equal(json.docs, yaml.docs);
  });

  test(`${c.name}: deterministic`, () => {
    const a = buildArgo(c.ir, options(c.file));
    const b = buildArgo(structuredClone(c.ir), options(c.file));
    assert.is(a.stdout, b.stdout);
    assert.equal(a.files, b.files);
  });
}

test('flowc.yaml settings: namespace, service account, GPU key, datastore, labels; artifactRepository is deprecated', () => {
  const c = cases.find((x) => x.name === 'sample-train')!;
  const config = {
    datastore: 's3://ml-artifacts/flowc',
    maxWorkers: 40,
    argo: {
      namespace: 'ml',
      serviceAccount: 'flowc-runner',
      gpuResource: 'amd.com/gpu',
      artifactRepository: { bucket: 'ml-artifacts' },
      labels: { team: 'recsys', 'cost-center': 'ml-42' },
      priority: 5,
      gpu: { nodeSelector: { pool: 'gpu' }, tolerations: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] },
    },
  };
  const res = buildArgo(c.ir, options(c.file, { config }));
  assert.equal(res.diagnostics.map((d) => `${d.severity} ${d.code}`), ['warning argo-artifact-repository-deprecated']);
  const { stdout, docs } = buildDocs(c.ir, options(c.file, { config }));
  assertGolden('baselines/argo/config-train.yaml', goldenText(stdout));
  assertValid(docs);
  assert.match(stdout, /amd\.com\/gpu: "2"/);
  assert.match(stdout, /- name: flowc-datastore\n\s+value: s3:\/\/ml-artifacts\/flowc/);
  assert.match(stdout, /serviceAccountName: flowc-runner/);
  // maxWorkers, priority; the GPU step (and only it) is scheduled on the GPU pool and tolerates its taint.
  const spec = (docs[0] as { spec: { parallelism: number; priority: number; templates: Template[] } }).spec;
  assert.is(spec.parallelism, 40);
  assert.is(spec.priority, 5);
  const gpuSteps = spec.templates.filter((t) => t.container?.resources?.limits?.['amd.com/gpu']).map((t) => t.name);
  assert.equal(spec.templates.filter((t) => t.nodeSelector?.pool === 'gpu').map((t) => t.name), gpuSteps);
  assert.ok(gpuSteps.length > 0);
  for (const name of gpuSteps) assert.equal(spec.templates.find((t) => t.name === name)!.tolerations, [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  for (const doc of docs as { metadata: { namespace?: string } }[]) assert.is(doc.metadata.namespace, 'ml');
  // A datastore pods cannot reach is a warning; the parameter then has no default (given at submission).
  const local = buildArgo(c.ir, options(c.file, { config: { datastore: '.flowc' } }));
  assert.equal(local.diagnostics.map((d) => `${d.severity} ${d.code}`), ['warning argo-datastore-not-s3']);
  assert.match(local.stdout, /- name: flowc-datastore\n\s+description:/);
});

test('argo.notify: the exit handler becomes a DAG that runs its pod with continueOn; the webhook URL comes from the secret', () => {
  const c = cases.find((x) => x.name === 'sample-branches')!;
  const build = (on?: ('failure' | 'success')[]) => {
    const config = { datastore: 's3://ml/flowc', argo: { notify: { webhook: { secret: 'ops-hooks', key: 'slack' }, ...(on ? { on } : {}) } } };
    const { docs } = buildDocs(c.ir, options(c.file, { config }));
    assertValid(docs);
    return (docs[0] as { spec: { onExit: string; templates: Template[] } }).spec;
  };
  const spec = build();
  const exit = spec.templates.filter((t) => t.name.startsWith('flowc-') && t.name !== 'flowc-dag');
  assertGolden('baselines/argo/notify-exit.yaml', toYaml({ onExit: spec.onExit, templates: exit }));
  assert.is(spec.onExit, 'flowc-on-exit');
  assert.equal(exit.map((t) => t.name), ['flowc-on-exit', 'flowc-exit']);
  assert.is(exit[0].dag!.tasks[0].when, "'{{workflow.status}}' != 'Succeeded'");
  // With success notifications the pod runs for every outcome; without argo.notify the exit handler is the pod.
  assert.is(build(['failure', 'success']).templates.find((t) => t.name === 'flowc-on-exit')!.dag!.tasks[0].when, undefined);
  const plain = buildDocs(c.ir, options(c.file)).docs[0] as { spec: { onExit: string; templates: Template[] } };
  assert.is(plain.spec.onExit, 'flowc-exit');
  assert.not.ok(plain.spec.templates.some((t) => t.name === 'flowc-on-exit'));
  assert.not.ok(hasTemplateBraces(NOTIFY_EXIT_PROGRAM), 'the program holds a double brace');
});

test("@max_workers: the flow's beats --max-workers and maxWorkers; a bounded foreach fans out in its own template", () => {
  const spec = (name: string, config: TargetOptions['config']) => {
    const c = cases.find((x) => x.name === name)!;
    return (buildDocs(c.ir, options(c.file, { config })).docs[0] as { spec: { parallelism: number; templates: Template[] } }).spec;
  };
  assert.is(spec('sample-genres', {}).parallelism, 100);
  assert.is(spec('sample-genres', { maxWorkers: 50 }).parallelism, 50);
  const bounded = spec('bounded', { maxWorkers: 50 });
  assert.is(bounded.parallelism, 8);
  const byName = new Map(bounded.templates.map((t) => [t.name, t]));
  assert.is(byName.get('start-workers')!.parallelism, 3);
  assert.is(byName.get('row-workers')!.parallelism, 2);
  // The nested one also takes the enclosing task id; each calls the body once per element.
  assert.equal(byName.get('row-workers')!.inputs!.parameters!.map((p) => p.name), ['flowc-count', 'flowc-task']);
  assert.equal(byName.get('row-workers')!.dag!.tasks.map((t) => [t.template, t.withSequence?.count]), [['row-foreach', '{{inputs.parameters.flowc-count}}']]);
  const caller = byName.get('start-foreach')!.dag!.tasks.find((t) => t.name === 'row-foreach')!;
  assert.is(caller.template, 'row-workers');
  assert.is(caller.withSequence, undefined);
  assert.not.ok(bounded.templates.some((t) => t.parallelism !== undefined && !t.name.endsWith('-workers')));
});

test('argo.gang: a PodGroup of minMember N per gang (Volcano or coscheduling), its pods naming it and placed by the gang scheduler; valid', () => {
  const c = cases.find((x) => x.name === 'parallel')!;
  const spec = (gang: NonNullable<TargetOptions['config']['argo']>['gang']) => {
    const { docs } = buildDocs(c.ir, options(c.file, { config: { argo: { gang } } }));
    assertValid(docs);
    const byName = new Map((docs[0] as { spec: { templates: Template[] } }).spec.templates.map((t) => [t.name, t]));
    const group = byName.get('train-podgroup');
    return { byName, group: group && { template: group, object: parseAllDocuments(group.resource!.manifest)[0].toJS() as { apiVersion: string; kind: string; metadata: { generateName: string; labels: Record<string, string> }; spec: Record<string, unknown> } } };
  };
  const volcano = spec({ scheduler: 'volcano', queue: 'training', timeoutSeconds: 60 });
  assert.equal([volcano.group!.object.apiVersion, volcano.group!.object.kind, volcano.group!.object.spec], ['scheduling.volcano.sh/v1beta1', 'PodGroup', { minMember: 2, queue: 'training' }]);
  assert.is(volcano.group!.object.metadata.generateName, 'train-');
  assert.is(volcano.group!.object.metadata.labels['flowc.dev/task'], '{{inputs.parameters.flowc-task}}');
  assert.equal(volcano.group!.template.resource!.setOwnerReference, true);
  assert.equal(volcano.group!.template.outputs, { parameters: [{ name: 'flowc-podgroup', valueFrom: { jsonPath: '{.metadata.name}' } }] });
  const pod = volcano.byName.get('train')!;
  assert.is(pod.schedulerName, 'volcano');
  assert.equal(pod.metadata!.annotations, { 'scheduling.k8s.io/group-name': '{{inputs.parameters.flowc-podgroup}}' });
  const task = volcano.byName.get('start-foreach')!.dag!.tasks.find((t) => t.name === 'train')!;
  assert.is(task.depends, 'train-service && train-podgroup');
  assert.equal(task.arguments!.parameters!.at(-1), { name: 'flowc-podgroup', value: '{{tasks.train-podgroup.outputs.parameters.flowc-podgroup}}' });

  const cosched = spec({ scheduler: 'coscheduling', schedulerName: 'gang-scheduler', queue: 'ignored', timeoutSeconds: 600 });
  assert.equal([cosched.group!.object.apiVersion, cosched.group!.object.spec], ['scheduling.x-k8s.io/v1alpha1', { minMember: 2, scheduleTimeoutSeconds: 600 }]);
  const cpod = cosched.byName.get('train')!;
  assert.is(cpod.schedulerName, 'gang-scheduler');
  assert.is(cpod.metadata!.labels!['scheduling.x-k8s.io/pod-group'], '{{inputs.parameters.flowc-podgroup}}');
  assert.is(cpod.metadata!.annotations, undefined);

  // Without it: no PodGroup, the default scheduler.
  const plain = spec(undefined);
  assert.is(plain.group, undefined);
  assert.is(plain.byName.get('train')!.schedulerName, undefined);
});

test('files: one per manifest kind, named after the flow', () => {
  const c = cases.find((x) => x.name === 'sample-train')!;
  const res = buildArgo(c.ir, options(c.file));
  assert.equal(res.files.map((f) => f.path), ['train-model.workflowtemplate.yaml', 'train-model.cronworkflow.yaml']);
  assert.is(res.stdout, res.files.map((f) => `---\n${f.content}`).join(''));
  const trig = cases.find((x) => x.name === 'switch-in-foreach')!;
  const json = buildArgo(trig.ir, options(trig.file, { format: 'json', kind: 'workflow' }));
  assert.equal(json.files.map((f) => f.path), ['triage.workflow.json', 'triage.sensor.json']);
});

test('the pod programs are written once per manifest, as workflow parameters the steps read into their environment', () => {
  const programs = [LOADER_PROGRAM, { param: RUNTIME_PARAM, env: 'FLOWC_RUNTIME_ZIP', text: RUNTIME_ZIP_BASE64 }];
  for (const text of [...programs.map((p) => p.text), BOOT, FIRST_BOOT, EXIT_PROGRAM]) assert.not.ok(hasTemplateBraces(text), 'a program holds a double brace');
  for (const c of cases) {
    const { manifests } = buildArgoManifests(c.ir, options(c.file));
    const text = JSON.stringify(manifests);
    // The wrapper of python bodies comes from the packed runtime (FLOWC_PY_WRAPPER), never from the manifest.
    assert.not.ok(text.includes(JSON.stringify(PYTHON_WRAPPER).slice(1, -1)), `${c.name}: the python wrapper is in the manifest`);
    const spec = manifests[0].spec as { templates: Template[]; arguments?: { parameters: { name: string; value?: string }[] } };
    const declared = new Map((spec.arguments?.parameters ?? []).map((p) => [p.name, p.value]));
    for (const program of programs) {
      const readers = spec.templates.filter((t) => t.container?.env?.some((e) => e.name === program.env));
      // Declared exactly when some step reads it, and its text appears once in everything emitted.
      assert.is(declared.has(program.param), readers.length > 0, `${c.name}: ${program.param}`);
      if (readers.length === 0) continue;
      assert.is(declared.get(program.param), program.text);
      assert.is(text.split(JSON.stringify(program.text).slice(1, -1)).length - 1, 1, `${c.name}: ${program.param} written more than once`);
      for (const t of readers) assert.equal(t.container!.env!.find((e) => e.name === program.env), { name: program.env, value: `{{workflow.parameters.${program.param}}}` });
    }
  }
});

test('the engine carries only routing values: no step has an input or output artifact, outputs are flowc-count and flowc-case (and a gang Service\'s name)', () => {
  // Inputs: the task id; a loop's template also its iteration and, entered at several steps, where to start.
  // A gang's pods (@parallel) also take their rank and the name of node 0's Service, which its template outputs;
  // a bounded fan-out (`<step>-workers`, @max_workers) the element count.
  const routing = ['flowc-task', 'flowc-iter', 'flowc-entry', 'flowc-node', 'flowc-service', 'flowc-count'];
  const podInputs = ['flowc-task', 'flowc-node', 'flowc-service'];
  for (const c of cases) {
    const { manifests } = buildArgoManifests(c.ir, options(c.file));
    const spec = manifests[0].spec as { templates: Template[] };
    for (const t of spec.templates) {
      assert.not.ok(t.inputs?.artifacts || t.outputs?.artifacts, `${c.name}: ${t.name} has artifacts`);
      for (const p of t.inputs?.parameters ?? []) assert.ok(t.container ? podInputs.includes(p.name) : routing.includes(p.name), `${c.name}: ${t.name}: ${p.name}`);
      for (const p of t.outputs?.parameters ?? []) assert.ok(['flowc-count', 'flowc-case', ...(t.resource ? ['flowc-service'] : [])].includes(p.name), `${c.name}: ${t.name}: ${p.name}`);
      for (const task of t.dag?.tasks ?? []) {
        assert.not.ok(task.withParam, `${c.name}: ${task.name} fans out over a list`);
        for (const p of task.arguments?.parameters ?? []) assert.ok(routing.includes(p.name), `${c.name}: ${task.name}: ${p.name}`);
      }
    }
  }
});

test('integer literals beyond 2^53 reach Argo exactly: a parameter default, a switch case in the plan', async () => {
  const { readFileSync: read } = await import('node:fs');
  const { compileFlow } = await import('./cases.ts');
  const { testRoot } = await import('../../helpers/golden.ts');
  const [ir] = compileFlow(read(`${testRoot}/cases/check/ok/big-int.flow`, 'utf8'), 'big-int.flow');
  const spec = buildArgoManifests(ir, options('big-int.flow')).manifests[0].spec as { arguments: { parameters: { name: string; value?: string }[] }; templates: Template[] };
  assert.equal(spec.arguments.parameters.filter((p) => p.name === 'n' || p.name === 'f').map((p) => p.value), ['9007199254740993', '9007199254740992']);
  const plan = spec.templates.find((t) => t.name === 'start')!.container!.env!.find((e) => e.name === 'FLOWC_PLAN')!.value!;
  assert.match(plan, '"cases":[9007199254740994]');
});

test('flowc resume --target argo prints the Workflow alone, with the new run\'s namespace, tags and --from step', () => {
  // A flow with a schedule and triggers: its CronWorkflow and Sensor would start runs of their own.
  const [ir] = compileFlow(readFileSync(join(testRoot, 'cases', 'check', 'ok', 'decorators.flow'), 'utf8'), 'decorators.flow');
  const request = { run: { flow: ir.name, id: 'decorated-1', sourceFile: 'decorators.flow' }, datastore: 's3://b/p', ir, config: {} };
  const printed = (extra: { namespace: string; tags: string[]; from?: string }) => {
    const res = resumeOnArgo({ ...request, ...extra });
    assert.equal(res.diagnostics.filter((d) => d.severity === 'error'), []);
    const docs = parseAllDocuments(res.stdout).map((d) => d.toJS()) as { kind: string; spec: { arguments: { parameters: { name: string; value?: string }[] } } }[];
    assert.equal(docs.map((d) => d.kind), ['Workflow']);
    assert.equal(validateArgoManifest(docs[0]), []);
    const value = (name: string) => docs[0].spec.arguments.parameters.find((p) => p.name === name)?.value;
    return ['flowc-user', 'flowc-namespace', 'flowc-tags', 'flowc-origin-run', 'flowc-resume-from', 'flowc-datastore'].map(value);
  };
  assert.equal(printed({ namespace: 'production:recs', tags: ['nightly', 'again'], from: 'end' }), ['', 'production:recs', '["nightly","again"]', 'decorated-1', 'end', 's3://b/p']);
  assert.equal(printed({ namespace: 'user:ana', tags: [] }), ['ana', '', '[]', 'decorated-1', '', 's3://b/p']);
  // The manifests of flowc build have no such parameter (nor its variable).
  assert.not.match(buildArgo(ir, options('decorators.flow', { kind: 'workflow' })).stdout, /flowc-resume-from|FLOWC_RESUME_FROM/);
});

test.run();
