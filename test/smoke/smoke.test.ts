import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { storageOf } from '../../compiler/ir.ts';

test('storage classes of scalar and structured types', () => {
  assert.is(storageOf({ kind: 'int' }), 'value');
  assert.is(storageOf({ kind: 'list', element: { kind: 'int' } }), 'json');
  assert.is(storageOf({ kind: 'dir' }), 'dir');
});

test.run();
