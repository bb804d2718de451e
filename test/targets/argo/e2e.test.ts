/**
 * Runs on Argo, end to end without a cluster: the emitted Workflow runs in the test executor (executor.ts, each
 * pod's command a local process), every pod runs the shared task runtime against a real S3-protocol server on
 * loopback (s3rver), and the results are read back by the real `flowc` (runs, get, show, resume) from the same
 * datastore, as a user would. Lean on purpose: each flow runs once.
 */
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import * as assert from 'uvu/assert';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import type { FlowIR } from '../../../compiler/ir.ts';
import { buildArgoManifests } from '../../../targets/argo/index.ts';
import type { TargetOptions } from '../../../targets/types.ts';
import { runPython } from '../../python/helpers.ts';
import type { Sandbox } from '../local/helpers.ts';
import { s3Suite } from './s3-suite.ts';
import { argoCases, compileFlow } from './cases.ts';
import { testRoot } from '../../helpers/golden.ts';
import { executeWorkflow, type ExecResult } from './executor.ts';

const BUCKET = 'flowc-argo';
const STORE = `s3://${BUCKET}/team/runs`;
const e2e = s3Suite('argo e2e', BUCKET);

const secrets = { wandb: { 'api-key': 'k' }, tokens: { api: 't' }, 'db-credentials': { DB_USER: 'u' } };

/** Builds the flow as a Workflow started by hand by `tester`, and runs it as run `name`. */
async function runOnArgo(ctx: { aws: Record<string, string>; box: Sandbox }, ir: FlowIR, name: string, extra: Partial<TargetOptions> & { parameters?: Record<string, string> } = {}): Promise<ExecResult> {
  const config: FlowcConfig = { datastore: STORE };
  const { parameters, ...opts } = extra;
  const { manifests, diagnostics } = buildArgoManifests(ir, { config, sourceFile: ir.source.file, kind: 'workflow', user: 'tester', ...opts });
  assert.equal(diagnostics.filter((d) => d.severity === 'error'), []);
  return executeWorkflow(JSON.parse(JSON.stringify(manifests[0])), {
    workdir: mkdtempSync(join(tmpdir(), 'flowc-argo-e2e-')),
    name,
    secrets,
    ...(parameters ? { parameters } : {}),
    env: { PATH: ctx.box.env.PATH, HOME: ctx.box.env.HOME, ...ctx.aws },
  });
}

const failures = (r: ExecResult): string => `${r.message ?? ''}\n${r.pods.filter((p) => p.exitCode !== 0).map((p) => `${p.node}: ${p.stderr.slice(-600)}`).join('\n')}`;

