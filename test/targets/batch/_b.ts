import { readFileSync } from 'node:fs';
import { buildBatch } from '../../../targets/batch/index.ts';
const ir = JSON.parse(readFileSync(`test/targets/batch/fixtures/${process.argv[2]}.ir.json`, 'utf8'));
const r = buildBatch(ir, { sourceFile: 'samples/x.flow', format: process.argv[3], config: { image: 'python:3.12-slim', batch: { jobQueue: 'ml-default', jobRoleArn: 'arn:aws:iam::123456789012:role/flowc-job', s3Root: 's3://ml-artifacts/flowc', platform: (process.argv[4] as any) ?? 'EC2' } } });
console.log(JSON.stringify(r.diagnostics));
for (const f of r.files) console.log('==', f.path, f.content.length);
console.log(r.files.find((f) => f.path === 'statemachine.asl.json')?.content ?? r.stdout.slice(0, 3000));
