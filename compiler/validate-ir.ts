/**
 * Validates IR documents against `ir.schema.json` with ajv. The schema is compiled on first use, so
 * programs that never validate IR do not pay for ajv's compilation.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import schema from './ir.schema.json' with { type: 'json' };
import { irJson } from './ir.ts';

let validator: ValidateFunction | undefined;

/**
 * Problems found in `ir`, as `path: message` lines; empty when it is valid. The schema describes the IR's JSON
 * text, so an IR object is checked as that text reads back (a `bigint` is an integer there).
 */
export function validateIR(ir: unknown): string[] {
  validator ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
  if (validator(JSON.parse(irJson(ir)))) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}`);
}