async function flowc(ctx: { aws: Record<string, string>; box: Sandbox }, args: string[], expectCode = 0): Promise<string> {
  const res = await ctx.box.flowcAsync([...args, '--datastore', STORE], { env: ctx.aws });
  assert.is(res.code, expectCode, `flowc ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
}

const sample = (name: string): FlowIR => structuredClone(argoCases().find((c) => c.name === `sample-${name}`)!.ir);

e2e('every sample runs on Argo through the task runtime; flowc reads the runs back', async (ctx) => {
  for (const name of ['branches', 'genres', 'switch', 'train']) {
    const r = await runOnArgo(ctx, sample(name), `${name}-argo-1`);
    assert.is(r.phase, 'Succeeded', `${name}: ${failures(r)}`);
  }
  assert.is(await flowc(ctx, ['get', 'MyFlow/branches-argo-1/out']), '3\n');
  assert.is(await flowc(ctx, ['get', 'Genres/genres-argo-1/best']), 'comedy\n');
  assert.equal(JSON.parse(await flowc(ctx, ['get', 'Genres/genres-argo-1/count/1/stats'])), { genre: 'comedy', count: 60 });
  assert.is(await flowc(ctx, ['get', 'Deploy/switch-argo-1/report']), 'straight to staging\n');
  const runs = JSON.parse(await flowc(ctx, ['runs', '-A', '--json'])) as { flow: string; run: string; status: string; namespace: string }[];
  const mine = runs.filter((r) => r.run.endsWith('-argo-1')).map((r) => ({ ...r, run: r.run.split('/')[1] }));
  assert.equal(mine.map((r) => [r.run, r.status, r.namespace]).sort(), [
    ['branches-argo-1', 'done', 'user:tester'],
    ['genres-argo-1', 'done', 'user:tester'],
    ['switch-argo-1', 'done', 'user:tester'],
    ['train-argo-1', 'done', 'user:tester'],
  ]);
  // The switch took `quick`: its task ran, the others did not (no records), and the engine skipped them.
  assert.match(await flowc(ctx, ['show', 'Deploy/switch-argo-1']), /quick/);
});

e2e('a file parameter given as an s3:// URL is read by the task (not a quoted path)', async (ctx) => {
  const client = ctx.s3.client;
  await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'inputs/movies.csv', Body: 'title,genre\nAlien,horror\nHeat,drama\n' }));
  const flowText = `flow Movies {
  image "python:3.12-slim"
  param movies: file = "movies.csv"
  param limit: int = 10
  step start {
    in movies: file
    in limit: int
    out rows: int
    python """
      with open(movies) as f:
          rows = min(len(f.read().splitlines()) - 1, limit)
    """
    next end
  }
  step end {}
}
`;
  const [ir] = compileFlow(flowText, 'movies.flow');
  // The default, a local path, is not quoted; the pod cannot read it, and says why (flowc build --param uploads it).
  const local = await runOnArgo(ctx, ir, 'movies-argo-0');
  assert.is(local.phase, 'Failed');
  // Every step's pod is under a Retry node (pod errors are retried): its first attempt is `start(0)`.
  const start = local.pods.find((p) => p.node === 'movies-argo-0.start(0)')!;
  assert.match(start.stderr, /parameter 'movies' \(file\) is "movies\.csv": a task on a remote target reads an s3:\/\/ URL/);
  const r = await runOnArgo(ctx, ir, 'movies-argo-1', { parameters: { movies: `s3://${BUCKET}/inputs/movies.csv`, limit: '5' } });
  assert.is(r.phase, 'Succeeded', failures(r));
  assert.is(await flowc(ctx, ['get', 'Movies/movies-argo-1/rows']), '2\n');

  // A local path given to flowc build is uploaded into the datastore; the Workflow and its parameters file run.
  ctx.box.write('movies.flow', flowText);
  ctx.box.write('movies.csv', 'title,genre\nAlien,horror\nHeat,drama\nUp,family\n');
  const built = await ctx.box.flowcAsync(['build', 'movies.flow', '--target', 'argo', '--kind', 'workflow', '--out', 'out', '--param', 'movies=movies.csv', '--tag', 'nightly', '--datastore', STORE], { env: ctx.aws });
  assert.is(built.code, 0, built.stderr);
  const params = JSON.parse(readFileSync(join(ctx.box.dir, 'out', 'argo-params.json'), 'utf8')) as Record<string, string>;
  assert.equal(Object.keys(params).sort(), ['flowc-tags', 'flowc-user', 'movies']);
  assert.match(params.movies, /^\{"sha":"[0-9a-f]{64}"\}$/);
  const wf = parse(readFileSync(join(ctx.box.dir, 'out', 'movies.workflow.yaml'), 'utf8'));
  const uploaded = await executeWorkflow(wf, { workdir: mkdtempSync(join(tmpdir(), 'flowc-argo-e2e-')), name: 'movies-argo-2', parameters: params, env: { PATH: ctx.box.env.PATH, HOME: ctx.box.env.HOME, ...ctx.aws } });
  assert.is(uploaded.phase, 'Succeeded', failures(uploaded));
  assert.is(await flowc(ctx, ['get', 'Movies/movies-argo-2/rows']), '3\n');
  const listed = JSON.parse(await flowc(ctx, ['runs', 'Movies', '--json'])) as { run: string; namespace: string; tags: string }[];
  assert.equal(listed.find((x) => x.run === 'Movies/movies-argo-2'), { ...listed.find((x) => x.run === 'Movies/movies-argo-2')!, namespace: 'user:tester', tags: 'nightly' });
});

const failingFlow = (fixed: boolean) => `flow Fragile {
  image "python:3.12-slim"
  step start {
    out items: [int]
    python "items = [1, 2, 3]"
    next work foreach n in items
  }
  step work {
    in n: int
    out sq: int
    python "sq = n * n"
    next join
  }
  step join {
    in sq: [int]
    out total: int
    python "${fixed ? 'total = sum(sq)' : 'raise SystemExit(7)'}"
    next end
  }
  step end {}
}
`;

