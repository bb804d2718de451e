/** `flowc explain CODE`: print a diagnostic code's documentation and example from the catalogue. */
import { catalog, lookupCode } from '../diagnostics/catalog.ts';
import { didYouMean, suggest } from '../diagnostics/suggest.ts';
import { parseArgs } from './args.ts';
import { optionsOf } from './commands.ts';
import { UsageError, type CliIO } from './io.ts';

export default async function explain(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, optionsOf('explain'));
  if (args.positionals.length !== 1) throw new UsageError('Give exactly one diagnostic code.');
  const code = args.positionals[0];
  const entry = lookupCode(code);
  if (!entry) {
    const known = Object.keys(catalog).sort();
    const guess = suggest(code, known);
    io.stderr(`flowc explain: unknown diagnostic code '${code}'.${didYouMean(guess)}${guess ? '' : ` Known codes: ${known.join(', ') || '(none)'}.`}\n`);
    return 1;
  }
  io.stdout(`${code} (${entry.severity}): ${entry.summary}\n\n${entry.doc.trim()}\n\nExample:\n\n${indent(entry.example.trim())}\n`);
  return 0;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
}
