/**
 * Loading `flowc.yaml`: YAML (via `yaml`, with a bound on alias expansion and prototype keys rejected),
 * validated against `config.schema.json` (a validator generated at build time by scripts/gen-validators.mjs), sizes
 * normalized to MiB.
 *
 * Codes: config-yaml, config-invalid, config-unsafe-key.
 * Diagnostics carry `file` and offsets into the YAML text, so they point at the offending line.
 * Invariant: no IO; the caller reads the file.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { ErrorObject } from 'ajv';
import { validate as validateSchema } from './generated/config-validator.js';
import schema from './config.schema.json' with { type: 'json' };
import type { Diagnostic } from '../diagnostics/types.ts';
import { compareDiagnostics } from '../diagnostics/render.ts';
import type { FlowcConfig } from './config-types.ts';
import { sizeToMiB } from '../grammar/units.ts';
import { didYouMean, suggest } from '../diagnostics/suggest.ts';
import { createReporter } from '../diagnostics/report.ts';

const MAX_ALIAS_COUNT = 100;
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Validates against config.schema.json with the validator generated at build time (scripts/gen-validators.mjs). */
function validate(value: unknown): ErrorObject[] {
  return validateSchema(value) ? [] : (validateSchema.errors ?? []);
}

/** Parses and validates a `flowc.yaml`. Never throws; on errors the config holds what could be read safely. */
export function loadConfig(text: string, file: string): { config: FlowcConfig; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = createReporter(diagnostics, file);
  const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false });
  for (const err of doc.errors) {
    const [start, end] = err.pos;
    report('config-yaml', { start, end: Math.max(end, start + 1) }, `${file} is not valid YAML: ${firstLine(err.message)}.`);
  }
  if (doc.errors.length > 0) return { config: {}, diagnostics: diagnostics.sort(compareDiagnostics) };

  let unsafe = false;
  walk(doc.contents as YamlNode | null, (key, span) => {
    if (UNSAFE_KEYS.has(key)) {
      unsafe = true;
      report('config-unsafe-key', span, `The key '${key}' is not allowed in ${file}.`);
    }
  });
  if (unsafe) return { config: {}, diagnostics: diagnostics.sort(compareDiagnostics) };

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (err) {
    report('config-yaml', { start: 0, end: Math.min(1, text.length) }, `${file} cannot be read: ${firstLine((err as Error).message)}.`);
    return { config: {}, diagnostics: diagnostics.sort(compareDiagnostics) };
  }
  if (value === null || value === undefined) return { config: {}, diagnostics };

  const errors = validate(value);
  for (const err of dedupe(errors)) {
    const path = err.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    let message: string;
    let spanPath = path;
    let data: Record<string, unknown> | undefined;
    if (err.keyword === 'additionalProperties') {
      const key = String((err.params as { additionalProperty: string }).additionalProperty);
      const known = propertiesAt(path);
      const suggestion = suggest(key, known);
      message = `Unknown setting '${[...path, key].join('.')}' in ${file}.${didYouMean(suggestion)}`;
      spanPath = [...path, key];
      data = suggestion ? { suggestion } : undefined;
      const keyNode = keyNodeAt(doc, spanPath);
      report('config-invalid', keyNode ?? spanOf(doc, spanPath, text), message, { data });
      continue;
    }
    const where = path.length > 0 ? `'${path.join('.')}'` : 'The file';
    if (err.schemaPath.includes('$defs/size')) message = `${where} expected a size such as 512GiB.`;
    else if (err.keyword === 'pattern') message = `${where} is not in the expected format.`;
    else if (err.keyword === 'type') message = `${where} must be ${article((err.params as { type: string }).type)}.`;
    else if (err.keyword === 'enum') message = `${where} must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}.`;
    else message = `${where} ${err.message ?? 'is invalid'}.`;
    report('config-invalid', spanOf(doc, spanPath, text), message);
  }
  if (errors.length > 0) return { config: {}, diagnostics: diagnostics.sort(compareDiagnostics) };
  return { config: normalize(value, schema as SchemaNode) as FlowcConfig, diagnostics };
}

type SchemaNode = { $ref?: string; properties?: Record<string, SchemaNode> } | undefined;
const SIZE_REF = '#/$defs/size';

/** A schema node with its `$ref` followed (one level: the schema's `$defs`). */
const deref = (node: SchemaNode): SchemaNode => (node?.$ref ? (schema.$defs as Record<string, SchemaNode>)[node.$ref.replace('#/$defs/', '')] : node);

function parseSize(text: unknown): number | undefined {
  const m = typeof text === 'string' ? /^(\d+(?:\.\d+)?)([A-Za-z]+)$/.exec(text) : null;
  return m ? sizeToMiB(Number(m[1]), m[2]) : undefined;
}

/**
 * The validated value with every size setting (a `$defs/size` in the schema, in any section) as a number of
 * MiB under its name + `MiB`: `memory: 8GiB` → `memoryMiB: 8192`. Generic over the schema, so a target's section
 * needs no code here.
 */
function normalize(value: unknown, node: SchemaNode): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const properties = deref(node)?.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const prop = Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
    if (prop?.$ref === SIZE_REF) {
      const mib = parseSize(v);
      if (mib !== undefined) out[`${key}MiB`] = mib;
    } else out[key] = normalize(v, prop);
  }
  return out;
}

const firstLine = (s: string): string => s.split('\n')[0].replace(/[.:]\s*$/, '');
const article = (type: string): string => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.instancePath}\0${e.keyword}\0${JSON.stringify(e.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The property names the schema allows at a path (for suggestions). */
function propertiesAt(path: string[]): string[] {
  let node: SchemaNode = schema as SchemaNode;
  for (const part of path) node = deref(node?.properties?.[part]);
  return Object.keys(node?.properties ?? {});
}

function walk(node: YamlNode | null | undefined, onKey: (key: string, span: { start: number; end: number }) => void, depth = 0): void {
  if (!node || depth > 64) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as YamlNode | null;
      if (isScalar(key) && key.range) onKey(String(key.value), { start: key.range[0], end: key.range[1] });
      walk(pair.value as YamlNode | null, onKey, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walk(item as YamlNode | null, onKey, depth + 1);
  }
}

function keyNodeAt(doc: Document, path: string[]): { start: number; end: number } | undefined {
  const parent = path.length > 1 ? doc.getIn(path.slice(0, -1), true) : doc.contents;
  if (!isMap(parent)) return undefined;
  for (const pair of parent.items) {
    const key = pair.key as YamlNode | null;
    if (isScalar(key) && String(key.value) === path[path.length - 1] && key.range) return { start: key.range[0], end: key.range[1] };
  }
  return undefined;
}

/** The span of the value at a path, else of its nearest existing ancestor, else the start of the file. */
function spanOf(doc: Document, path: string[], text: string): { start: number; end: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true)) as YamlNode | null | undefined;
    if (node && node.range) {
      if (isScalar(node)) return { start: node.range[0], end: node.range[1] };
      const key = keyNodeAt(doc, path.slice(0, n));
      if (key) return key;
      return { start: node.range[0], end: Math.min(node.range[1], text.indexOf('\n', node.range[0]) >>> 0) };
    }
  }
  return { start: 0, end: Math.min(1, text.length) };
}
