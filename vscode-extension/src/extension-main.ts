/**
 * The extension's entry point (`dist/extension.cjs`, package.json `main`): runs the extension bundle
 * (`dist/extension-bundle.cjs`: src/extension.ts with vscode-languageclient) through V8's code cache made at run time
 * (cli/code-cache.ts, as the CLI and the server do), so that from the second activation on VS Code's extension host
 * does not compile it again (issue 14, start-up: evaluating it took 70-250 ms under load, on the way to the first
 * diagnostic). The cache is written a few seconds after activation, when there was none or V8 rejected it.
 */
import { join } from 'node:path';
import { requireCached } from '../../cli/code-cache.ts';

const bundle = requireCached(join(__dirname, 'extension-bundle.cjs'), process.env);
const ext = bundle.exports as { activate(context: unknown): Promise<void>; deactivate(): Promise<void> };

export async function activate(context: unknown): Promise<void> {
  await ext.activate(context);
  setTimeout(() => bundle.save(), 3000).unref();
}

export function deactivate(): Promise<void> {
  return ext.deactivate();
}
