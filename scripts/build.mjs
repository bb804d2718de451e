// Bundles the CLI (which also hosts the language server) with esbuild into dist/.
// ESM with code splitting, so heavy modules (AWS SDK, ajv schemas, the language server) load only when
// a command imports them. Run by `npm install` (prepare), `npm test` and `npm run bench`.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Schema validators first: the bundle imports them.
await import('./gen-validators.mjs');
await import('./gen-runtime-zip.mjs');

// CommonJS dependencies that only some inputs need (yaml for a flowc.yaml, Handlebars' parser for `{{...}}`
// templates) are bundled into files of their own and required on first call, so a command that never needs
// them does not compile or evaluate them (start-up; issue 14). The bundle imports a shim instead of the package:
// a function per name listed, forwarding to the real one (`new` too); nothing else (constants, instanceof
// on these names) is forwarded, and esbuild fails the build when the code imports a name not listed here.
const lazyCjs = [
  { module: 'yaml', file: 'lazy-yaml.cjs', names: ['isMap', 'isScalar', 'isSeq', 'LineCounter', 'parseDocument'] },
  { module: 'handlebars/dist/cjs/handlebars/compiler/base.js', file: 'lazy-handlebars.cjs', names: ['parseWithoutProcessing'], default: true },
];
await Promise.all(lazyCjs.map((lazy) => build({
  absWorkingDir: root,
  stdin: { contents: `module.exports = require(${JSON.stringify(lazy.module)});`, resolveDir: root, loader: 'js' },
  outfile: join('dist', lazy.file),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
})));
const lazyCjsPlugin = {
  name: 'lazy-cjs',
  setup(b) {
    for (const lazy of lazyCjs) {
      const filter = new RegExp(`^${lazy.module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
      b.onResolve({ filter }, () => ({ path: lazy.module, namespace: 'lazy-cjs' }));
    }
    b.onLoad({ filter: /.*/, namespace: 'lazy-cjs' }, (args) => {
      const lazy = lazyCjs.find((l) => l.module === args.path);
      const forward = lazy.names.map((n) => `export function ${n}(...args) { const f = load().${n}; return new.target ? new f(...args) : f.apply(this, args); }`);
      return {
        contents: [
          "import { createRequire } from 'node:module';",
          'let mod;',
          `const load = () => (mod ??= createRequire(import.meta.url)(${JSON.stringify('./' + lazy.file)}));`,
          ...forward,
          lazy.default ? `export default { ${lazy.names.join(', ')} };` : '',
        ].join('\n'),
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

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
  define: { __FLOWC_VERSION__: JSON.stringify(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version) },
  logLevel: 'warning',
  plugins: [lazyCjsPlugin],
  // Some CommonJS dependencies call require(); give the ESM bundle one. It is made on first call: createRequire
  // costs start-up time, and every chunk carries this banner.
  banner: { js: "import { createRequire as __flowcCreateRequire } from 'node:module'; let __flowcRequire; const require = (id) => (__flowcRequire ??= __flowcCreateRequire(import.meta.url))(id);" },
});

// Chunk names carry content hashes: remove chunks of earlier builds so dist/ holds only this one.
const written = new Set([...Object.keys(result.metafile.outputs), ...lazyCjs.map((l) => join('dist', l.file))].map((p) => join(root, p)));
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