e2e('a failing step fails the run (records and exit handler); resume locally and on Argo reuses the finished tasks', async (ctx) => {
  const broken = compileFlow(failingFlow(false), ctx.box.write('fragile.flow', failingFlow(false)))[0];
  const failed = await runOnArgo(ctx, broken, 'fragile-argo-1');
  assert.is(failed.phase, 'Failed');
  const exit = Object.values(failed.nodes).find((n) => n.name === 'fragile-argo-1.onExit');
  assert.is(exit?.phase, 'Succeeded', 'the exit handler recorded the failure');
  const listed = JSON.parse(await flowc(ctx, ['runs', 'Fragile', '--json'])) as { run: string; status: string }[];
  assert.equal(listed.map((r) => [r.run, r.status]), [['Fragile/fragile-argo-1', 'failed']]);
  assert.match(await flowc(ctx, ['show', 'Fragile/fragile-argo-1']), /join/);

  // Fix the step; resume on Argo: start and the three work tasks are taken over, join and end run.
  ctx.box.write('fragile.flow', failingFlow(true));
  const printed = await ctx.box.flowcAsync(['resume', 'Fragile/fragile-argo-1', '--target', 'argo', '--datastore', STORE], { env: ctx.aws });
  assert.is(printed.code, 0, printed.stderr);
  assert.match(printed.stderr, /argo submit/);
  const wf = parse(printed.stdout) as { kind: string; spec: { arguments: { parameters: { name: string; value?: string }[] } } };
  assert.is(wf.kind, 'Workflow');
  const value = (name: string) => wf.spec.arguments.parameters.find((p) => p.name === name)?.value;
  assert.equal([value('flowc-origin-run'), value('flowc-user'), value('flowc-datastore')], ['fragile-argo-1', 'tester', STORE]);
  const resumed = await executeWorkflow(wf, { workdir: mkdtempSync(join(tmpdir(), 'flowc-argo-e2e-')), name: 'fragile-argo-2', env: { PATH: ctx.box.env.PATH, HOME: ctx.box.env.HOME, ...ctx.aws } });
  assert.is(resumed.phase, 'Succeeded', failures(resumed));
  assert.is(await flowc(ctx, ['get', 'Fragile/fragile-argo-2/total']), '14\n');
  const reused = resumed.pods.filter((p) => /taken over from run fragile-argo-1/.test(p.stderr)).map((p) => p.node.replace(/^fragile-argo-2\.|\(0\)$/g, ''));
  assert.equal(reused.sort(), ['start', 'start-foreach(0:0).work', 'start-foreach(1:1).work', 'start-foreach(2:2).work']);

  // Resume the failed Argo run locally, from its records in S3.
  const local = await ctx.box.flowcAsync(['resume', 'Fragile/fragile-argo-1', '--datastore', STORE], { env: ctx.aws });
  assert.is(local.code, 0, local.stderr);
  const all = JSON.parse(await flowc(ctx, ['runs', 'Fragile', '--json'])) as { run: string; status: string }[];
  assert.equal(all.map((r) => r.status), ['done', 'done', 'failed']);

  // Resume the finished Argo run on Argo from an unchanged step, with a tag: start is taken over, work (every
  // element) runs again and so do join and end; the run records where it resumed from and its tag.
  const unknown = await ctx.box.flowcAsync(['resume', 'Fragile/fragile-argo-2', '--target', 'argo', '--from', 'nope', '--datastore', STORE], { env: ctx.aws });
  const unknownHere = await ctx.box.flowcAsync(['resume', 'Fragile/fragile-argo-2', '--from', 'nope', '--datastore', STORE], { env: ctx.aws });
  assert.equal([unknown.code, unknown.stdout, unknown.stderr], [1, '', "flowc resume: Flow 'Fragile' has no step 'nope' (steps: start, work, join, end).\n"]);
  assert.equal([unknownHere.code, unknownHere.stderr], [1, unknown.stderr], 'the same error as a local resume');
  const again = await ctx.box.flowcAsync(['resume', 'Fragile/fragile-argo-2', '--target', 'argo', '--from', 'work', '--tag', 'again', '--datastore', STORE], { env: ctx.aws });
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, "except those of step 'work' and every step after it");
  const wf3 = parse(again.stdout) as typeof wf;
  const value3 = (name: string) => wf3.spec.arguments.parameters.find((p) => p.name === name)?.value;
  assert.equal([value3('flowc-origin-run'), value3('flowc-resume-from'), value3('flowc-tags')], ['fragile-argo-2', 'work', '["again"]']);
  const third = await executeWorkflow(wf3, { workdir: mkdtempSync(join(tmpdir(), 'flowc-argo-e2e-')), name: 'fragile-argo-3', env: { PATH: ctx.box.env.PATH, HOME: ctx.box.env.HOME, ...ctx.aws } });
  assert.is(third.phase, 'Succeeded', failures(third));
  const task = (p: { node: string }) => p.node.replace(/^fragile-argo-3\.|\(0\)$/g, '');
  const takenOver = third.pods.filter((p) => /taken over from run/.test(p.stderr));
  assert.equal(takenOver.map(task), ['start']);
  const ran = third.pods.filter((p) => !takenOver.includes(p) && p.node !== 'fragile-argo-3.onExit');
  assert.equal(ran.map(task).sort(), ['end', 'join', 'start-foreach(0:0).work', 'start-foreach(1:1).work', 'start-foreach(2:2).work']);
  const run3 = JSON.parse(await (await ctx.s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'team/runs/runs/Fragile/fragile-argo-3/run.json' }))).Body!.transformToString());
  assert.equal([run3.status, run3.tags, run3.resumedFrom], ['done', ['again'], { run: 'fragile-argo-2', step: 'work' }]);
  assert.is(await flowc(ctx, ['get', 'Fragile/fragile-argo-3/total']), '14\n');
});

