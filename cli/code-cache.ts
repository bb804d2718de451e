/**
 * Start-up (issue 14): loads a CommonJS bundle through V8's code cache, made at run time (what Node 22's
 * `module.enableCompileCache` does for every module; Node 20 has no such switch, and its ESM loader takes no cached
 * code). `bin/flowc.js` loads the start-up bundle (`dist/start.cjs`: the command table and `flowc check`, built by
 * scripts/build.mjs) with it, so a second `flowc check` neither parses nor compiles what the first one ran.
 *
 * - The cache is the bundle's compiled code as it stands when the command has finished (`save`, called by the
 *   launcher): the functions compiled lazily during the run are in it too.
 * - One file per bundle, bundle hash (the build writes it into the bundle's last line), Node version and
 *   architecture, under `$FLOWC_HOME/cache`, else `$XDG_CACHE_HOME/flowc`, else `~/.cache/flowc`. Writing the file
 *   for one hash removes those of other hashes for the same Node (earlier builds).
 * - V8 checks a cache against its own version, flags, the source length and (see `withChecksums`) a checksum of
 *   its content, and rejects one that does not fit (`cachedDataRejected`: a truncated, damaged or foreign file):
 *   then the bundle is compiled from source and the cache rewritten. The file is written to a temporary name and renamed, so a concurrent run reads a whole file
 *   or none. Nothing here fails the command: an unreadable or unwritable cache only costs the compile.
 * - The bundle must not use import(): Node 20 loses a script's dynamic-import callback when its code comes from a
 *   cache (the build turns import() of what it leaves out into require).
 * - `FLOWC_CODE_CACHE=0` turns it off (the bundle is then compiled every time, as by `require`).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';

/** Where the code caches of `env`'s user live. */
export function codeCacheDir(env: Record<string, string | undefined>): string {
  if (env.FLOWC_HOME) return join(env.FLOWC_HOME, 'cache');
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'flowc');
}

/** The last line of a bundle built with a hash (scripts/build.mjs). */
const hashLine = /\n\/\/ flowc-bundle-hash: ([0-9a-f]{16,})\s*$/;

export interface CachedModule {
  /** What the bundle's `module.exports` holds. */
  exports: Record<string, unknown>;
  /** Whether V8 took its code from the cache. */
  fromCache: boolean;
  /** Writes the cache when there was none or V8 rejected it; call once the work is done. Never throws. */
  save(): void;
}

/** Runs the CommonJS bundle `file` (an absolute path) as `require` would, with its code from the cache when there is one. */
export function requireCached(file: string, env: Record<string, string | undefined>): CachedModule {
  const source = readFileSync(file, 'utf8');
  const hash = env.FLOWC_CODE_CACHE === '0' ? undefined : hashLine.exec(source.slice(-200))?.[1];
  const name = basename(file).replace(/\.c?js$/, '');
  const runtime = `${process.version}-${process.arch}`;
  const cacheFile = hash ? join(codeCacheDir(env), `${name}-${hash.slice(0, 16)}-${runtime}.v8`) : undefined;
  let cachedData: Buffer | undefined;
  if (cacheFile) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // No cache yet.
    }
  }
  // The wrapper starts on the bundle's first line, so line numbers in stack traces stay those of the file.
  const script = withChecksums(() => new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData }));
  const module = { exports: {} as Record<string, unknown> };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, dirname(file));
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  let saved = fromCache || !cacheFile;
  return {
    exports: module.exports,
    fromCache,
    save() {
      if (saved) return;
      saved = true;
      writeCache(cacheFile!, withChecksums(() => script.createCachedData()), `${name}-`, `-${runtime}.v8`);
    },
  };
}

/**
 * Runs `fn` with V8 writing and checking a checksum in code caches. Release builds of V8 check only a cache's
 * header: a cache damaged further in crashed the process (SIGSEGV), on every run. The flag is turned off again
 * because it applies to every code cache, Node's own built-in modules' included, which carry no checksum.
 */
function withChecksums<T>(fn: () => T): T {
  setFlagsFromString('--verify-snapshot-checksum');
  try {
    return fn();
  } finally {
    setFlagsFromString('--no-verify-snapshot-checksum');
  }
}

function writeCache(cacheFile: string, data: Buffer, prefix: string, suffix: string): void {
  const dir = dirname(cacheFile);
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, cacheFile);
    for (const other of readdirSync(dir)) {
      if (other.startsWith(prefix) && other.endsWith(suffix) && join(dir, other) !== cacheFile) rmSync(join(dir, other), { force: true });
    }
  } catch {
    // A cache that cannot be written only costs the next run a compile.
    try {
      rmSync(tmp, { force: true });
    } catch {
      // Nothing more to do.
    }
  }
}
