/** `flowc serve`: read-only JSON on loopback. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../targets/local/helpers.ts';

const box = sandbox();

test('GET /flows/MyFlow/runs/latest/artifacts/out answers {"out": 3} on 127.0.0.1', async () => {
  box.write('my.flow', `flow MyFlow {\n  step start {\n    out out: int\n    sh "out=3"\n    next end\n  }\n  step end {}\n}\n`);
  assert.is(box.flowc(['run', 'my.flow']).code, 0);
  const child = box.spawnFlowc(['serve', '--port', '0']);
  try {
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (m) resolve(m[1]);
      });
      child.once('exit', () => reject(new Error(`serve exited: ${output}`)));
    });
    const res = await fetch(`${url}/flows/MyFlow/runs/latest/artifacts/out`);
    assert.is(res.status, 200);
    assert.equal(await res.json(), { out: 3 });
    assert.equal(await (await fetch(`${url}/flows`)).json(), { flows: ['MyFlow'] });
    const run = (await (await fetch(`${url}/flows/MyFlow/runs/latest`)).json()) as { status: string; steps: { name: string }[] };
    assert.is(run.status, 'done');
    assert.equal(run.steps.map((s) => s.name), ['start', 'end']);
    assert.is((await fetch(`${url}/flows/MyFlow/runs/latest/artifacts/nope`)).status, 404);
    assert.is((await fetch(`${url}/flows/MyFlow/runs/latest`, { method: 'POST' })).status, 405);
  } finally {
    child.kill('SIGTERM');
  }
});

test.run();