e2e('@catch, [T?] gathers and pass at a join run on Argo through the task runtime', async (ctx) => {
  const read = (name: string) => readFileSync(join(testRoot, 'cases', 'check', 'ok', `${name}.flow`), 'utf8');
  const caught = await runOnArgo(ctx, compileFlow(read('catch'), 'catch.flow')[0], 'catch-argo-1');
  assert.is(caught.phase, 'Succeeded', failures(caught));
  assert.equal(JSON.parse(await flowc(ctx, ['get', 'Divide/catch-argo-1/ok'])), [10, 5]);
  assert.equal(JSON.parse(await flowc(ctx, ['get', 'Divide/catch-argo-1/errors'])), ['ZeroDivisionError']);
  const passed = await runOnArgo(ctx, compileFlow(read('pass'), 'pass.flow')[0], 'pass-argo-1');
  assert.is(passed.phase, 'Succeeded', failures(passed));
  assert.is(await flowc(ctx, ['get', 'Merge/pass-argo-1/summary']), 'tree fast b 0.7\n');
});

e2e('bounded loops run as a template calling itself: one task record per iteration, the latest value after, past @loop(max) fails', async (ctx) => {
  const read = (path: string) => readFileSync(join(testRoot, path), 'utf8');
  const tasks = async (flow: string, run: string, step: string): Promise<string[]> => {
    const res = await ctx.s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: `team/runs/runs/${flow}/${run}/tasks/${step}/` }));
    return (res.Contents ?? []).map((o) => o.Key!.split('/').pop()!.replace(/\.json$/, '')).sort();
  };
  const retrain = await runOnArgo(ctx, compileFlow(read('cases/check/ok/loop.flow'), 'loop.flow')[0], 'loop-argo-1');
  assert.is(retrain.phase, 'Succeeded', failures(retrain));
  assert.is(await flowc(ctx, ['get', 'Retrain/loop-argo-1/model']), 'v3\n');
  assert.equal(await tasks('Retrain', 'loop-argo-1', 'train'), ['0', '0r1', '0r2']);
  // The Python client reads the latest iteration's value too.
  const py = await runPython(['-c', `from flowc import Run, namespace\nnamespace(None)\nprint(Run("Retrain/loop-argo-1", datastore="${STORE}").data.model)`], { ...ctx.aws, PYTHONPATH: 'clients/python' });
  assert.is(py.stdout, 'v3\n', py.stderr);
  // The loop template called itself twice: its third call's evaluate is where the loop was left.
  assert.ok(retrain.pods.some((p) => p.node === 'loop-argo-1.evaluate-loop.evaluate-loop.evaluate-loop.evaluate(0)'));

  // Entered at a or b, left for big or small: the steps after the loop run on the case it was left by.
  const heads = await runOnArgo(ctx, compileFlow(read('fixtures/argo/flows/loop.flow'), 'loop.flow')[0], 'loop-argo-2');
  assert.is(heads.phase, 'Succeeded', failures(heads));
  assert.is(await flowc(ctx, ['get', 'TwoHeads/loop-argo-2/label']), 'big 32\n');
  assert.equal([await tasks('TwoHeads', 'loop-argo-2', 'a'), await tasks('TwoHeads', 'loop-argo-2', 'b'), await tasks('TwoHeads', 'loop-argo-2', 'small')], [['0', '0r1'], ['0', '0r1', '0r2'], []]);

  // Entered from outside at b (the switch before it), going back to a: iteration 0 has no task of a.
  const entries = await runOnArgo(ctx, compileFlow(read('fixtures/argo/flows/loop-entries.flow'), 'loop-entries.flow')[0], 'loop-argo-5');
  assert.is(entries.phase, 'Succeeded', failures(entries));
  assert.is(await flowc(ctx, ['get', 'MultiEntry/loop-argo-5/n']), '32\n');
  assert.equal([await tasks('MultiEntry', 'loop-argo-5', 'a'), await tasks('MultiEntry', 'loop-argo-5', 'b'), await tasks('MultiEntry', 'loop-argo-5', 'end')], [['0r1', '0r2'], ['0', '0r1', '0r2'], ['0']]);
  // Entered at a: the loop runs on either case of the switch before it (the branches meet inside the loop).
  const atA = await runOnArgo(ctx, compileFlow(read('fixtures/argo/flows/loop-entries.flow'), 'loop-entries.flow')[0], 'loop-argo-6', { parameters: { go_b: 'false' } });
  assert.is(atA.phase, 'Succeeded', failures(atA));
  assert.is(await flowc(ctx, ['get', 'MultiEntry/loop-argo-6/n']), '33\n');

  // Each foreach task loops on its own.
  const each = await runOnArgo(ctx, compileFlow(read('cases/metaflow/recursive-switch-inside-foreach.flow'), 'r.flow')[0], 'loop-argo-3');
  assert.is(each.phase, 'Succeeded', failures(each));
  assert.equal(await tasks('RecursiveSwitchInsideForeach', 'loop-argo-3', 'loop_body'), ['0', '1', '1r1', '2', '2r1', '2r2']);

  const tight = await runOnArgo(ctx, compileFlow(read('cases/check/ok/loop.flow').replace('@loop(max: 5)', '@loop(max: 2)'), 'loop.flow')[0], 'loop-argo-4');
  assert.is(tight.phase, 'Failed');
  const shown = JSON.parse(await flowc(ctx, ['runs', 'Retrain', '--json'])) as { run: string; status: string }[];
  assert.is(shown.find((r) => r.run === 'Retrain/loop-argo-4')?.status, 'failed');
  const run = await ctx.s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'team/runs/runs/Retrain/loop-argo-4/run.json' }));
  const failed = (JSON.parse(await run.Body!.transformToString()) as { failed: { step: string; task: string; message: string } }).failed;
  assert.equal(failed, { step: 'evaluate', task: '0r1', message: "Step 'evaluate' went back to 'train' after 2 iterations of its loop, but @loop(max: 2) allows at most 2." });
});

