/**
 * `flowc lsp --stdio`: runs the language server on stdin/stdout until the client exits it.
 * stdio is the only transport; the flag is required so that a mistaken `flowc lsp` does not sit waiting silently.
 */
import { UsageError, type CliIO } from './io.ts';

export default async function lsp(argv: string[], _io: CliIO): Promise<number> {
  if (!argv.includes('--stdio')) throw new UsageError('The language server talks over stdio: run `flowc lsp --stdio`.');
  const { runStdioServer } = await import('../lsp/run.ts');
  runStdioServer();
  // The connection keeps the process alive; the client's `exit` notification ends it.
  return new Promise<number>(() => {});
}
