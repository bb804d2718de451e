/**
 * What Argo stores per task, whatever the data: a two-step flow passes an artifact of 1 KB and of 10 MB from one
 * step to the next, run on Argo for real as far as this machine allows (the test executor, each pod the task
 * runtime against s3rver on loopback, see test/targets/argo/e2e.test.ts). Prints, per size, the bytes of the
 * workflow's status as Argo keeps it in etcd: per pod node (its resolved inputs and outputs), and for the whole
 * status. Run with `node --import tsx bench/argo-status.ts`. Nothing asserts on these numbers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildArgoManifests } from '../targets/argo/index.ts';
import { S3_CREDENTIALS_ENV } from '../test/helpers/s3.ts';
import { startS3 } from '../test/python/helpers.ts';
import { compileFlow } from '../test/targets/argo/cases.ts';
import { executeWorkflow } from '../test/targets/argo/executor.ts';

const flow = `flow Sized {
  image "python:3.12-slim"
  param size: int = 1000
  step start {
    in size: int
    out blob: [string]
    python "blob = ['x' * size]"
    next use
  }
  step use {
    in blob: [string]
    out n: int
    python "n = len(blob[0])"
    next end
  }
  step end {}
}
`;

const s3 = await startS3('flowc-bench');
const work = mkdtempSync(join(tmpdir(), 'flowc-bench-argo-'));
try {
  const [ir] = compileFlow(flow, 'sized.flow');
  const { manifests } = buildArgoManifests(ir, { config: { datastore: 's3://flowc-bench/runs' }, sourceFile: 'sized.flow', kind: 'workflow', user: 'bench' });
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, ...S3_CREDENTIALS_ENV, AWS_ENDPOINT_URL_S3: s3.endpoint };
  console.log('| artifact | pods | bytes per pod node (mean) | largest pod node | whole status | run ms |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const [label, size] of [['1 KB', 1_000], ['10 MB', 10_000_000]] as const) {
    const started = performance.now();
    const r = await executeWorkflow(JSON.parse(JSON.stringify(manifests[0])), { workdir: join(work, label.replace(' ', '')), name: `sized-${size}`, parameters: { size: String(size) }, env });
    const ms = performance.now() - started;
    if (r.phase !== 'Succeeded') throw new Error(`the ${label} run failed: ${r.message ?? ''}`);
    const pods = Object.values(r.nodes).filter((n) => n.type === 'Pod');
    const sizes = pods.map((n) => JSON.stringify(n).length);
    const mean = Math.round(sizes.reduce((a, b) => a + b, 0) / sizes.length);
    console.log(`| ${label} | ${pods.length} | ${mean} | ${Math.max(...sizes)} | ${JSON.stringify(r.nodes).length} | ${Math.round(ms)} |`);
  }
} finally {
  await s3.close();
  rmSync(work, { recursive: true, force: true });
}
