// Bundles the VS Code extension (CommonJS, as VS Code loads it) and the language server it launches (ESM) into
// vscode-extension/dist/, and copies the flowc.yaml JSON Schema for `yamlValidation`.
// Imported by scripts/build.mjs after the CLI bundle; `node vscode-extension/build.mjs` also works alone.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

await Promise.all([
  build({
    ...common,
    entryPoints: ['vscode-extension/src/extension.ts'],
    outfile: 'vscode-extension/dist/extension.cjs',
    format: 'cjs',
    external: ['vscode'],
    // When the bundle began to evaluate (before its dependencies), for the start-up milestones (lsp/timing.ts).
    banner: { js: 'globalThis.__flowcExtensionLoadStart = Date.now();' },
  }),
  build({
    ...common,
    entryPoints: ['lsp/stdio-main.ts'],
    outfile: 'vscode-extension/dist/server.mjs',
    format: 'esm',
    banner: { js: "import { createRequire as __flowcCreateRequire } from 'node:module'; const require = __flowcCreateRequire(import.meta.url);" },
  }),
]);

// The schema is owned by the checker (compiler/config.schema.json); until it exists, ship a permissive one.
mkdirSync(join(here, 'schemas'), { recursive: true });
const schemaSource = join(root, 'compiler', 'config.schema.json');
const schemaTarget = join(here, 'schemas', 'flowc.schema.json');
if (existsSync(schemaSource)) copyFileSync(schemaSource, schemaTarget);
else writeFileSync(schemaTarget, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'flowc.yaml', type: 'object' }, null, 2) + '\n');
