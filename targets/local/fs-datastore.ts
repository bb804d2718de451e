/** The datastore as a directory on the local disk (see `datastore.ts` for the layout and invariants). */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { objectKey, type Datastore } from './datastore.ts';

/**
 * A `.tmp-*` object not written to for this long belongs to a writer that died (a run killed with -9 in the middle
 * of storing an artifact): a live writer's file changes at least every few seconds, whatever its size.
 */
export const STALE_TMP_MS = 15 * 60 * 1000;

/**
 * Removes the stale temporary objects under `root/objects/` (by age, never a live writer's). Called when a
 * datastore is opened; failures are ignored (another process may be sweeping too). Returns the names removed.
 */
export async function sweepStaleTemps(root: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const objects = join(root, 'objects');
  let shards: string[];
  try {
    shards = await readdir(objects);
  } catch {
    return removed;
  }
  for (const shard of shards) {
    let names: string[];
    try {
      names = await readdir(join(objects, shard));
    } catch {
      continue;
    }
    for (const name of names) {
      if (!name.includes('.tmp-')) continue;
      const path = join(objects, shard, name);
      try {
        if (now - (await stat(path)).mtimeMs < STALE_TMP_MS) continue;
        await rm(path, { force: true });
        removed.push(`${shard}/${name}`);
      } catch {
        // Gone already.
      }
    }
  }
  return removed;
}

export class FsDatastore implements Datastore {
  readonly location: string;
  private readonly madeDirs = new Set<string>();

  constructor(root: string) {
    this.location = resolve(root);
  }

  private path(key: string): string {
    return join(this.location, ...key.split('/'));
  }

  private async ensureDir(dir: string): Promise<void> {
    if (this.madeDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    this.madeDirs.add(dir);
  }

  /** Writes `data` to a temp file beside `target`, then renames it into place. */
  private async atomicWrite(target: string, data: Buffer | string): Promise<void> {
    await this.ensureDir(dirname(target));
    const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await writeFile(tmp, data);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  private async exists(path: string): Promise<boolean> {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  }

  async putBytes(data: Buffer | string): Promise<string> {
    const sha = createHash('sha256').update(data).digest('hex');
    const target = this.path(objectKey(sha));
    if (!(await this.exists(target))) await this.atomicWrite(target, data);
    return sha;
  }

  async putFile(path: string): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
    const sha = hash.digest('hex');
    const target = this.path(objectKey(sha));
    if (await this.exists(target)) return sha;
    await this.ensureDir(dirname(target));
    const tmp = `${target}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    try {
      await copyFile(path, tmp);
      await rename(tmp, target);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    return sha;
  }

  async getBytes(sha: string): Promise<Buffer> {
    return readFile(this.path(objectKey(sha)));
  }

  async fetchTo(sha: string, path: string): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await copyFile(this.path(objectKey(sha)), path);
  }

  async writeDoc(key: string, text: string): Promise<void> {
    await this.atomicWrite(this.path(key), text);
  }

  async readDoc(key: string): Promise<string | null> {
    try {
      return await readFile(this.path(key), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  async list(prefix: string): Promise<string[]> {
    try {
      const names = await readdir(this.path(prefix));
      return names.filter((n) => !n.includes('.tmp-')).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}
