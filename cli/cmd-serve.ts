/**
 * `flowc serve [--port N] [--namespace NS] [--datastore LOC]`: serve runs and artifacts as read-only JSON on
 * 127.0.0.1 (see targets/local/server.ts for the routes) until interrupted.
 */
import { searchLocations } from './local-support.ts';
import { defaultNamespace } from '../targets/local/records.ts';
import { startServer } from '../targets/local/server.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';

export default async function serve(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('serve'));
  if (args.positionals.length) throw new UsageError('serve takes no positional arguments.');
  const port = Number(args.values.port ?? '8765');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port expects a port number, got '${args.values.port}'.`);
  const locations = await searchLocations(io, args.values.datastore);
  const { server, url } = await startServer({ locations, namespace: args.values.namespace ?? defaultNamespace(io.env), port });
  io.stdout(`Serving runs read-only on ${url} (e.g. ${url}/flows); Ctrl-C stops.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => server.close(() => resolve());
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
