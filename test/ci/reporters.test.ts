/** The machine-readable reports of `flowc check`: `github` workflow commands and SARIF 2.1.0. */
import type { Code } from '../../diagnostics/catalog.ts';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeData, escapeProperty, renderGithubReport } from '../../cli/report-github.ts';
import { renderSarifReport } from '../../cli/report-sarif.ts';
import type { FileReport } from '../../cli/load-flow.ts';
import { catalog } from '../../diagnostics/catalog.ts';
import { sarifErrors, sarifValidator } from './sarif-schema.ts';

const flowText = 'flow F {\n  step start { next trian }\n  step end {}\n}\n';
const at = (needle: string, text = flowText) => {
  const start = text.indexOf(needle);
  return { start, end: start + needle.length };
};

const reports: FileReport[] = [
  {
    file: 'flows/a,b:c.flow',
    text: flowText,
    diagnostics: [
      {
        code: 'unknown-step',
        severity: 'error',
        message: "Step 'start' goes to unknown step 'trian'.\nDid you mean 'train'? 100% sure.",
        ...at('trian'),
        related: [{ message: "Steps are declared here.", ...at('step end') }],
        fixes: [{ title: "Replace with 'end'", edits: [{ ...at('trian'), newText: 'end' }] }],
      },
      { code: 'unused-param', severity: 'warning', message: "Parameter 'p' is never read.", ...at('flow F') },
      { code: 'editor-file-too-large', severity: 'info', message: 'A note.', start: flowText.length, end: flowText.length },
    ],
  },
  { file: 'flows/clean.flow', text: 'flow G {}\n', diagnostics: [] },
];

test('github: escaping of data and properties', () => {
  assert.is(escapeData('50% done\r\nnext'), '50%25 done%0D%0Anext');
  assert.is(escapeProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
  assert.is(escapeData('a:b,c'), 'a:b,c');
});

test('github: one workflow command per diagnostic, then the summary', () => {
  const out = renderGithubReport(reports, { color: false, nFiles: 2 });
  const lines = out.trimEnd().split('\n');
  assert.is(lines.length, 4);
  // Sorted by position: the warning on line 1 comes first.
  assert.is(
    lines[1],
    "::error file=flows/a%2Cb%3Ac.flow,line=2,col=21,endLine=2,endColumn=25,title=unknown-step::Step 'start' goes to unknown step 'trian'.%0ADid you mean 'train'? 100%25 sure.%0Anote: flows/a,b:c.flow:3:3: Steps are declared here.",
  );
  assert.is(lines[0], "::warning file=flows/a%2Cb%3Ac.flow,line=1,col=1,endLine=1,endColumn=6,title=unused-param::Parameter 'p' is never read.");
  // An empty span at the very end of the file still names a real position.
  assert.match(lines[2], /^::notice file=flows\/a%2Cb%3Ac\.flow,line=5,col=1,endLine=5,endColumn=1,title=editor-file-too-large::A note\.$/);
  assert.is(lines[3], 'Checked 2 files: 1 error, 1 warning.');
});

test('github: every line is a single command; no raw newline or carriage return leaks into one', () => {
  const nasty: FileReport[] = [
    { file: 'x\r\ny.flow', text: 'a\r\nb\r\n', diagnostics: [{ code: 'c::d' as Code, severity: 'error', message: '::error::injected\r\n::warning::x', start: 0, end: 1 }] },
  ];
  const out = renderGithubReport(nasty, { color: false, nFiles: 1 });
  const [cmd, summary] = out.trimEnd().split('\n');
  assert.is(cmd, '::error file=x%0D%0Ay.flow,line=1,col=1,endLine=1,endColumn=1,title=c%3A%3Ad::::error::injected%0D%0A::warning::x');
  assert.is(summary, 'Checked 1 file: 1 error, 0 warnings.');
});

test('github: a clean run prints only the summary', () => {
  assert.is(renderGithubReport([reports[1]], { color: false, nFiles: 1 }), 'Checked 1 file: no problems.\n');
});

test('sarif: validates against the SARIF 2.1.0 schema', () => {
  const text = renderSarifReport(reports);
  assert.ok(sarifValidator()(JSON.parse(text)), sarifErrors());
  assert.is(JSON.parse(text).version, '2.1.0');
});

test('sarif: an empty run validates too', () => {
  const text = renderSarifReport([]);
  assert.ok(sarifValidator()(JSON.parse(text)), sarifErrors());
  assert.equal(JSON.parse(text).runs[0].results, []);
});

test('sarif: rules come from the catalogue; results point at them', () => {
  const log = JSON.parse(renderSarifReport(reports));
  const run = log.runs[0];
  const ruleIds: string[] = run.tool.driver.rules.map((r: { id: string }) => r.id);
  for (const code of Object.keys(catalog)) assert.ok(ruleIds.includes(code), `rule ${code} is listed`);
  assert.equal(ruleIds, [...ruleIds].sort());
  for (const res of run.results) assert.is(ruleIds[res.ruleIndex], res.ruleId);
  const rule = run.tool.driver.rules[ruleIds.indexOf('unknown-step')];
  assert.is(rule.shortDescription.text, catalog['unknown-step'].summary);
  assert.is(rule.defaultConfiguration.level, 'error');
  assert.match(rule.help.markdown, '```flow');
});

test('sarif: levels, regions, related locations and fixes', () => {
  const run = JSON.parse(renderSarifReport(reports)).runs[0];
  assert.equal(
    run.results.map((r: { level: string }) => r.level),
    ['warning', 'error', 'note'],
  );
  const first = run.results[1];
  assert.equal(first.locations[0].physicalLocation.artifactLocation.uri, 'flows/a%2Cb%3Ac.flow');
  assert.equal(first.locations[0].physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
  assert.equal(first.locations[0].physicalLocation.region, { startLine: 2, startColumn: 21, endLine: 2, endColumn: 26 });
  assert.is(first.relatedLocations[0].message.text, 'Steps are declared here.');
  assert.is(first.fixes[0].artifactChanges[0].replacements[0].insertedContent.text, 'end');
  assert.is(run.columnKind, 'utf16CodeUnits');
});

test('sarif: fingerprints ignore line numbers and stay unique', () => {
  const shifted: FileReport[] = [{ ...reports[0], text: '\n\n' + flowText, diagnostics: reports[0].diagnostics.slice(0, 1).map((d) => ({ ...d, start: d.start + 2, end: d.end + 2, related: [], fixes: [] })) }];
  const a = JSON.parse(renderSarifReport(reports)).runs[0].results[1].partialFingerprints;
  const b = JSON.parse(renderSarifReport(shifted)).runs[0].results[0].partialFingerprints;
  assert.equal(a, b);
  const twice: FileReport[] = [{ ...reports[0], diagnostics: [reports[0].diagnostics[1], reports[0].diagnostics[1]] }];
  const [x, y] = JSON.parse(renderSarifReport(twice)).runs[0].results.map((r: { partialFingerprints: Record<string, string> }) => Object.values(r.partialFingerprints)[0]);
  assert.not.equal(x, y);
});

test('sarif: deterministic', () => {
  assert.is(renderSarifReport(reports), renderSarifReport(reports));
});

test.run();
