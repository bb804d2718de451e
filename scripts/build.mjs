// Bundles the CLI (which also hosts the language server) with esbuild into dist/.
// ESM with code splitting, so heavy modules (AWS SDK, ajv schemas, the language server) load only when
// a command imports them. Run by `npm install` (prepare), `npm test` and `npm run bench`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLazyCjs, cjsOptions, lazyCjs, lazyCjsPlugin } from './lazy-cjs.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Schema validators first: the bundle imports them.
await import('./gen-validators.mjs');
await import('./gen-runtime-zip.mjs');

// yaml and Handlebars' parser: files of their own, required on first use (scripts/lazy-cjs.mjs).
await buildLazyCjs(root, 'dist');

const version = JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
const result = await build({
  absWorkingDir: root,
  metafile: true,
  entryPoints: { flowc: 'cli/main.ts', client: 'targets/local/client.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Less text for V8 to parse at start-up; names stay, so stack traces read as before.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  define: { __FLOWC_VERSION__: version },
  logLevel: 'warning',
  plugins: [lazyCjsPlugin(root)],
  // Some CommonJS dependencies call require(); give the ESM bundle one. It is made on first call: createRequire
  // costs start-up time, and every chunk carries this banner.
  banner: { js: "import { createRequire as __flowcCreateRequire } from 'node:module'; let __flowcRequire; const require = (id) => (__flowcRequire ??= __flowcCreateRequire(import.meta.url))(id);" },
});

// The start-up bundle, dist/start.cjs: the command table and `flowc check` in one CommonJS file, which bin/flowc.js
// loads through a V8 code cache made at run time (cli/code-cache.ts): Node 20 caches no compiled code for ES modules,
// and one file saves resolving and linking some twenty chunks. The other commands are not in it (bin/flowc.js runs
// them from dist/flowc.js). Its last line is a hash of the rest, which keys the cache. It holds no import(): Node 20
// loses a script's dynamic-import callback when its code comes from a cache, so import() of a built-in is require.
const startCommands = ['check'];
const startFile = join(root, 'dist', 'start.cjs');
const start = await build({
  absWorkingDir: root,
  stdin: {
    // check-parallel's top level starts the worker loop when a `flowc check --jobs` worker loads this file.
    contents: "export { run } from './cli/main.ts';\nimport './cli/check-parallel.ts';\n",
    resolveDir: root,
    sourcefile: 'start.ts',
    loader: 'ts',
  },
  ...cjsOptions,
  outfile: startFile,
  write: false,
  supported: { 'dynamic-import': false },
  define: {
    __FLOWC_VERSION__: version,
    'import.meta.url': '__flowcBundleUrl',
  },
  banner: { js: "var __flowcBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  plugins: [
    lazyCjsPlugin(root),
    {
      name: 'commands-elsewhere',
      setup(b) {
        b.onResolve({ filter: /^\.\/cmd-[a-z]+\.ts$/ }, (args) => {
          const name = args.path.slice('./cmd-'.length, -'.ts'.length);
          return startCommands.includes(name) ? undefined : { path: name, namespace: 'command-elsewhere' };
        });
        b.onLoad({ filter: /.*/, namespace: 'command-elsewhere' }, (args) => ({
          contents: `export default async function () {\n  throw new Error(${JSON.stringify(`flowc ${args.path} is not in dist/start.cjs: bin/flowc.js runs it from dist/flowc.js.`)});\n}\n`,
          loader: 'js',
        }));
      },
    },
  ],
});
// Its loader, required by bin/flowc.js (CommonJS too: Node then starts without its ES module loader).
await build({ ...cjsOptions, absWorkingDir: root, entryPoints: ['cli/code-cache.ts'], outfile: 'dist/code-cache.cjs' });
const startCode = start.outputFiles[0].text;
writeFileSync(startFile, `${startCode}\n// flowc-bundle-hash: ${createHash('sha256').update(startCode).digest('hex')}\n`);

// Chunk names carry content hashes: remove chunks of earlier builds so dist/ holds only this one.
const written = new Set([...Object.keys(result.metafile.outputs), ...lazyCjs.map((l) => join('dist', l.file)), 'dist/start.cjs', 'dist/code-cache.cjs'].map((p) => join(root, p)));
for (const name of readdirSync(join(root, 'dist'))) {
  const path = join(root, 'dist', name);
  if (!written.has(path)) rmSync(path, { force: true, recursive: true });
}

// Type declarations for the client API (`import { Flow } from 'flowc'`), for the client's module graph only.
if (!process.env.FLOWC_SKIP_TYPES) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const flags = ['--declaration', '--emitDeclarationOnly', '--outDir', 'dist/types', '--rootDir', '.', '--module', 'NodeNext', '--moduleResolution', 'NodeNext', '--target', 'ES2022', '--allowImportingTsExtensions', '--strict', '--skipLibCheck', '--types', 'node', '--resolveJsonModule'];
  execFileSync(process.execPath, [tsc, ...flags, 'targets/local/client.ts'], { cwd: root, stdio: 'inherit' });
}

// The VS Code extension is bundled by its own script once it exists.
if (existsSync(join(root, 'vscode-extension', 'build.mjs'))) {
  await import(join(root, 'vscode-extension', 'build.mjs'));
}
