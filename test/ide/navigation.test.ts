/** Definition, references, highlights and rename, as data: the cursor `/*|*\/` and expected ranges `[|…|]`. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { getDefinition, getTypeDefinition } from '../../compiler/ide/get-definition.ts';
import { getDocumentHighlights, getReferences } from '../../compiler/ide/get-references.ts';
import { getRename, prepareRename } from '../../compiler/ide/get-rename.ts';
import { getSelectionRanges } from '../../compiler/ide/get-selection-ranges.ts';
import { applyEdits, fixture, markRanges, withoutCursor } from './fixture.ts';

const flow = (body: string) => `type Stats {
  genre: string
}
flow F {
  param limit: int = 3
${body}
}
`;

// ---------------------------------------------------------------------------------------------------------------
const definition = suite('definition');

function checkDefinition(input: string) {
  const f = fixture(input);
  assert.fixture(markRanges(f.text, getDefinition(f.doc, f.cursor)), withoutCursor(input));
}

definition('step from next', () =>
  checkDefinition(
    flow(`  step start { next /*|*/a }
  step [|a|] { next end }
  step end {}`),
  ),
);
definition('artifact from in: every producer', () =>
  checkDefinition(
    flow(`  step start { out s: string
    next switch s { "x" -> a, else -> b } }
  step a { out [|r|]: int
    next end }
  step b { out [|r|]: int
    next end }
  step end { in /*|*/r: int }`),
  ),
);
definition('artifact from a template', () =>
  checkDefinition(
    flow(`  step start { out [|x|]: int
    next end }
  step end { in x: int
    run "echo {{in./*|*/x}}" }`),
  ),
);
definition('parameter read with in', () =>
  checkDefinition(
    `flow F {
  param [|limit|]: int = 3
  step start { in /*|*/limit: int
    next end }
  step end {}
}`,
  ),
);
definition('nothing on a keyword', () => checkDefinition(flow(`  st/*|*/ep start { next end }\n  step end {}`)));

definition('type definition of an artifact', () => {
  const f = fixture(flow(`  step start { out /*|*/s: Stats\n    next end }\n  step end {}`));
  const spans = getTypeDefinition(f.doc, f.cursor);
  assert.equal(spans.map((s) => f.text.slice(s.start, s.end)), ['Stats']);
});

definition.run();

// ---------------------------------------------------------------------------------------------------------------
const references = suite('references');

function checkReferences(input: string, includeDeclaration = true) {
  const f = fixture(input);
  assert.fixture(markRanges(f.text, getReferences(f.doc, f.cursor, { includeDeclaration })), withoutCursor(input));
}

references('artifact: producers, readers, templates, switch subject', () =>
  checkReferences(
    flow(`  step start { out [|x|]: int
    next a }
  step a { in [|x|]: int
    out s: string
    run "echo {{in.[|x|]}} > {{out.s}}"
    next end }
  step end { in [|/*|*/x|]: int }`),
  ),
);
references('step: declaration, next, from', () =>
  checkReferences(
    flow(`  step start { out x: int
    next [|a|], b }
  step [|/*|*/a|] { out y: int
    next j }
  step b { out y: int
    next j }
  step j { in y: int from [|a|]
    next end }
  step end {}`),
  ),
);
references('without declarations', () =>
  checkReferences(
    flow(`  step start { in [|limit|]: int
    next end }
  step end { in [|limit|]: int
    run "echo {{param.[|limit|]}}" }`).replace('param limit', 'param /*|*/limit'),
    false,
  ),
);

references('highlights: declarations are writes', () => {
  const f = fixture(flow(`  step start { out x: int\n    next end }\n  step end { in /*|*/x: int }`));
  assert.equal(getDocumentHighlights(f.doc, f.cursor).map((h) => h.kind), ['write', 'read']);
});

references.run();

// ---------------------------------------------------------------------------------------------------------------
const rename = suite('rename');

function checkRename(input: string, newName: string, expected: string) {
  const f = fixture(input);
  const res = getRename(f.doc, f.cursor, newName);
  if ('error' in res) assert.is(res.error, expected);
  else assert.fixture(applyEdits(f.text, res.edits), expected);
}

rename('artifact: producers, consumers and templates', () =>
  checkRename(
    `flow F {
  step start { out x: int
    next a }
  step a { in /*|*/x: int
    out y: int
    run "echo {{in.x}} > {{out.y}}"
    next end }
  step end { in x: int }
}`,
    'count',
    `flow F {
  step start { out count: int
    next a }
  step a { in count: int
    out y: int
    run "echo {{in.count}} > {{out.y}}"
    next end }
  step end { in count: int }
}`,
  ),
);
rename('step', () =>
  checkRename(
    `flow F {
  step start { next /*|*/a }
  step a { next end }
  step end {}
}`,
    'prepare',
    `flow F {
  step start { next prepare }
  step prepare { next end }
  step end {}
}`,
  ),
);
rename('record type', () =>
  checkRename(
    `type /*|*/Stats { n: int }
