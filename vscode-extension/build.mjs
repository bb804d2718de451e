// Bundles the VS Code extension (CommonJS, as VS Code loads it) and the language server it launches (ESM) into
// vscode-extension/dist/, and copies the flowc.yaml JSON Schema for `yamlValidation`.
// Imported by scripts/build.mjs after the CLI bundle; `node vscode-extension/build.mjs` also works alone.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildLazyCjs, lazyCjs, lazyCjsPlugin } from '../scripts/lazy-cjs.mjs';

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
const [, , server] = await Promise.all([
  buildLazyCjs(root, 'vscode-extension/dist'),
  build({
    ...common,
    entryPoints: ['vscode-extension/src/extension.ts'],
    outfile: 'vscode-extension/dist/extension.cjs',
    format: 'cjs',
    external: ['vscode'],
    // When the bundle began to evaluate (before its dependencies), for the start-up milestones (lsp/timing.ts).
    banner: { js: 'globalThis.__flowcExtensionLoadStart = Date.now();' },
  }),
  // The server: what only some requests need (the targets, for `flowc/build`; yaml; Handlebars' parser) is left
  // out of server.mjs, in chunks and files loaded on first use, so the server starts compiling less (issue 14).
  build({
    ...common,
    entryPoints: { server: 'lsp/stdio-main.ts' },
    outdir: 'vscode-extension/dist',
    splitting: true,
    metafile: true,
    chunkNames: 'server-[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    plugins: [lazyCjsPlugin(root)],
    banner: { js: "import { createRequire as __flowcCreateRequire } from 'node:module'; const require = __flowcCreateRequire(import.meta.url);" },
  }),
]);

// Chunk names carry content hashes: remove those of earlier builds.
const written = new Set([...Object.keys(server.metafile.outputs).map((p) => join(root, p)), ...lazyCjs.map((l) => join(dist, l.file)), join(dist, 'extension.cjs')]);
for (const name of readdirSync(dist)) if (!written.has(join(dist, name))) rmSync(join(dist, name), { force: true, recursive: true });

// The schema is owned by the checker (compiler/config.schema.json); until it exists, ship a permissive one.
mkdirSync(join(here, 'schemas'), { recursive: true });
const schemaSource = join(root, 'compiler', 'config.schema.json');
const schemaTarget = join(here, 'schemas', 'flowc.schema.json');
if (existsSync(schemaSource)) copyFileSync(schemaSource, schemaTarget);
else writeFileSync(schemaTarget, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'flowc.yaml', type: 'object' }, null, 2) + '\n');
