/**
 * The flowc command line: `run(argv, io)` returns the exit code; only `bin/flowc.js` exits.
 * Exit codes: 0 success (warnings allowed), 1 problems found in the input, 2 bad usage or internal error.
 * Each command lives in its own `cmd-*.ts` module and is imported only when it runs, so start-up stays small.
 */
import { commandHelp, commands } from './commands.ts';
import { processIO, UsageError, type CliIO } from './io.ts';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.usage.length)) + 2;
  const groups = [...new Set(commands.map((c) => c.group))];
  const lines = ['flowc: a typed workflow language for ML and data pipelines.', '', 'Usage: flowc COMMAND [ARGS]', ''];
  for (const g of groups) {
    lines.push(`${g}:`);
    for (const c of commands.filter((x) => x.group === g)) lines.push(`  ${c.usage.padEnd(width)}${c.summary}`);
    lines.push('');
  }
  lines.push('Run `flowc COMMAND --help` for the options of one command.', '');
  return lines.join('\n');
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`flowc ${VERSION}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    io.stderr(`flowc: unknown command '${name}'. Run 'flowc --help' for the list.\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(commandHelp(cmd));
    return 0;
  }
  try {
    const mod = await cmd.load();
    return await mod.default(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`flowc ${name}: ${err.message}\nUsage: flowc ${cmd.usage}\n`);
      return 2;
    }
    io.stderr(`flowc: internal error (please report it): ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}

declare const __FLOWC_VERSION__: string | undefined;
const VERSION = typeof __FLOWC_VERSION__ === 'string' ? __FLOWC_VERSION__ : '0.0.0-dev';
