/** No dead exports: every exported value is used by another file, or its file is an API (scripts/dead-exports.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deadExports } from '../../scripts/dead-exports.ts';

test('every exported value is used outside its own file', () => {
  const dead = deadExports();
  assert.equal(dead, [], `exports that no other file uses (drop \`export\`, delete the code, or list an API in scripts/dead-exports.ts):\n${dead.join('\n')}`);
});

test.run();
