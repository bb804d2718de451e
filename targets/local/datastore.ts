/**
 * Where runs live: a content-addressed object store for artifact bytes and logs, plus small metadata documents
 * (run and task records) under readable keys. Two implementations: a directory (`fs-datastore.ts`) and an S3
 * prefix (`s3-datastore.ts`, loaded only when a datastore URL starts with `s3://`).
 *
 * Layout, the same on disk and in S3 (keys are `/`-separated and relative to the root):
 *   objects/<sha[0..2]>/<sha256>          artifact bytes, dir manifests, logs (immutable, named by content)
 *   runs/<Flow>/<RunId>/run.json          the run record (status, namespace, tags, params, step hashes)
 *   runs/<Flow>/<RunId>/ir.json           the IR the run executed
 *   runs/<Flow>/<RunId>/tasks/<step>/<task>.json   one record per finished task
 *
 * Invariant: an object becomes visible under its final name only complete (temp file + rename on disk; one
 * PUT in S3), and a task record is written only after every object it names. A crash therefore never leaves a
 * record that points at missing or partial bytes, and resume trusts only tasks that have a record.
 */
export interface Datastore {
  /** How to name this datastore to a user (`/abs/path/.flowc` or `s3://bucket/prefix`). */
  readonly location: string;
  /** Stores bytes and returns their SHA-256 (hex). Storing the same bytes twice is a no-op. */
  putBytes(data: Buffer | string): Promise<string>;
  /** Stores the content of a local file and returns its SHA-256. */
  putFile(path: string): Promise<string>;
  getBytes(sha: string): Promise<Buffer>;
  /** Writes the object to a local file (creating parent directories). */
  fetchTo(sha: string, path: string): Promise<void>;
  /** Writes a metadata document atomically (readers see the old or the new content, never a mix). */
  writeDoc(key: string, text: string): Promise<void>;
  /** Reads a metadata document; null when it does not exist. */
  readDoc(key: string): Promise<string | null>;
  /** The immediate child names under a key prefix (`runs/MyFlow` → run ids), sorted; empty when none. */
  list(prefix: string): Promise<string[]>;
}

export const objectKey = (sha: string): string => `objects/${sha.slice(0, 2)}/${sha}`;

export function isS3Url(text: string): boolean {
  return text.startsWith('s3://');
}

/**
 * Opens a datastore: `s3://bucket/prefix` (the AWS SDK is imported only then) or a local directory
 * (created on first write; temporary objects that a dead writer left are removed, see `sweepStaleTemps`).
 */
export async function openDatastore(location: string): Promise<Datastore> {
  if (isS3Url(location)) {
    const { S3Datastore } = await import('./s3-datastore.ts');
    return S3Datastore.fromUrl(location);
  }
  const { FsDatastore, sweepStaleTemps } = await import('./fs-datastore.ts');
  await sweepStaleTemps(location);
  return new FsDatastore(location);
}
