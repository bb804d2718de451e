// CommonJS dependencies that only some inputs need (yaml for a flowc.yaml, Handlebars' parser for `{{...}}`
// templates) are bundled into files of their own and required on first call, so a process that never needs them
// does not compile or evaluate them (start-up; issue 14). Used by the CLI bundle (scripts/build.mjs) and by the
// language server the VS Code extension ships (vscode-extension/build.mjs). The bundle imports a shim instead of
// the package: a function per name listed, forwarding to the real one (`new` too); nothing else (constants,
// instanceof on these names) is forwarded, and esbuild fails the build when the code imports a name not listed here.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const lazyCjs = [
  { module: 'yaml', file: 'lazy-yaml.cjs', names: ['isMap', 'isScalar', 'isSeq', 'LineCounter', 'parseDocument'] },
  { module: 'handlebars/dist/cjs/handlebars/compiler/base.js', file: 'lazy-handlebars.cjs', names: ['parseWithoutProcessing'], default: true },
];

/** esbuild options of a CommonJS file for Node (these files, and the CLI's start-up bundle in scripts/build.mjs). */
export const cjsOptions = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};

/**
 * Builds a CommonJS bundle for cli/code-cache.ts's `requireCached` (the CLI's start-up bundle, the extension's
 * server): `import.meta.url` is the bundle's own URL, import() of what it leaves out becomes require (Node 20 loses a
 * script's dynamic-import callback when its code comes from a cache), and its last line is a hash of the rest,
 * which keys the cache. `options.outfile` is where it goes (relative to `options.absWorkingDir`).
 */
export async function buildCjsWithHash(options) {
  const res = await build({
    ...cjsOptions,
    ...options,
    write: false,
    supported: { 'dynamic-import': false },
    define: { ...options.define, 'import.meta.url': '__flowcBundleUrl' },
    banner: { js: "var __flowcBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  const code = res.outputFiles[0].text;
  writeFileSync(join(options.absWorkingDir, options.outfile), `${code}\n// flowc-bundle-hash: ${createHash('sha256').update(code).digest('hex')}\n`);
}

/** Writes the lazily required files into `outdir` (relative to `root`). */
export function buildLazyCjs(root, outdir) {
  return Promise.all(lazyCjs.map((lazy) => build({
    ...cjsOptions,
    absWorkingDir: root,
    stdin: { contents: `module.exports = require(${JSON.stringify(lazy.module)});`, resolveDir: root, loader: 'js' },
    outfile: join(outdir, lazy.file),
  })));
}

/** The esbuild plugin that replaces each package by its shim (the bundle must sit in the same folder as the files). */
export function lazyCjsPlugin(root) {
  return {
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
}
