/**
 * Moving artifacts between task directories and the datastore: storing a task's outputs (decoded, validated,
 * content-addressed) and materializing a task's inputs (env values or files under `in/`).
 */
import { lstat, mkdir, readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { JsonValue, StorageIR, TypeIR } from '../../compiler/ir.ts';
import { decodeValueFile, encodeValueFile } from '../protocol/index.ts';
import { hasBigInt, parseJson } from '../protocol/json64.ts';
import type { Datastore } from './datastore.ts';
import type { ArtifactMeta } from './records.ts';

/** Scalars up to this many characters are kept inline in records, besides their object. */
const INLINE_LIMIT = 256;

export interface DirManifest {
  files: { path: string; sha: string }[];
}

/** Stores a JSON-encodable value (value/json storage). */
export async function storeValue(ds: Datastore, value: unknown, type: TypeIR, storage: StorageIR): Promise<ArtifactMeta> {
  const text = encodeValueFile(value);
  const sha = await ds.putBytes(text);
  const meta: ArtifactMeta = { storage, type, sha };
  // Records are plain JSON: a value holding a 64-bit integer beyond 2^53 stays in its object only.
  if (storage === 'value' && text.length <= INLINE_LIMIT && !hasBigInt(value)) meta.value = value as JsonValue;
  return meta;
}

/** Stores a local file or directory tree (file/dir storage). Directories become a manifest of their files. */
export async function storePath(ds: Datastore, path: string, type: TypeIR, storage: 'file' | 'dir'): Promise<ArtifactMeta> {
  if (storage === 'file') return { storage, type, sha: await ds.putFile(path) };
  const files: DirManifest['files'] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const ent of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = join(dir, ent.name);
      if (ent.isDirectory()) await walk(full);
      else if (ent.isFile()) files.push({ path: relative(path, full).split(sep).join('/'), sha: await ds.putFile(full) });
    }
  };
  await walk(path);
  return { storage, type, sha: await ds.putBytes(JSON.stringify({ files } satisfies DirManifest)) };
}

export type OutputResult = { ok: true; meta: ArtifactMeta; value?: unknown } | { ok: false; reason: 'missing' | 'decode'; message: string; value?: unknown };

/**
 * Reads output `path` of the given type: decodes value/json content (the value is returned for validation by
 * the caller), or checks that a file/dir exists with the right kind. Stores it only when readable.
 */
export async function readOutput(ds: Datastore, path: string, type: TypeIR, storage: StorageIR): Promise<OutputResult> {
  let st;
  try {
    st = await lstat(path);
  } catch {
    return { ok: false, reason: 'missing', message: 'was not written' };
  }
  if (storage === 'file' || storage === 'dir') {
    if (storage === 'file' && !st.isFile()) return { ok: false, reason: 'decode', message: 'should be a file but is a directory' };
    if (storage === 'dir' && !st.isDirectory()) return { ok: false, reason: 'decode', message: 'should be a directory but is a file' };
    return { ok: true, meta: await storePath(ds, path, type, storage) };
  }
  const text = await readFile(path, 'utf8');
  let value: unknown;
  try {
    value = decodeValueFile(type, text);
  } catch (err) {
    return { ok: false, reason: 'decode', message: (err as Error).message };
  }
  return { ok: true, meta: await storeValue(ds, value, type, storage), value };
}

/** Reads back a value/json artifact. */
export async function loadValue(ds: Datastore, meta: ArtifactMeta, cache?: Map<string, unknown>): Promise<unknown> {
  if (meta.value !== undefined) return meta.value;
  if (!meta.sha) throw new Error('The artifact has no stored content.');
  const hit = cache?.get(meta.sha);
  if (hit !== undefined) return hit;
  const value = parseJson((await ds.getBytes(meta.sha)).toString('utf8'));
  cache?.set(meta.sha, value);
  return value;
}

/** Writes an artifact to a local path: JSON text, the file, or the directory tree (`s3` ones are downloaded). */
export async function materialize(ds: Datastore, meta: ArtifactMeta, path: string): Promise<void> {
  if (meta.s3) {
    const { downloadS3 } = await import('./s3-datastore.ts');
    await downloadS3(meta.s3, path, meta.storage === 'dir' ? 'dir' : 'file');
    return;
  }
  if (meta.storage === 'dir') {
    const manifest = JSON.parse((await ds.getBytes(meta.sha!)).toString('utf8')) as DirManifest;
    await mkdir(path, { recursive: true });
    await Promise.all(manifest.files.map((f) => ds.fetchTo(f.sha, join(path, ...f.path.split('/')))));
    return;
  }
  if (meta.value !== undefined && meta.storage === 'value') {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(path, encodeValueFile(meta.value));
    return;
  }
  await ds.fetchTo(meta.sha!, path);
}