e2e('@max_workers on Argo: a bounded fan-out runs at most N of its tasks at once, the flow\'s bound caps every pod; both complete', async (ctx) => {
  const [ir] = compileFlow(
    `@max_workers(3)
flow Limited {
  image "python:3.12-slim"
  @max_workers(2)
  step start {
    out xs: [int]
    python "xs = list(range(6))"
    next work foreach x in xs
  }
  step work {
    in x: int
    out y: int
    python "y = x * x"
    next gather
  }
  step gather {
    in y: [int]
    out ys: [int]
    python "ys = y"
    next more foreach z in ys
  }
  step more {
    in z: int
    out w: int
    python "w = z + 1"
    next done
  }
  step done {
    in w: [int]
    out total: int
    python "total = sum(w)"
    next end
  }
  step end {}
}
`,
    'limited.flow',
  );
  const r = await runOnArgo(ctx, ir, 'limited-argo-1');
  assert.is(r.phase, 'Succeeded', failures(r));
  assert.is(await flowc(ctx, ['get', 'Limited/limited-argo-1/total']), '61\n');
  // Six tasks of work, two at a time (its own template's parallelism); six of more, three at a time (the run's).
  assert.equal(r.concurrency.templates.find((t) => t.template === 'start-workers'), { node: 'limited-argo-1.start-foreach', template: 'start-workers', limit: 2, peak: 2 });
  assert.is(r.concurrency.pods, 3);
  assert.is(r.pods.filter((p) => /\.(work|more)\(0\)$/.test(p.node)).length, 12);
});

