/** Completion as data: the cursor `/*|*\/` and the expected labels (with details where they matter). */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getCompletions } from '../../compiler/ide/get-completions.ts';
import { fixture } from './fixture.ts';

/** Compares `label` (or `label: detail` when `withDetail`) of every item, in the order answered. */
function check(input: string, expected: string[], options: { withDetail?: boolean; insert?: boolean } = {}) {
  const f = fixture(input);
  const items = getCompletions(f.doc, f.cursor);
  const seen = items.map((i) => (options.insert ? `${i.label} => ${i.insertText ?? i.label}` : options.withDetail ? `${i.label}: ${i.detail}` : i.label));
  assert.equal(seen.sort(), [...expected].sort());
}

const genres = (cursorStep: string) => `type Stats {
  genre: string
  count: int
}
flow Genres {
  param limit: int = 100
  step start {
    out genres: [string]
    out when: string
    python "genres = []"
    next count foreach genre in genres
  }
  step count {
    in genre: string
    out stats: Stats
    python "stats = {}"
    next tally
  }
  step tally {
${cursorStep}
    next end
  }
  step end {}
}`;

test('top-level keywords', () => check('/*|*/', ['flow', 'type']));
test('flow-level keywords', () => check('flow F {\n  /*|*/\n}', ['step', 'param', 'image']));
test('step-level keywords', () => check('flow F {\n  step start {\n    /*|*/\n  }\n}', ['in', 'out', 'run', 'python', 'sh', 'next', 'image']));

// Until it gathers, `tally` is still inside the foreach (a gather is what closes it), so it sees one task's values.
test('after in: visible names with types', () =>
  check(genres('    in /*|*/'), ['genre => genre: string', 'genres => genres: [string]', 'when => when: string', 'limit => limit: int', 'stats => stats: Stats'], { insert: true }));
test('after in: at a join, branch results as gathers', () =>
  check(
    'flow F {\n  step start { out k: int\n    next a, b }\n  step a { out r: int\n    next j }\n  step b { out r: int\n    next j }\n  step j {\n    in /*|*/\n    next end }\n  step end {}\n}',
    ['k => k: int', 'r => r: [int]'],
    { insert: true },
  ));

test('after in: a partly typed name replaces the word', () => {
  const f = fixture(genres('    in ge/*|*/'));
  const item = getCompletions(f.doc, f.cursor).find((i) => i.label === 'genres')!;
  assert.equal(f.text.slice(item.replace!.start, item.replace!.end), 'ge');
});

test('after in: foreach element inside the foreach', () =>
  check(
    `flow F {
  step start { out xs: [int]
    next each foreach x in xs }
  step each {
    in /*|*/
    out y: int
    next j }
  step j { in y: [int]
    next end }
  step end {}
}`,
    ['x: int · foreach element of start', 'xs: [int] · from start'],
    { withDetail: true },
  ));

test('types after a colon, records included', () => check(genres('    out best: /*|*/'), ['Stats', 'int', 'float', 'bool', 'string', 'json', 'file', 'dir']));
test('types inside a list type', () => check(genres('    in stats: [/*|*/'), ['Stats', 'int', 'float', 'bool', 'string', 'json', 'file', 'dir']));

test('step names after next', () => check(genres('    in stats: [Stats]\n    next /*|*/').replace('\n    next end\n  }\n  step end', '\n  }\n  step end'), ['count', 'end', 'switch']));
test('step names after a comma', () => check('flow F {\n  step start { next a, /*|*/ }\n  step a { next end }\n  step b { next end }\n  step end {}\n}', ['a', 'b', 'end']));
test('foreach after a next target', () => check('flow F {\n  step start { out xs: [int]\n    next a /*|*/ }\n  step a { next end }\n  step end {}\n}', ['foreach']));
test('foreach list: list-typed outputs and inputs', () =>
  check('flow F {\n  step start { out xs: [int]\n    out n: int\n    next a foreach x in /*|*/ }\n  step a { next end }\n  step end {}\n}', ['xs']));
