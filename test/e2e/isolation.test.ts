/**
 * Tests never touch the user's state (issue 14: `npm test` filled the user's run list). test/run.ts points
 * FLOWC_HOME and XDG_STATE_HOME at a temporary folder for the whole session; the local-run sandbox gives each
 * flowc its own HOME and FLOWC_HOME. A flowc started with this process's environment remembers its datastore there.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { stateDir } from '../../targets/local/locate.ts';
import { sandbox } from '../targets/local/helpers.ts';

const underTmp = (p: string | undefined) => typeof p === 'string' && p.startsWith(tmpdir()) && !p.startsWith(homedir());

test('the test session keeps flowc state in a temporary folder', () => {
  assert.ok(underTmp(stateDir(process.env)), stateDir(process.env));
  assert.ok(underTmp(process.env.XDG_STATE_HOME), process.env.XDG_STATE_HOME);
});

test('the local-run sandbox gives flowc its own HOME and FLOWC_HOME, and its runs are remembered there', () => {
  const box = sandbox();
  assert.ok(underTmp(box.env.HOME) && underTmp(box.env.FLOWC_HOME));
  box.write('f.flow', 'flow Iso {\n  step start {\n    next end\n  }\n  step end {}\n}\n');
  const res = box.flowc(['run', 'f.flow']);
  assert.is(res.code, 0, res.stderr);
  const list = join(box.env.FLOWC_HOME, 'datastores');
  assert.ok(existsSync(list));
  assert.match(readFileSync(list, 'utf8'), new RegExp(`^${box.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});

test.run();