e2e('after a failure, a task Argo still starts (its branch was running) does not run its body; the run fails, the exit handler records it', async (ctx) => {
  // bad fails while slow runs: slow waits until bad's pod (every pod is a process on this host) has exited, so its
  // runtime has recorded the failure; Argo then starts after (argo-workflows#5223), whose runtime refuses.
  const [ir] = compileFlow(
    `flow Stopper {
  image "python:3.12-slim"
  step start {
    out x: int
    python "x = 1"
    next bad, slow
  }
  step bad {
    in x: int
    python """
      import os
      with open(os.environ["MARK"] + ".tmp", "w") as f:
          f.write(str(os.getppid()))
      os.rename(os.environ["MARK"] + ".tmp", os.environ["MARK"])
      raise SystemExit(5)
    """
    next join
  }
  step slow {
    in x: int
    out y: int
    python """
      import os, time
      while not os.path.exists(os.environ["MARK"]):
          time.sleep(0.05)
      pod = int(open(os.environ["MARK"]).read())
      while True:
          try:
              os.kill(pod, 0)
          except ProcessLookupError:
              break
          time.sleep(0.05)
      y = x + 1
    """
    next after
  }
  step after {
    in y: int
    out z: int
    python "z = y * 10"
    next join
  }
  step join { next end }
  step end {}
}
`,
    'stopper.flow',
  );
  const { manifests } = buildArgoManifests(ir, { config: { datastore: STORE }, sourceFile: 'stopper.flow', kind: 'workflow', user: 'tester' });
  const dir = mkdtempSync(join(tmpdir(), 'flowc-argo-e2e-'));
  const r = await executeWorkflow(JSON.parse(JSON.stringify(manifests[0])), {
    workdir: dir,
    name: 'stopper-argo-1',
    env: { PATH: ctx.box.env.PATH, HOME: ctx.box.env.HOME, MARK: join(dir, 'bad-started'), ...ctx.aws },
  });
  assert.is(r.phase, 'Failed');
  const after = r.pods.find((p) => p.node === 'stopper-argo-1.after(0)');
  assert.ok(after, 'Argo started after: its dependency finished while bad had failed');
  assert.is(after!.exitCode, 3);
  assert.match(after!.stderr, "run Stopper/stopper-argo-1 failed (step 'bad' task 0) before step 'after' task 0 started: not running it");
  const records = await ctx.s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'team/runs/runs/Stopper/stopper-argo-1/tasks/' }));
  assert.equal((records.Contents ?? []).map((o) => o.Key!.split('/').slice(-2).join('/')).sort(), ['bad/0.json', 'slow/0.json', 'start/0.json']);
  assert.is(Object.values(r.nodes).find((n) => n.name === 'stopper-argo-1.onExit')?.phase, 'Succeeded');
  const shown = JSON.parse(await flowc(ctx, ['runs', 'Stopper', '--json'])) as { run: string; status: string }[];
  assert.equal(shown.map((x) => [x.run, x.status]), [['Stopper/stopper-argo-1', 'failed']]);
});

e2e('every S3 request of these runs was signed as S3 wants (SigV4 checked by AWS\'s own signer)', ({ s3 }) => {
  assert.equal(s3.refused, []);
});

e2e.run();
