/**
 * The manifest YAML writer (`targets/argo/yaml.ts`): what it writes parses back to the same data, with the
 * `yaml` package as YAML 1.2 and as YAML 1.1 (the version `kubectl` and the `argo` CLI read), for hostile strings
 * in every position; strings that either version would read as something else are quoted; and manifests are
 * written as the `yaml` package writes them.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse, stringify } from 'yaml';
import { buildArgoManifests } from '../../../targets/argo/index.ts';
import { toYaml } from '../../../targets/argo/yaml.ts';
import { argoCases } from './cases.ts';

const STRINGS = [
  ...['', ' ', 'a', '-', '-c', '- a', '?', '? a', ':', 'a:', 'a: b', 'k:v', 'a #b', 'a#b', '#a', '%x', '@x', '`x', '!x', '&a', '*a', '|', '>', "'", '"'],
  ...['[', ']', '{', '}', ',', 'a,b', 'a]', '{{workflow.name}}', '"q"', "it's", `"a" 'b'`, 'a\\b', '\\', '  lead', 'trail  ', 'a\t', '\ta'],
  ...['a\nb', 'a\nb\n', 'a\nb\n\n', '\n', '\n\n', ' a\nb', '\n a', '  \nabc', 'a\n ', 'a\n \nb', 'x\n\ty', 'x\n  \n  y\n', 'a\n---\nb', 'a\n...\n'],
  ...['x\r\ny', 'bell\u0007', 'del\u007f', 'nel\u0085', '\u2028', '\ufeffbom', '\ud800', 'é ü 日本 🙂', '---', '--- a', '...', `'; rm -rf / #`, '$(touch /pwned)`id`\n"\\'],
  // Read as null, booleans or numbers by YAML 1.2 or 1.1.
  ...['~', 'null', 'Null', 'true', 'False', 'y', 'Y', 'n', 'N', 'yes', 'No', 'on', 'OFF', '0', '-1', '+1', '0777', '0o17', '0x1F', '0X1f', '0b101', '1_000'],
  ...['1.5', '.5', '1.', '1e3', '-2.5E-3', '.inf', '-.Inf', '.nan', '1:30', '-1:30:00.5', '2001-12-14', '2001-12-14t21:59:43.10-05:00'],
];
const AMBIGUOUS = STRINGS.slice(STRINGS.indexOf('~'));

function roundTrips(doc: unknown): void {
  const text = toYaml(doc);
  for (const version of ['1.1', '1.2'] as const) {
    assert.equal(parse(text, { version }), doc, `YAML ${version} reads back:\n${text}`);
  }
}

test('every string, as a value, a sequence item and a key, reads back unchanged', () => {
  for (const s of STRINGS) {
    const key = s === '' ? 'empty' : s.replace(/\n/g, ' ');
    roundTrips({ k: s, list: [s, { [key]: s, nested: [s] }], deep: { deeper: { [key]: [s, s] } } });
    roundTrips([s]);
  }
});

test('scalars and empty collections', () => {
  roundTrips({ n: 3, neg: -7, f: 0.25, t: true, f2: false, z: null, e: [], o: {}, arr: [[], {}, [1, [2]], { a: {} }] });
  assert.is(toYaml({ a: undefined, b: 1 }), 'b: 1\n');
  assert.throws(() => toYaml({ x: Number.NaN }));
});

test('strings that YAML 1.1 or 1.2 would not read as strings are quoted', () => {
  for (const s of AMBIGUOUS) assert.is.not(toYaml({ k: s }), `k: ${s}\n`, s);
  assert.is(toYaml({ k: '4Gi', h: '8ea47205f2ee', img: 'python:3.12-slim' }), 'k: 4Gi\nh: 8ea47205f2ee\nimg: python:3.12-slim\n');
});

test('multi-line strings are literal blocks', () => {
  assert.is(toYaml({ s: 'a\nb' }), 's: |-\n  a\n  b\n');
  assert.is(toYaml({ s: ['a\n\nb\n'] }), 's:\n  - |\n    a\n\n    b\n');
  assert.is(toYaml({ s: ' a\nb' }), 's: |2-\n   a\n  b\n');
});

test('a long sequence (written item by item) and repeated strings (worked out once) give the same text as short ones', () => {
  const items = Array.from({ length: 70 }, (_, i) => ({ name: `s${i}`, env: STRINGS.map((s) => ({ name: 'X', value: s })), nested: [{ list: STRINGS, deeper: [STRINGS] }] }));
  const long = toYaml({ t: items });
  assert.is(long, `t:\n${items.map((item) => toYaml({ t: [item] }).slice('t:\n'.length)).join('')}`);
  assert.is(toYaml({ t: items }), long);
  roundTrips({ t: items, again: STRINGS });
});

test('manifests are written as the yaml package writes them, except strings YAML 1.1 reads otherwise', () => {
  for (const c of argoCases()) {
    for (const kind of ['template', 'workflow'] as const) {
      for (const m of buildArgoManifests(c.ir, { config: {}, sourceFile: c.file, kind }).manifests) {
        const ours = toYaml(m);
        const theirs = stringify(m, { lineWidth: 0, blockQuote: 'literal', aliasDuplicateObjects: false });
        const differing = ours.split('\n').filter((line, i) => line !== theirs.split('\n')[i]);
        for (const line of differing) assert.match(line, /: "(y|Y|n|N|yes|Yes|no|No|on|On|off|Off)"$/, `${c.name} ${m.kind}`);
        assert.equal(parse(ours), JSON.parse(JSON.stringify(m)));
      }
    }
  }
});

test.run();