flow F {
  step start { out s: Stats
    next end }
  step end { in s: Stats }
}`,
    'Summary',
    `type Summary { n: int }
flow F {
  step start { out s: Summary
    next end }
  step end { in s: Summary }
}`,
  ),
);
rename('foreach element: the foreach and the inputs and templates of its body', () =>
  checkRename(
    `flow F {
  step start { out xs: [string]
    next each foreach /*|*/x in xs }
  step each { in x: string
    out y: int
    run "wc {{in.x}} > {{out.y}}"
    next j }
  step j { in y: [int]
    next end }
  step end {}
}`,
    'genre',
    `flow F {
  step start { out xs: [string]
    next each foreach genre in xs }
  step each { in genre: string
    out y: int
    run "wc {{in.genre}} > {{out.y}}"
    next j }
  step j { in y: [int]
    next end }
  step end {}
}`,
  ),
);
rename('parameter: declaration, inputs and templates', () =>
  checkRename(
    `flow F {
  param /*|*/limit: int = 3
  step start { in limit: int
    run "echo {{param.limit}} {{in.limit}}"
    next end }
  step end {}
}`,
    'cap',
    `flow F {
  param cap: int = 3
  step start { in cap: int
    run "echo {{param.cap}} {{in.cap}}"
    next end }
  step end {}
}`,
  ),
);
rename('artifact in a flow with a cycle: unresolved inputs too', () =>
  checkRename(
    'flow F {\n  step start { out x: int\n    next a }\n  step a { in /*|*/x: int\n    next start }\n  step end { in x: int }\n}',
    'y',
    'flow F {\n  step start { out y: int\n    next a }\n  step a { in y: int\n    next start }\n  step end { in y: int }\n}',
  ),
);
rename('start cannot be renamed', () =>
  checkRename(`flow F {\n  step /*|*/start { next end }\n  step end {}\n}`, 'begin', "The step 'start' cannot be renamed: every flow starts at 'start' and finishes at 'end'."),
);
rename('invalid name', () => checkRename(`flow F {\n  step start { next /*|*/end }\n  step end {}\n}`.replace('/*|*/end', 'a').replace('step end', 'step /*|*/a { next end }\n  step end'), '9lives', "'9lives' is not a valid name: use letters, digits and '_', not starting with a digit."));
rename('clash with an existing step', () =>
  checkRename(`flow F {\n  step start { next /*|*/a }\n  step a { next b }\n  step b { next end }\n  step end {}\n}`, 'b', "Flow 'F' already has a step 'b'."),
);
rename('prepare on nothing', () => {
  const f = fixture(`flow F {\n  /*|*/\n}`);
  assert.ok('error' in prepareRename(f.doc, f.cursor));
});

rename.run();

// ---------------------------------------------------------------------------------------------------------------
const selection = suite('selection ranges');

selection('from the name out to the flow', () => {
  const f = fixture('flow F {\n  step start {\n    out x/*|*/s: [int]\n    next end\n  }\n  step end {}\n}');
  const spans = getSelectionRanges(f.doc, f.cursor).map((s) => f.text.slice(s.start, s.end).replace(/\n\s*/g, ' '));
  assert.equal(spans, ['xs', 'out xs: [int]', 'step start { out xs: [int] next end }', 'flow F { step start { out xs: [int] next end } step end {} }']);
});

selection.run();
