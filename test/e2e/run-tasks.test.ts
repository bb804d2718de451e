/**
 * What happens inside one task: outputs validated against their types, missing outputs, @retry, @timeout,
 * @catch, and parameter values with shell metacharacters that must reach the step unchanged and run nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sandbox } from '../targets/local/helpers.ts';

const box = sandbox();

test('an output of the wrong type fails its task with a message naming artifact, expected and actual type', () => {
  box.write('types.flow', `flow Types {\n  step start {\n    out x: int\n    python "x = '3'"\n    next end\n  }\n  step end {}\n}\n`);
  const res = box.flowc(['run', 'types.flow']);
  assert.is(res.code, 1);
  assert.match(res.stderr, /Output 'x' of step 'start' should be int but is string "3"\./);
});

test('a declared output that is never written fails the task', () => {
  box.write('missing.flow', `flow Missing {\n  step start {\n    out y: int\n    run "true"\n    next end\n  }\n  step end {}\n}\n`);
  const res = box.flowc(['run', 'missing.flow']);
  assert.is(res.code, 1);
  assert.match(res.stderr, /Output 'y' of step 'start' was not written/);
});

test('@retry runs a failing task again; @timeout stops a slow one', () => {
  const count = join(box.dir, 'attempts');
  box.write(
    'retry.flow',
    `flow Retry {
  @retry(times: 2)
  step start {
    out n: int
    sh """
      echo x >> "$COUNT"
      n=$(wc -l < "$COUNT")
      [ "$n" -ge 2 ]
    """
    next slow
  }
  @timeout(1s)
  step slow {
    run "sleep 20"
    next end
  }
  step end {}
}
`,
  );
  const started = Date.now();
  const res = box.flowc(['run', 'retry.flow'], { env: { COUNT: count } });
  assert.is(res.code, 1);
  assert.is(readFileSync(count, 'utf8'), 'x\nx\n');
  assert.match(res.stdout, /start\/0: attempt 1 failed, retrying/);
  assert.match(res.stderr, /task slow\/0 failed: Step 'slow' timed out after 1s \(@timeout\)/);
  assert.ok(Date.now() - started < 10_000, 'the timeout stopped the sleep');
  assert.is(box.flowc(['get', 'Retry/latest/start/n']).stdout, '2\n');
});

test('@catch records the failure and the run goes on', () => {
  box.write(
    'catch.flow',
    `flow Caught {
  @catch(var: failure)
  step start {
    run "echo boom >&2; exit 4"
    next end
  }
  step end {}
}
`,
  );
  const res = box.flowc(['run', 'catch.flow']);
  assert.is(res.code, 0, res.stderr);
  assert.match(res.stdout, /start\/0 failed \(caught by @catch\)/);
  const failure = JSON.parse(box.flowc(['get', 'Caught/latest/start/failure', '--json']).stdout);
  assert.is(failure.exit_code, 4);
  assert.is(failure.type, 'ExitCode');
  assert.match(failure.message, /exited with code 4/);
});

const hostile = `x; touch pwned1 #'"$(touch pwned2)\`touch pwned3\` && echo {{in.v}}`;

test('a parameter with shell metacharacters reaches run, argv and sh bodies unchanged and runs nothing', () => {
  box.write(
    'hostile.flow',
    `flow Hostile {
  param p: string
  step start {
    in p: string
    out a: string
    run "printf %s {{param.p}} > {{out.a}}"
    next argv
  }
  step argv {
    out b: string
    run ["sh", "-c", "printf %s \\"$1\\" > \\"$2\\"", "sh", "{{param.p}}", "{{out.b}}"]
    next script
  }
  step script {
    in p: string
    out c: string
    sh "c=\\"$p\\""
    next end
  }
  step end {}
}
`,
  );
  const res = box.flowc(['run', 'hostile.flow', '--param', `p=${hostile}`]);
  assert.is(res.code, 0, res.stderr);
  for (const name of ['a', 'b', 'c']) assert.is(box.flowc(['get', `Hostile/latest/${name}`]).stdout, `${hostile}\n`, name);
  for (const f of ['pwned1', 'pwned2', 'pwned3']) assert.not.ok(existsSync(join(box.dir, f)), f);
});

test('parameters are checked before anything runs', () => {
  const missing = box.flowc(['run', 'hostile.flow']);
  assert.is(missing.code, 1);
  assert.match(missing.stderr, /Parameter 'p' \(string\) is required: give it with --param p=VALUE\./);
  const unknown = box.flowc(['run', 'hostile.flow', '--param', 'p=1', '--param', 'q=2']);
  assert.match(unknown.stderr, /Flow 'Hostile' has no parameter 'q'/);
  box.write('typed.flow', `flow Typed {\n  param n: int = 1\n  step start {\n    in n: int\n    next end\n  }\n  step end {}\n}\n`);
  const bad = box.flowc(['run', 'typed.flow', '--param', 'n=2.5']);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, /Parameter 'n' should be int but is float 2\.5\./);
});

test('namespaces and tags: latest is per namespace', () => {
  box.write('ns.flow', `flow Ns {\n  param v: int = 1\n  step start {\n    in v: int\n    out w: int\n    sh "w=$v"\n    next end\n  }\n  step end {}\n}\n`);
  assert.is(box.flowc(['run', 'ns.flow', '--param', 'v=1']).code, 0);
  assert.is(box.flowc(['run', 'ns.flow', '--param', 'v=2', '--namespace', 'prod', '--tag', 'nightly']).code, 0);
  assert.is(box.flowc(['get', 'Ns/latest/w']).stdout, '1\n');
  assert.is(box.flowc(['get', 'Ns/latest/w', '--namespace', 'prod']).stdout, '2\n');
  assert.is(box.flowc(['runs', 'Ns']).stdout.trim().split('\n').length, 2);
  const all = box.flowc(['runs', 'Ns', '--all-namespaces']).stdout;
  assert.match(all, /prod\s+nightly/);
});

test.run();