test('switch subject and case targets', () => {
  check('flow F {\n  step start { out s: string\n    next switch /*|*/ }\n  step a { next end }\n  step end {}\n}', ['s']);
  check('flow F {\n  step start { out s: string\n    next switch s { "x" -> /*|*/ } }\n  step a { next end }\n  step end {}\n}', ['a', 'end']);
  check('flow F {\n  step start { out s: string\n    next switch s { "x" -> a, /*|*/ } }\n  step a { next end }\n  step end {}\n}', ['else']);
});
test('from: the join\'s predecessors', () =>
  check(
    'flow F {\n  step start { next a, b }\n  step a { out r: int\n    next j }\n  step b { out r: int\n    next j }\n  step j { in r: int from /*|*/\n    next end }\n  step end {}\n}',
    ['a', 'b'],
  ));

test('record fields in a parameter default', () =>
  check('type S {\n  genre: string\n  count: int\n}\nflow F {\n  param s: S = { genre: "x", /*|*/ }\n  step start { next end }\n  step end {}\n}', ['count: int'], { withDetail: true }));
test('from after a type, only at a join', () => {
  const joined = (cursor: string) => `flow F {\n  step start { next a, b }\n  step a { out r: int\n    next j }\n  step b { out r: int\n    next j }\n  step j { in r: int ${cursor}\n    next end }\n  step end { in q: int /*|*/ }\n}`;
  check(joined('/*|*/').replace('in q: int /*|*/', 'in q: int'), ['from']);
  check(joined(''), []);
});
test('decorators on a step and on a flow', () => {
  check('flow F {\n  @/*|*/\n  step start { next end }\n  step end {}\n}', ['resources', 'retry', 'loop', 'timeout', 'catch', 'parallel', 'env', 'secrets', 'max_workers', 'kubernetes', 'batch']);
  check('@/*|*/\nflow F {\n  step start { next end }\n  step end {}\n}', ['schedule', 'trigger', 'trigger_on_finish', 'project', 'max_workers']);
});
test('decorator arguments with kinds and defaults, minus those given', () =>
  check('flow F {\n  @retry(times: 2, /*|*/)\n  step start { next end }\n  step end {}\n}', ['delay: duration = 0s'], { withDetail: true }));
test('size units after a number', () => check('flow F {\n  @resources(memory: 20G/*|*/)\n  step start { next end }\n  step end {}\n}', ['20GB', '20GiB']));
test('duration units for a positional argument', () => check('flow F {\n  @timeout(30/*|*/)\n  step start { next end }\n  step end {}\n}', ['30ms', '30s', '30m', '30h', '30d']));
test('schedule presets', () => check('@schedule(cron: /*|*/)\nflow F {\n  step start { next end }\n  step end {}\n}', ['hourly', 'daily', 'weekly']));

const templated = (cursor: string) => `flow F {
  param limit: int = 3
  step start { out xs: [int]
    next a }
  step a {
    in xs: [int]
    out report: file
    run "summarize ${cursor}"
    next end }
  step end {}
}`;
test('templates: scopes after {{', () => check(templated('{{/*|*/'), ['in.', 'out.', 'param.']));
test('templates: inputs, outputs, params', () => {
  check(templated('{{in./*|*/'), ['xs => xs}}'], { insert: true });
  check(templated('{{ out./*|*/ }}'), ['report => report'], { insert: true });
  check(templated('{{param.li/*|*/'), ['limit']);
});
test('templates in a triple-quoted run command, not in scripts', () => {
  check(templated('x').replace('run "summarize x"', 'run """\n      summarize {{in./*|*/\n    """'), ['xs']);
  check(templated('x').replace('run "summarize x"', 'python """\n      print({{in./*|*/)\n    """'), []);
});
test('nothing in comments or plain strings', () => {
  check('flow F {\n  // step /*|*/\n}', []);
  check(templated('plain /*|*/'), []);
});

test.run();
