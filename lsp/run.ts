/**
 * Creates the stdio connection and starts the server, with a last line of defence: an exception that escapes
 * a handler is logged and the process goes on, so one bad document never takes the editor's server down.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from './server.ts';
import { milestone } from './timing.ts';

export function runStdioServer(options: ServerOptions = {}): void {
  milestone('server', 'process started', performance.timeOrigin);
  milestone('server', 'code loaded');
  const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
  // Anything printed with console.log would corrupt the protocol on stdout: send it to the client's log instead.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.info = console.log;
  console.warn = (...args: unknown[]) => connection.console.warn(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  process.on('uncaughtException', (err) => connection.console.error(`flowc: uncaught exception: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => connection.console.error(`flowc: unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`));
  startServer(connection, options);
}
