/**
 * The vendored SARIF 2.1.0 schema (test/fixtures/sarif/README.md) compiled with ajv.
 * The file is draft-04; ajv 8 reads it as draft-07 once its `id` is called `$id` (see the README for why that is safe).
 * One `pattern` in it (`language`) has a stray `]` that is only legal outside unicode mode, hence `unicodeRegExp: false`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { testRoot } from '../helpers/golden.ts';

let validator: ValidateFunction | null = null;

export function sarifValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(join(testRoot, 'fixtures/sarif/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  const ajv = new Ajv.default({ allErrors: true, strict: false, unicodeRegExp: false });
  // The schema's formats, checked here rather than through ajv-formats, which is not a dependency of ours.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => URL.canParse(value, 'file:///base/') && !/\s/.test(value));
  ajv.addFormat('date-time', (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value));
  validator = ajv.compile(schema);
  return validator;
}

/** Ajv's errors as readable lines, for assertion messages. */
export function sarifErrors(): string {
  return (validator?.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('\n');
}
