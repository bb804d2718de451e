/**
 * The diagnostic catalogue: every code flowc can report, with its default severity,
 * a one-line summary, and documentation with a failing example (shown by `flowc explain CODE`
 * and rendered into docs/diagnostics.md).
 *
 * Entries live in one file per area under `catalog/` so that each phase owns its codes;
 * this module merges them and is the only place the rest of the code looks codes up.
 * Invariant: codes are stable; a retired code is never reused for a different problem.
 */
import type { Severity } from './types.ts';
import { syntaxCodes } from './catalog/syntax.ts';
import { semanticCodes } from './catalog/semantic.ts';
import { configCodes } from './catalog/config.ts';
import { targetCodes } from './catalog/targets.ts';
import { editorCodes } from './catalog/editor.ts';
import { sourceCodes } from './catalog/source.ts';

export interface CatalogEntry {
  severity: Severity;
  /** One-line summary (used as the SARIF rule's short description). */
  summary: string;
  /** Markdown: what the problem is and how to fix it. */
  doc: string;
  /** A minimal `.flow` (or `flowc.yaml`) snippet that triggers it. */
  example: string;
}

export type CatalogPart = Record<string, CatalogEntry>;

function merge(...parts: CatalogPart[]): CatalogPart {
  const out: CatalogPart = Object.create(null);
  for (const part of parts) {
    for (const [code, entry] of Object.entries(part)) {
      if (code in out) throw new Error(`Diagnostic code '${code}' is defined twice in the catalogue.`);
      out[code] = entry;
    }
  }
  return out;
}

/** Every code of the catalogue: a diagnostic's code is one of these, so a misspelt code does not compile. */
export type Code = keyof typeof syntaxCodes | keyof typeof semanticCodes | keyof typeof configCodes | keyof typeof targetCodes | keyof typeof editorCodes | keyof typeof sourceCodes;

export const catalog = merge(sourceCodes, syntaxCodes, semanticCodes, configCodes, targetCodes, editorCodes) as Readonly<Record<Code, CatalogEntry>>;

/** The entry of a code given as text (from a user, or a file), or undefined. */
export function lookupCode(code: string): CatalogEntry | undefined {
  return Object.prototype.hasOwnProperty.call(catalog, code) ? catalog[code as Code] : undefined;
}
