/**
 * `@parallel(nodes: N)` on Argo, without a cluster: the emitted Workflow (a headless Service created by a resource
 * template, then N pods by withSequence) runs in the test executor, whose cluster DNS resolves the Service's name
 * only when its selector picks a pod of the run; the nodes really meet (test/helpers/gang-flow.ts) and write to a
 * real S3-protocol server, and `flowc` reads the results back.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import type { FlowIR } from '../../../compiler/ir.ts';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import { buildArgoManifests } from '../../../targets/argo/index.ts';
import { GANG_FLOW } from '../../helpers/gang-flow.ts';
import { testRoot } from '../../helpers/golden.ts';
import type { Sandbox } from '../local/helpers.ts';
import { s3Suite } from './s3-suite.ts';
import { compileFlow } from './cases.ts';
import { executeWorkflow, type ExecResult } from './executor.ts';
import { freePort } from '../../../targets/local/task.ts';

const BUCKET = 'flowc-argo-gang';
const STORE = `s3://${BUCKET}/runs`;
const gang = s3Suite('argo @parallel', BUCKET);

function manifest(ir: FlowIR, argo?: FlowcConfig['argo']): Record<string, unknown> {
  const { manifests, diagnostics } = buildArgoManifests(ir, { config: { datastore: STORE, ...(argo ? { argo } : {}) }, sourceFile: ir.source.file, kind: 'workflow', user: 'tester' });
  assert.equal(diagnostics.filter((d) => d.severity === 'error'), []);
  return JSON.parse(JSON.stringify(manifests[0])) as Record<string, unknown>;
}

// A free port rather than the default 29500: other test runs on this machine may hold that one.
const run = async (ctx: { aws: Record<string, string>; box: Sandbox }, m: unknown, name: string): Promise<ExecResult> =>
  executeWorkflow(m, {
    workdir: mkdtempSync(join(tmpdir(), 'flowc-argo-gang-')),
    parallelism: 8,
    name,
    env: { PATH: ctx.box.env.PATH, HOME: ctx.box.env.HOME, FLOWC_GANG_POLL_SECONDS: '0.2', FLOWC_MASTER_PORT: String(await freePort()), ...ctx.aws },
  });

const failures = (r: ExecResult): string => `${r.message ?? ''}\n${r.pods.filter((p) => p.exitCode !== 0).map((p) => `${p.node}: ${p.stderr.slice(-600)}`).join('\n')}`;

gang('N pods meet at node 0 through the headless Service, which selects exactly node 0; the next step reads its outputs', async (ctx) => {
  const [ir] = compileFlow(GANG_FLOW, 'gang.flow');
  const r = await run(ctx, manifest(ir), 'gang-argo-1');
  assert.is(r.phase, 'Succeeded', failures(r));
  assert.is(r.services.length, 1);
  const [svc] = r.services;
  assert.is(svc.selected.length, 1, 'the Service selects one pod');
  const node0 = Object.values(r.nodes).find((n) => n.id === svc.selected[0])!;
  assert.equal(node0.inputs?.parameters?.find((p) => p.name === 'flowc-node')?.value, '0');
  assert.is(svc.usedBy.length, 3, 'every node was given the Service as MASTER_ADDR');
  const res = await ctx.box.flowcAsync(['get', 'Gang/gang-argo-1/peers', '--datastore', STORE], { env: ctx.aws });
  assert.is(res.code, 0, res.stderr);
  assert.equal(JSON.parse(res.stdout), [11, 12]);
});

gang('one gang per foreach task: each has its own Service, which selects that task\'s node 0; the join gathers node 0 values', async (ctx) => {
  const [ir] = compileFlow(readFileSync(join(testRoot, 'fixtures/argo/flows/parallel.flow'), 'utf8'), 'parallel.flow');
  const r = await run(ctx, manifest(ir), 'sweep-argo-1');
  assert.is(r.phase, 'Succeeded', failures(r));
  assert.is(r.services.length, 2);
  const tasks = r.services.map((svc) => {
    assert.is(svc.selected.length, 1, `${svc.name} selects one pod`);
    assert.is(svc.usedBy.length, 2);
    const node0 = Object.values(r.nodes).find((n) => n.id === svc.selected[0])!;
    const param = (name: string) => node0.inputs?.parameters?.find((p) => p.name === name)?.value;
    assert.is(param('flowc-node'), '0');
    return param('flowc-task');
  });
  assert.equal(tasks.sort(), ['0', '1']);
  const res = await ctx.box.flowcAsync(['get', 'Sweep/sweep-argo-1/total', '--datastore', STORE], { env: ctx.aws });
  assert.is(res.code, 0, res.stderr);
  assert.is(res.stdout, '32\n');
});

gang('argo.gang: each foreach task\'s gang has its own PodGroup of minMember N, which exactly its N pods name, placed by the gang scheduler', async (ctx) => {
  const [ir] = compileFlow(readFileSync(join(testRoot, 'fixtures/argo/flows/parallel.flow'), 'utf8'), 'parallel.flow');
  const r = await run(ctx, manifest(ir, { gang: { scheduler: 'volcano', queue: 'training' } }), 'sweep-argo-2');
  assert.is(r.phase, 'Succeeded', failures(r));
  assert.is(r.podGroups.length, 2);
  for (const g of r.podGroups) {
    assert.equal([g.minMember, g.members.length, g.schedulerNames], [2, 2, ['volcano']], g.name);
    // The same pods as the gang's Service selects node 0 of.
    const svc = r.services.find((s) => s.selected.some((p) => g.members.includes(p)));
    assert.ok(svc, `${g.name}: its pods are a gang with a Service`);
  }
  const res = await ctx.box.flowcAsync(['get', 'Sweep/sweep-argo-2/total', '--datastore', STORE], { env: ctx.aws });
  assert.is(res.stdout, '32\n', res.stderr);
});

gang('a Service whose selector picks no pod fails the run (its name would not resolve)', async (ctx) => {
  const [ir] = compileFlow(GANG_FLOW, 'gang.flow');
  const m = manifest(ir) as { spec: { templates: { name: string; resource?: { manifest: string } }[] } };
  const svc = m.spec.templates.find((t) => t.name === 'train-service')!;
  svc.resource!.manifest = svc.resource!.manifest.replace('flowc.dev/node: "0"', 'flowc.dev/node: "7"');
  const r = await run(ctx, m, 'gang-argo-2');
  assert.is.not(r.phase, 'Succeeded');
  assert.match(r.message ?? '', /Service 'train-[a-z0-9]+' selects no pod/);
});

gang.run();
