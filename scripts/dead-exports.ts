/**
 * Lists exports that no other file uses (`node --import tsx scripts/dead-exports.ts`): every identifier of the
 * project (tsconfig.json) is resolved with the TypeScript checker, through import aliases, and an exported
 * declaration counts as used when some other file refers to it (static or dynamic `import()`). Entry points
 * whose exports are an API (the npm package's client, the VS Code extension, the CLI and server mains) are
 * skipped, and so are types (an exported type named only in its own file's signatures documents them). Exits 1
 * when it finds any, printing `file:line: name`; test/ci/dead-exports.test.ts runs it with the suite.
 */
import { dirname, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
/** Files whose exports others use from outside the project (the package, VS Code, the process, bin/flowc.js). */
const API = [/^targets\/local\/client\.ts$/, /^vscode-extension\/src\/extension\.ts$/, /^vscode-web\//, /^bench\//, /^cli\/code-cache\.ts$/];

export function deadExports(): string[] {
  const configPath = resolve(root, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, dirname(configPath));
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const checker = program.getTypeChecker();
  const files = program.getSourceFiles().filter((f) => !f.isDeclarationFile && !f.fileName.includes('/node_modules/'));
  const used = new Set<ts.Symbol>();
  const resolveSymbol = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  for (const file of files) {
    const visit = (node: ts.Node): void => {
      // `const { a } = await import('./x.ts')`: the binding names the module's export `a`.
      if (ts.isBindingElement(node) && ts.isObjectBindingPattern(node.parent)) {
        const key = node.propertyName ?? node.name;
        const property = ts.isIdentifier(key) ? checker.getTypeAtLocation(node.parent).getProperty(key.text) : undefined;
        if (property?.declarations?.some((d) => d.getSourceFile() !== file)) used.add(property);
      }
      if (ts.isIdentifier(node) || ts.isStringLiteral(node)) {
        const symbol = checker.getSymbolAtLocation(node);
        if (symbol) {
          for (const s of [symbol, resolveSymbol(symbol)]) {
            if (s.declarations?.some((d) => d.getSourceFile() !== file)) used.add(s);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  const dead: string[] = [];
  for (const file of files) {
    const rel = relative(root, file.fileName);
    if (API.some((re) => re.test(rel))) continue;
    const moduleSymbol = checker.getSymbolAtLocation(file);
    if (!moduleSymbol) continue;
    for (const exp of checker.getExportsOfModule(moduleSymbol)) {
      if (exp.name === 'default') continue;
      const target = resolveSymbol(exp);
      if (used.has(exp) || used.has(target)) continue;
      const decl = exp.declarations?.[0];
      if (!decl || decl.getSourceFile() !== file) continue;
      // A type named only in its own file's signatures documents them; only values count.
      if (!(target.flags & ts.SymbolFlags.Value)) continue;
      dead.push(`${rel}:${file.getLineAndCharacterOfPosition(decl.getStart()).line + 1}: ${exp.name}`);
    }
  }
  return dead.sort();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dead = deadExports();
  for (const d of dead) console.log(d);
  console.log(`${dead.length} exports that no other file uses.`);
  process.exitCode = dead.length > 0 ? 1 : 0;
}
