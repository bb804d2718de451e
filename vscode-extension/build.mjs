// Bundles the VS Code extension (CommonJS, as VS Code loads it) and the language server it launches (ESM) into
// vscode-extension/dist/, and copies the flowc.yaml JSON Schema for `yamlValidation`.
// Imported by scripts/build.mjs after the CLI bundle; `node vscode-extension/build.mjs` also works alone.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCjsWithHash, buildLazyCjs, cjsOptions, lazyCjs, lazyCjsPlugin } from '../scripts/lazy-cjs.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');

const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
};

const dist = join(here, 'dist');
await Promise.all([
  buildLazyCjs(root, 'vscode-extension/dist'),
  // The extension: one CommonJS bundle, run through a V8 code cache by extension.cjs (src/extension-main.ts).
  buildCjsWithHash({ ...cjsOptions, absWorkingDir: root, entryPoints: ['vscode-extension/src/extension.ts'], outfile: 'vscode-extension/dist/extension-bundle.cjs', minify: true, external: ['vscode'] }),
  build({
    ...common,
    entryPoints: ['vscode-extension/src/extension-main.ts'],
    outfile: 'vscode-extension/dist/extension.cjs',
    format: 'cjs',
    // When the extension began to load (before the bundle), for the start-up milestones (lsp/timing.ts).
    banner: { js: 'globalThis.__flowcExtensionLoadStart = Date.now();' },
  }),
  // The server: one CommonJS file, run through a V8 code cache by server.mjs (src/server-main.ts); what only some
  // requests need (yaml, Handlebars' parser) stays in files required on first use (issue 14, start-up).
  buildCjsWithHash({
    ...cjsOptions,
    absWorkingDir: root,
    entryPoints: ['lsp/stdio-main.ts'],
    outfile: 'vscode-extension/dist/server-bundle.cjs',
    minify: true,
    plugins: [lazyCjsPlugin(root)],
  }),
  build({
    ...common,
    entryPoints: ['vscode-extension/src/server-main.ts'],
    outfile: 'vscode-extension/dist/server.mjs',
    format: 'esm',
    banner: { js: "import { dirname as __flowcDirname } from 'node:path'; import { fileURLToPath as __flowcPath } from 'node:url'; const __dirname = __flowcDirname(__flowcPath(import.meta.url));" },
  }),
]);

// Chunk names carry content hashes: remove those of earlier builds.
const written = new Set([...['server.mjs', 'server-bundle.cjs', 'extension.cjs', 'extension-bundle.cjs'].map((f) => join(dist, f)), ...lazyCjs.map((l) => join(dist, l.file))]);
for (const name of readdirSync(dist)) if (!written.has(join(dist, name))) rmSync(join(dist, name), { force: true, recursive: true });

// The schema is owned by the checker (compiler/config.schema.json); until it exists, ship a permissive one.
mkdirSync(join(here, 'schemas'), { recursive: true });
const schemaSource = join(root, 'compiler', 'config.schema.json');
const schemaTarget = join(here, 'schemas', 'flowc.schema.json');
if (existsSync(schemaSource)) copyFileSync(schemaSource, schemaTarget);
else writeFileSync(schemaTarget, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'flowc.yaml', type: 'object' }, null, 2) + '\n');
