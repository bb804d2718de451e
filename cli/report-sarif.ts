/**
 * The `sarif` report of `flowc check`: a SARIF 2.1.0 log, the format GitHub code scanning (and most
 * other code-quality tools) ingest. One run, with the tool's rules taken from the diagnostic catalogue
 * (`diagnostics/catalog.ts`): the summary becomes the rule's short description, the documentation and example
 * its help. Every catalogue code is listed, sorted, so `ruleIndex` is stable across runs.
 *
 * Locations are relative URIs against `%SRCROOT%` (the working directory), regions are 1-based with an
 * exclusive end column, and `columnKind` says columns count UTF-16 code units, as flowc's offsets do.
 * Each result carries a `partialFingerprints` entry that does not depend on the line number, so moving a flow
 * around does not reopen its alerts.
 */
import { createHash } from 'node:crypto';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { catalog, lookupCode } from '../diagnostics/catalog.ts';
import { LineIndex } from '../diagnostics/line-index.ts';
import { compareDiagnostics } from '../diagnostics/render.ts';
import type { Diagnostic, Severity } from '../diagnostics/types.ts';
import type { FileReport } from './load-flow.ts';
import type { ReportContext } from './reporters.ts';

declare const __FLOWC_VERSION__: string | undefined;
const VERSION = typeof __FLOWC_VERSION__ === 'string' ? __FLOWC_VERSION__ : '0.0.0-dev';

const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

const levelOf: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** A relative path as a URI reference (each segment percent-encoded); an absolute path as a `file:` URL. */
function fileUri(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
}

function region(index: LineIndex, start: number, end: number): SarifRegion {
  const s = index.position(start);
  const e = index.position(Math.max(start, end));
  return { startLine: s.line + 1, startColumn: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function ruleOf(code: string) {
  const entry = lookupCode(code);
  const summary = entry?.summary ?? `Diagnostic '${code}'.`;
  const doc = entry?.doc.trim() ?? '';
  const example = entry?.example.trim() ?? '';
  const markdown = [doc, example ? `Example:\n\n\`\`\`flow\n${example}\n\`\`\`` : ''].filter(Boolean).join('\n\n');
  return {
    id: code,
    name: code.replace(/(^|-)([a-z0-9])/g, (_m, _dash: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: summary },
    fullDescription: { text: doc || summary },
    help: { text: `${doc || summary}${example ? `\n\nExample:\n\n${example}` : ''}`, markdown: markdown || summary },
    defaultConfiguration: { level: levelOf[entry?.severity ?? 'error'] },
    properties: { tags: ['flowc'] },
  };
}

/** A fingerprint of what the problem is and where, ignoring the line number: code, file, message, and the line's text. */
function fingerprint(file: string, index: LineIndex, d: Diagnostic): string {
  const line = index.lineText(index.position(d.start).line).trim();
  return createHash('sha256').update(`${d.code}\0${file}\0${d.message}\0${line}`).digest('hex').slice(0, 32);
}

export function renderSarifReport(reports: FileReport[], _ctx?: ReportContext): string {
  const used = new Set<string>();
  for (const r of reports) for (const d of r.diagnostics) used.add(d.code);
  const codes = [...new Set([...Object.keys(catalog), ...used])].sort();
  const ruleIndex = new Map(codes.map((c, i) => [c, i]));

  const results = [];
  const artifacts = new Map<string, number>();
  for (const r of reports) {
    if (r.diagnostics.length === 0) continue;
    const index = new LineIndex(r.text);
    const location = fileUri(r.file);
    if (!artifacts.has(r.file)) artifacts.set(r.file, artifacts.size);
    const artifactLocation = { ...location, index: artifacts.get(r.file)! };
    const seenFingerprints = new Map<string, number>();
    for (const d of [...r.diagnostics].sort(compareDiagnostics)) {
      // Identical problems on identical lines get an occurrence count, so each fingerprint stays unique.
      const base = fingerprint(r.file, index, d);
      const nth = (seenFingerprints.get(base) ?? 0) + 1;
      seenFingerprints.set(base, nth);
      results.push({
        ruleId: d.code,
        ruleIndex: ruleIndex.get(d.code)!,
        level: levelOf[d.severity],
        message: { text: d.message },
        locations: [{ physicalLocation: { artifactLocation, region: region(index, d.start, d.end) } }],
        ...(d.related && d.related.length > 0
          ? {
              relatedLocations: d.related.map((rel, i) => ({
                id: i + 1,
                message: { text: rel.message },
                physicalLocation:
                  rel.file && rel.file !== r.file
                    ? { artifactLocation: fileUri(rel.file) }
                    : { artifactLocation, region: region(index, rel.start, rel.end) },
              })),
            }
          : {}),
        ...(d.fixes && d.fixes.length > 0
          ? {
              fixes: d.fixes.map((f) => ({
                description: { text: f.title },
                artifactChanges: [
                  {
                    artifactLocation: location,
                    replacements: f.edits.map((e) => ({ deletedRegion: region(index, e.start, e.end), insertedContent: { text: e.newText } })),
                  },
                ],
              })),
            }
          : {}),
        partialFingerprints: { 'flowcDiagnostic/v1': `${base}:${nth}` },
      });
    }
  }

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'flowc',
            semanticVersion: VERSION,
            rules: codes.map(ruleOf),
          },
        },
        artifacts: [...artifacts.keys()].map((file) => ({ location: fileUri(file), sourceLanguage: file.endsWith('.flow') ? 'flowc' : 'yaml' })),
        results,
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory flowc check ran in.' } } },
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
