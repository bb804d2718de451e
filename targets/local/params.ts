/**
 * Parameter values for a run: `--param name=value` text parsed by the parameter's type (strings as written,
 * `file`/`dir` as a local path or an `s3://` URL, everything else as JSON), defaults filled in, and every value
 * validated against its type before anything runs.
 */
import { IntRangeError, parseJson } from '../protocol/json64.ts';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FlowIR, ParamIR } from '../../compiler/ir.ts';
import { describeType } from '../protocol/index.ts';
import { isS3Url, type Datastore } from './datastore.ts';
import { loadValue, storePath, storeValue } from './artifacts.ts';
import type { ArtifactMeta } from './records.ts';
import { typeMismatchMessage, type TypeChecker } from './validate.ts';

/** Splits `name=value` (the value may contain `=`). */
export function splitParamArg(arg: string): [string, string] | null {
  const eq = arg.indexOf('=');
  return eq <= 0 ? null : [arg.slice(0, eq), arg.slice(eq + 1)];
}

async function pathParam(ds: Datastore, p: ParamIR, text: string, cwd: string): Promise<ArtifactMeta | string> {
  const storage = p.type.kind === 'dir' ? 'dir' : 'file';
  if (isS3Url(text)) return { storage, type: p.type, s3: text };
  const path = resolve(cwd, text);
  try {
    const st = await stat(path);
    if (storage === 'dir' ? !st.isDirectory() : !st.isFile()) return `Parameter '${p.name}' should be a ${storage === 'dir' ? 'directory' : 'file'}: '${text}' is not one.`;
  } catch {
    return `Parameter '${p.name}' names '${text}', which does not exist.`;
  }
  return storePath(ds, path, p.type, storage);
}

/**
 * Builds the parameter artifacts of a run. Returns the problems as sentences instead when a value is missing,
 * unknown or of the wrong type.
 */
export async function resolveParams(
  ir: FlowIR,
  given: Record<string, string>,
  opts: { ds: Datastore; cwd: string; check: TypeChecker },
): Promise<{ params: Record<string, ArtifactMeta>; errors: string[] }> {
  const errors: string[] = [];
  const params: Record<string, ArtifactMeta> = {};
  const known = new Set(ir.params.map((p) => p.name));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      errors.push(`Flow '${ir.name}' has no parameter '${name}'${known.size ? ` (parameters: ${[...known].join(', ')})` : ''}.`);
    }
  }
  for (const p of ir.params) {
    const text = given[p.name];
    const storage = p.type.kind === 'file' || p.type.kind === 'dir' ? p.type.kind : p.type.kind === 'int' || p.type.kind === 'float' || p.type.kind === 'bool' || p.type.kind === 'string' ? 'value' : 'json';
    if (text === undefined) {
      if (p.required || p.default === undefined) {
        errors.push(`Parameter '${p.name}' (${describeType(p.type)}) is required: give it with --param ${p.name}=VALUE.`);
        continue;
      }
      if (storage === 'file' || storage === 'dir') {
        const res = await pathParam(opts.ds, p, String(p.default), opts.cwd);
        if (typeof res === 'string') errors.push(res);
        else params[p.name] = res;
      } else params[p.name] = await storeValue(opts.ds, p.default, p.type, storage);
      continue;
    }
    if (storage === 'file' || storage === 'dir') {
      const res = await pathParam(opts.ds, p, text, opts.cwd);
      if (typeof res === 'string') errors.push(res);
      else params[p.name] = res;
      continue;
    }
    let value: unknown = text;
    if (p.type.kind !== 'string') {
      try {
        value = parseJson(text);
      } catch (err) {
        if (err instanceof IntRangeError) {
          errors.push(`Parameter '${p.name}' should be ${describeType(p.type)} but ${err.message}.`);
          continue;
        }
        errors.push(`Parameter '${p.name}' should be ${describeType(p.type)} but '${text}' is not ${p.type.kind === 'int' || p.type.kind === 'float' ? 'a number' : 'valid JSON'}.`);
        continue;
      }
    }
    const reason = opts.check(value, p.type);
    if (reason) {
      errors.push(typeMismatchMessage(`Parameter '${p.name}'`, p.type, reason));
      continue;
    }
    params[p.name] = await storeValue(opts.ds, value, p.type, storage);
  }
  return { params, errors };
}

/**
 * The input that starts a run on a remote engine (a Step Functions execution input): the given parameters as
 * values, `file`/`dir` parameters (given, or defaults that are local paths) uploaded into the datastore first and
 * passed as `{"sha": ...}` (an `s3://` URL stays a URL, read by the task), plus the run options under `flowc`.
 */
export async function submissionInput(
  ir: FlowIR,
  given: Record<string, string>,
  opts: { ds: Datastore; cwd: string; check: TypeChecker; namespace: string; tags: string[] },
): Promise<{ input: Record<string, unknown>; errors: string[] }> {
  const { params, errors } = await resolveParams(ir, given, opts);
  const input: Record<string, unknown> = {};
  for (const p of ir.params) {
    const meta = params[p.name];
    if (!meta) continue;
    if (meta.storage === 'file' || meta.storage === 'dir') input[p.name] = meta.s3 ?? { sha: meta.sha };
    else if (p.name in given) input[p.name] = await loadValue(opts.ds, meta);
  }
  input.flowc = { namespace: opts.namespace, tags: opts.tags };
  return { input, errors };
}
