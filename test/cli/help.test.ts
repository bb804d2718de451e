/**
 * `flowc COMMAND --help` comes from the same option spec the command parses with (`cli/commands.ts`): every
 * option is listed with one line, and an option the help does not list is refused.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { commands } from '../../cli/commands.ts';
import { run } from '../../cli/main.ts';
import type { CliIO } from '../../cli/io.ts';

async function flowc(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd: process.cwd(), env: {}, isTTY: false };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

test('every command lists every option it accepts, one line each', async () => {
  for (const cmd of commands) {
    const { code, stdout } = await flowc([cmd.name, '--help']);
    assert.is(code, 0, cmd.name);
    assert.ok(stdout.startsWith(`Usage: flowc ${cmd.usage}\n`), cmd.name);
    const lines = stdout.split('\n').filter((l) => l.startsWith('  --'));
    assert.is(lines.length, cmd.options.length, `${cmd.name}: ${lines.join(' / ')}`);
    for (const o of cmd.options) {
      const line = lines.find((l) => l.startsWith(`  --${o.name} `) || l.startsWith(`  --${o.name}\t`) || l.trimEnd() === `  --${o.name}` || l.startsWith(`  --${o.name},`));
      assert.ok(line?.includes(o.help), `${cmd.name} --${o.name}`);
      if (o.short) assert.match(line!, `, -${o.short} `);
    }
  }
});

test('diff --help names --base and --format (the README uses them); get --help names --json and -o', async () => {
  const diff = (await flowc(['diff', '--help'])).stdout;
  assert.match(diff, '--base REV');
  assert.match(diff, '--format text|json|markdown');
  const get = (await flowc(['get', '--help'])).stdout;
  assert.match(get, '--json');
  assert.match(get, '--out PATH, -o');
});

test('an option outside the spec is a usage error', async () => {
  const res = await flowc(['graph', 'x.flow', '--kind', 'workflow']);
  assert.is(res.code, 2);
  assert.match(res.stderr, "Unknown option '--kind'");
});

test.run();
