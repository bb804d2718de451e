// CommonJS dependencies that only some inputs need (yaml for a flowc.yaml, Handlebars' parser for `{{...}}`
// templates) are bundled into files of their own and required on first call, so a process that never needs them
// does not compile or evaluate them (start-up; issue 14). Used by the CLI bundle (scripts/build.mjs) and by the
// language server the VS Code extension ships (vscode-extension/build.mjs). The bundle imports a shim instead of
// the package: a function per name listed, forwarding to the real one (`new` too); nothing else (constants,
// instanceof on these names) is forwarded, and esbuild fails the build when the code imports a name not listed here.
import { build } from 'esbuild';
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
