/**
 * `@parallel(nodes: N)` on Batch: a multi-node parallel job definition, submitted with node overrides, run by the
 * local stand-in as N node processes (local-batch.ts) that really meet (test/helpers/gang-flow.ts); node 0 waits
 * for the other nodes' reports, and a failed node fails the job through node 0.
 */
import * as assert from 'uvu/assert';
import type { JobDefinition } from '../../../targets/batch/job-definition.ts';
import { GANG_FLOW } from '../../helpers/gang-flow.ts';
import { buildOk, CONFIG, irOf } from './helpers.ts';
import { freePort } from '../../../targets/local/task.ts';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { awsSuite, BUCKET, runFlow, S3_ROOT } from './local-batch.ts';

const gang = awsSuite('batch @parallel');
// Quick polls, and a free port rather than the default 29500: other test runs on this machine may hold that one.
const fast = async () => ({ FLOWC_GANG_POLL_SECONDS: '0.2', FLOWC_MASTER_PORT: String(await freePort()) });

gang('a @parallel step is a multi-node job definition: numNodes, main node 0, one node range', async () => {
  const res = buildOk(await irOf(GANG_FLOW), { config: { ...CONFIG, datastore: S3_ROOT } });
  const doc = JSON.parse(res.stdout) as { jobDefinitions: JobDefinition[]; stateMachine: { definition: { States: Record<string, { Parameters?: Record<string, unknown> }> } } };
  const train = doc.jobDefinitions.find((d) => d.jobDefinitionName === 'Gang-train')!;
  assert.is(train.type, 'multinode');
  assert.is(train.containerProperties, undefined);
  assert.is(train.nodeProperties!.numNodes, 3);
  assert.is(train.nodeProperties!.mainNode, 0);
  assert.equal(train.nodeProperties!.nodeRangeProperties!.map((r) => r.targetNodes), ['0:']);
  assert.ok(train.nodeProperties!.nodeRangeProperties![0].container!.command!.length > 2);
  assert.is(doc.jobDefinitions.find((d) => d.jobDefinitionName === 'Gang-start')!.type, 'container');
  const params = doc.stateMachine.definition.States.train.Parameters!;
  assert.is(params.ContainerOverrides, undefined);
  assert.ok(params.NodeOverrides);
});

gang('the nodes meet at the main node; the next step reads node 0 outputs; the record lists the other nodes', async ({ aws }) => {
  const r = await runFlow(aws, await irOf(GANG_FLOW), {}, { runId: 'gang-1', extraEnv: await fast() });
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.equal(await r.output('train', 'peers'), [11, 12]);
  assert.is(await r.output('train', 'rank'), 0);
  const rec = (await r.record('train'))!;
  assert.equal((rec.nodes as { rank: number; exitCode: number }[]).map((n) => [n.rank, n.exitCode]), [[1, 0], [2, 0]]);
  assert.equal(r.submissions.filter((s) => s.jobDefinition === 'Gang-train').length, 1);
});

gang('the reports of an earlier attempt of the job are not this attempt\'s', async ({ aws }) => {
  // A failed report of node 2 left by attempt 0 would stop the gang, and a done one would end node 0's wait early.
  const stale = { rank: 2, attempt: '0', status: 'failed', exitCode: 1, error: 'a lost host', logs: { stdout: null, stderr: null } };
  await aws.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'store/runs/Gang/gang-2/nodes/train/0/2.json', Body: JSON.stringify(stale) }));
  const r = await runFlow(aws, await irOf(GANG_FLOW), {}, { runId: 'gang-2', extraEnv: await fast() });
  assert.is(r.status, 'SUCCEEDED', r.error);
  assert.equal(await r.output('train', 'peers'), [11, 12]);
  const rec = (await r.record('train'))!;
  assert.equal((rec.nodes as { rank: number; exitCode: number }[]).map((n) => [n.rank, n.exitCode]), [[1, 0], [2, 0]]);
});

gang('a node that fails fails the job: node 0 stops its body and records which node failed', async ({ aws }) => {
  const broken = `flow Broken {
  image "python:3.12-slim"
  @parallel(nodes: 3)
  step start {
    sh """
      if [ "$RANK" = 2 ]; then echo "node 2 gives up" >&2; exit 3; fi
      sleep 60
    """
    next end
  }
  step end {}
}
`;
  const r = await runFlow(aws, await irOf(broken), {}, { runId: 'broken-1', extraEnv: await fast() });
  assert.is(r.status, 'FAILED');
  const rec = (await r.record('start'))!;
  assert.is(rec.status, 'failed');
  assert.match(String(rec.error), /node 2 failed: Step 'start' node 2 of 3 exited with code 3\./);
  assert.is(await r.record('end'), null);
});

gang.run();
