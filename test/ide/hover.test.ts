/** Hover as data: the cursor `/*|*\/` and the expected Markdown. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getHover } from '../../compiler/ide/get-hover.ts';
import { getSignatureHelp } from '../../compiler/ide/get-signature-help.ts';
import { fixture } from './fixture.ts';

function check(input: string, expected: string | null) {
  const f = fixture(input);
  const res = getHover(f.doc, f.cursor);
  if (expected === null) assert.is(res, null);
  else assert.fixture(res?.contents ?? '(no hover)', expected);
}

const branches = (cursorIn: string) =>
  `flow F {
  step start { out s: string
    next switch s { "x" -> a, else -> b } }
  step a { out r: int
    next end }
  step b { out r: int
    next end }
  step end { ${cursorIn} }
}`;

test('artifact at an in: type, producers on the paths, readers', () =>
  check(branches('in /*|*/r: int'), "```flow\nin r: int\n```\n\nProduced by `a` and `b` (one per switch branch: whichever ran), on every path to `end`.\n\nRead by `end`."));

test('artifact at its out: producers and readers', () =>
  check(
    `flow F {
  step start { out /*|*/x: int
    next end }
  step end {}
}`,
    '```flow\nout x: int\n```\n\nProduced by `start` (int).\n\nRead by no step: a result of the flow, kept after the run.',
  ));

test('gather at a join', () =>
  check(
    `flow F {
  step start { next a, b }
  step a { out r: int
    next j }
  step b { out r: int
    next j }
  step j { in /*|*/r: [int]
    next end }
  step end {}
}`,
    '```flow\nin r: [int]\n```\n\nGathered at this join: one value per branch of the split, from `a`, `b`.\n\nRead by `j`.',
  ));

test('step: inputs, outputs, DAG position, resources', () =>
  check(
    `flow F {
  step start { out xs: [int]
    next /*|*/each foreach x in xs }
  @resources(cpu: 2, memory: 1GiB)
  @retry(times: 2)
  step each { in x: int
    out y: int
    next j }
  step j { in y: [int]
    next end }
  step end {}
}`,
    '```flow\nstep each {\n  in x: int\n  out y: int\n}\n```\n\nRuns once per element of the foreach at `start`. After: `start`. Before: `j`.\n\nResources: cpu 2, memory 1024 MiB. Retries: 2.',
  ));

test('parameter: type, default, readers', () =>
  check(
    `flow F {
  param /*|*/limit: int = 100
  step start { in limit: int
    next end }
  step end {}
}`,
    '```flow\nparam limit: int = 100\n```\n\nOverridable at submit or run time.\n\nRead by `start`.',
  ));

test('decorator documentation', () => {
  const f = fixture(`flow F {\n  @ret/*|*/ry(times: 2)\n  step start { next end }\n  step end {}\n}`);
  const res = getHover(f.doc, f.cursor);
  assert.match(res!.contents, '@retry(times: count = 3, delay: duration = 0s)');
  assert.match(res!.contents, 'Retries a failed task');
});

test('decorator argument: kind, default and allowed values, from the catalogue', () => {
  check(`flow F {\n  @retry(de/*|*/lay: 1m)\n  step start { next end }\n  step end {}\n}`, '```flow\n@retry(delay: duration = 0s)\n```\n\nWait between attempts. Allowed: 0 or more.');
  check(`flow F {\n  @retry(ti/*|*/mes: 2)\n  step start { next end }\n  step end {}\n}`, '```flow\n@retry(times: count = 3)\n```\n\nRetries after the first attempt. Allowed: between 1 and 10.');
});

test('record type', () => check(`type /*|*/S { a: int\n b: [string] }\nflow F { step start { next end }\n step end {} }`, '```flow\ntype S {\n  a: int\n  b: [string]\n}\n```'));

test('keyword documentation, but not in strings or for names', () => {
  const f = fixture('flow F {\n  step start { out x: [int]\n    next a fore/*|*/ach v in x }\n  step a { next end }\n  step end {}\n}');
  assert.match(getHover(f.doc, f.cursor)!.contents, 'Fans out');
  check('flow F {\n  step start { run "echo for/*|*/each"\n    next end }\n  step end {}\n}', null);
});

test('a parameter shows its help text', () => {
  const f = fixture('flow F {\n  param lim/*|*/it: int = 3  // rows per genre\n  step start { in limit\n next end }\n  step end {}\n}');
  assert.match(getHover(f.doc, f.cursor)!.contents, 'rows per genre');
});

test('the join keyword, and a step named join', () => {
  const f = fixture('flow F {\n  step start { next a, b }\n  step a { next j }\n  step b { next j }\n  jo/*|*/in step j { next end }\n  step end {}\n}');
  assert.match(getHover(f.doc, f.cursor)!.contents, 'closes the innermost open split or foreach');
  const g = fixture('flow F {\n  step start { next a, b }\n  step a { next join }\n  step b { next join }\n  step jo/*|*/in { next end }\n  step end {}\n}');
  assert.not.match(getHover(g.doc, g.cursor)?.contents ?? '', 'closes the innermost');
});

test('sizes and durations in plain units', () => {
  check('flow F {\n  @resources(memory: 2/*|*/0GiB)\n  step start { next end }\n  step end {}\n}', '`20GiB` = 20,480 MiB');
  check('flow F {\n  @timeout(1.5/*|*/h)\n  step start { next end }\n  step end {}\n}', '`1.5h` = 5,400 s');
});

test('an input in a flow whose graph is broken', () =>
  check(
    'flow F {\n  step start { out x: int\n    next a }\n  step a { in /*|*/x: int\n    next start }\n  step end {}\n}',
    "```flow\nin x: int\n```\n\nProduced by `start`, on the known paths to `a` (the flow's graph is broken: see the diagnostics).\n\nRead by `a`.",
  ));

test('an input on a misspelt path: the rest of the flow is still resolved', () =>
  check(
    'flow F {\n  step start { out x: int\n    next trian }\n  step train { out m: string\n    next end }\n  step end { in /*|*/m }\n}',
    "```flow\nin m: string\n```\n\nProduced by `train`, on the known paths to `end` (the flow's graph is broken: see the diagnostics).\n\nRead by `end`.",
  ));

test('nothing on punctuation', () => check(`flow F {/*|*/\n}`, null));

test('signature help in a decorator: the argument being written', () => {
  const at = (input: string) => {
    const f = fixture(input);
    const res = getSignatureHelp(f.doc, f.cursor);
    return res ? `${res.label} [${res.label.slice(...res.parameters[res.active].label)}]` : null;
  };
  assert.is(at('flow F {\n  @retry(/*|*/)\n  step start { next end }\n  step end {}\n}'), '@retry(times: count = 3, delay: duration = 0s) [times: count = 3]');
  assert.is(at('flow F {\n  @retry(times: 2, /*|*/)\n  step start { next end }\n  step end {}\n}'), '@retry(times: count = 3, delay: duration = 0s) [delay: duration = 0s]');
  assert.is(at('flow F {\n  @resources(memory: 2/*|*/)\n  step start { next end }\n  step end {}\n}'), '@resources(cpu: number, gpu: count, memory: size, disk: size, shared_memory: size) [memory: size]');
  assert.is(at('flow F {\n  step start { next /*|*/end }\n  step end {}\n}'), null);
});

test.run();
