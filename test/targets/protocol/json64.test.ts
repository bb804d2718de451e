/** JSON with exact 64-bit integers (targets/protocol/json64.ts). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IntRangeError, parseJson, stringifyJson } from '../../../targets/protocol/json64.ts';

test('integers beyond 2^53 are bigints, written back with every digit; smaller ones and decimals are numbers', () => {
  const v = parseJson('{"a": 9007199254740993, "b": [1, 2.5, -9223372036854775808, 1e3], "c": 9007199254740991}');
  assert.equal(v, { a: 9007199254740993n, b: [1, 2.5, -9223372036854775808n, 1000], c: 9007199254740991 });
  assert.is(stringifyJson(v), '{"a":9007199254740993,"b":[1,2.5,-9223372036854775808,1000],"c":9007199254740991}');
});

test('an integer outside the 64-bit range is an error naming it', () => {
  assert.throws(() => parseJson('[9223372036854775808]'), (e: Error) => e instanceof IntRangeError && e.message.includes('9223372036854775808'));
  assert.throws(() => parseJson(String(2n ** 200n)), (e: Error) => e instanceof IntRangeError && /\(61 digits\)/.test(e.message));
  assert.is(parseJson('9223372036854775807'), 9223372036854775807n);
});

test.run();
