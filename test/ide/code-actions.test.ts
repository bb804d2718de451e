/** Quick fixes as data: the fixture, the title of the fix to apply, and the text after applying it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getCodeActions } from '../../compiler/ide/get-code-actions.ts';
import { getInlayHints } from '../../compiler/ide/get-inlay-hints.ts';
import { applyEdits, fixture } from './fixture.ts';

/** Applies the action titled `title` among those offered at the cursor; lists the titles when it is missing. */
function check(input: string, title: string, expected: string) {
  const f = fixture(input);
  const actions = getCodeActions(f.doc, { start: f.cursor, end: f.cursor });
  const action = actions.find((a) => a.title === title);
  assert.ok(action, `No action '${title}'; offered: ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.fixture(applyEdits(f.text, action!.edits), expected);
}

test('did you mean: an unknown step', () =>
  check(
    'flow F {\n  image "x"\n  step start { next /*|*/tallly }\n  step tally { next end }\n  step end {}\n}',
    "Change to 'tally'",
    'flow F {\n  image "x"\n  step start { next tally }\n  step tally { next end }\n  step end {}\n}',
  ));

test('did you mean: an unknown decorator', () =>
  check(
    'flow F {\n  image "x"\n  @retri/*|*/(times: 2)\n  step start { next end }\n  step end {}\n}',
    "Change to 'retry'",
    'flow F {\n  image "x"\n  @retry(times: 2)\n  step start { next end }\n  step end {}\n}',
  ));

const join = (read: string) => `flow F {
  image "x"
  step start { next a, b }
  step a {
    out r: int
    next j
  }
  step b {
    out r: int
    next j
  }
  step j {
    ${read}
    next end
  }
  step end {}
}`;

test('a read at a join becomes a gather', () => check(join('in /*|*/r: int'), "Gather 'r' from every branch: 'in r: [int]'", join('in r: [int]')));
test('a read at a join without a type becomes a gather', () => check(join('in /*|*/r'), "Gather 'r' from every branch: 'in r: [int]'", join('in r: [int]')));
test('a read at a join becomes a pick', () => check(join('in /*|*/r: int'), "Pick 'r' from the branch through 'b'", join('in r: int from b')));

test('declare the missing out on the step before the reader', () =>
  check(
    `flow F {
  image "x"
  step start {
    out a: int
    next mid
  }
  step mid {
    next end
  }
  step end {
    in a: int
    in /*|*/b: string
  }
}`,
    "Declare 'out b: string' on step 'mid'",
    `flow F {
  image "x"
  step start {
    out a: int
    next mid
  }
  step mid {
    out b: string
    next end
  }
  step end {
    in a: int
    in b: string
  }
}`,
  ));

test('add the missing unit to a size', () =>
  check(
    'flow F {\n  image "x"\n  @resources(memory: /*|*/20)\n  step start { next end }\n  step end {}\n}',
    'Add the unit: 20GiB',
    'flow F {\n  image "x"\n  @resources(memory: 20GiB)\n  step start { next end }\n  step end {}\n}',
  ));

test('add a missing join for a split', () =>
  check(
    `flow F {
  image "x"
  step start { next a, b }
  step a {
    out r: int
    next end
  }
  step b {
    out r: int
    next /*|*/end
  }
  step end {}
}`.replace('next a, b', '/*|*/next a, b').replace('next /*|*/end', 'next end'),
    "Add a join step 'join' closing the split at 'start'",
    `flow F {
  image "x"
  step start { next a, b }
  step a {
    out r: int
    next join
  }
  step b {
    out r: int
    next join
  }
  step join {
    next end
  }

  step end {}
}`,
  ));

test('add a missing join for a foreach: it gathers', () =>
  check(
    `flow F {
  image "x"
  step start {
    out xs: [int]
    /*|*/next each foreach x in xs
  }
  step each {
    in x: int
    out y: int
    next end
  }
  step end {}
}`,
    "Add a join step 'join' closing the foreach at 'start'",
    `flow F {
  image "x"
  step start {
    out xs: [int]
    next each foreach x in xs
  }
  step each {
    in x: int
    out y: int
    next join
  }
  step join {
    in y: [int]
    next end
  }

  step end {}
}`,
  ));

test('inlay hints: inferred input types', () => {
  const f = fixture('flow F {\n  image "x"\n  step start { out xs: [int]\n    next end }\n  step end { in xs }\n}');
  const hints = getInlayHints(f.doc, { start: 0, end: f.text.length });
  assert.equal(hints.map((h) => [f.text.slice(h.offset - 2, h.offset), h.label]), [['xs', ': [int]']]);
});

test.run();
