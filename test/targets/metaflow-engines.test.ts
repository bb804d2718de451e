/**
 * Metaflow's test graphs (test/helpers/metaflow.ts) on both engines, end to end without a cloud: each graph runs
 * once on the Argo executor (test/targets/argo/executor.ts) and once in aws-local-stepfunctions
 * (test/targets/batch/local-batch.ts), every task running the task runtime against S3 on loopback, and the task
 * records each run leaves are counted per step against what Metaflow would run. The bodies are one-line shell
 * scripts, so the time goes to the engines and the runtime.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import { lower } from '../../compiler/lower.ts';
import { buildArgoManifests } from '../../targets/argo/index.ts';
import { countTasks, expectedTasks, metaflowGraphs } from '../helpers/metaflow.ts';
import { startS3 as startLocalS3, type LocalS3 } from '../helpers/s3.ts';
import { pythonPath } from '../python/helpers.ts';
import { executeWorkflow } from './argo/executor.ts';
import { awsSuite, BUCKET, runFlow } from './batch/local-batch.ts';

const graphs = metaflowGraphs();
const irOf = (g: (typeof graphs)[number]) => {
  const [ir] = lower(analyze(g.text, { file: g.file, config: {} }));
  return ir;
};

async function keysUnder(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(res.Contents ?? []).map((o) => o.Key!));
    token = res.NextContinuationToken;
  } while (token);
  return keys;
}

const argo = suite<{ s3: LocalS3 }>('metaflow graphs on Argo');
argo.before(async (ctx) => {
  ctx.s3 = await startLocalS3(['flowc-mf']);
});
argo.after(async (ctx) => {
  await ctx.s3?.close();
});
for (const g of graphs) {
  argo(g.name, async ({ s3 }) => {
    const ir = irOf(g);
    const { manifests } = buildArgoManifests(ir, { config: { datastore: 's3://flowc-mf/store' }, sourceFile: g.file, kind: 'workflow', user: 'tester' });
    const run = `${g.name}-argo`;
    const r = await executeWorkflow(JSON.parse(JSON.stringify(manifests[0])), {
      workdir: mkdtempSync(join(tmpdir(), 'flowc-mf-argo-')),
      name: run,
      env: { PATH: pythonPath(), HOME: tmpdir(), ...s3.env },
    });
    assert.is(r.phase, 'Succeeded', `${r.message}\n${r.pods.filter((p) => p.exitCode !== 0).map((p) => p.stderr.slice(-400)).join('\n')}`);
    assert.equal(countTasks(await keysUnder(s3.client, 'flowc-mf', `store/runs/${ir.name}/${run}/tasks/`)), expectedTasks[g.name]);
  });
}
argo('no S3 request was refused (SigV4)', ({ s3 }) => {
  assert.equal(s3.refused, []);
});

const sfn = awsSuite('metaflow graphs on Step Functions');
for (const g of graphs) {
  sfn(g.name, async ({ aws }) => {
    const ir = irOf(g);
    const run = `${g.name}-sfn`;
    const r = await runFlow(aws, ir, {}, { runId: run });
    assert.is(r.status, 'SUCCEEDED', r.error);
    assert.equal(countTasks(await keysUnder(aws.s3, BUCKET, `store/runs/${ir.name}/${run}/tasks/`)), expectedTasks[g.name]);
  });
}

argo.run();
sfn.run();
