/** Help text of parameters from their comments (compiler/param-help.ts), in the IR, hover and `flowc run --list-params`. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { analyze } from '../../compiler/analyze.ts';
import { lower } from '../../compiler/lower.ts';
import { listParams } from '../../cli/cmd-run.ts';

const flow = `flow Help {
  param a: int = 1  // passes over the data
  // The learning rate,
  // before decay.
  param b: float = 0.1

  /* The dataset
   * to train on. */
  param c: string

  // not about d: a blank line follows

  param d: bool = true
  param e: json = {}

  step start {
    in a
    in b
    in c
    in d
    in e
    next end
  }
  step end {}
}
`;

test('a trailing comment, the // lines or the block comment right above; nothing across a blank line', () => {
  const [ir] = lower(analyze(flow, { file: 'help.flow' }));
  assert.equal(
    ir.params.map((p) => [p.name, p.description]),
    [
      ['a', 'passes over the data'],
      ['b', 'The learning rate, before decay.'],
      ['c', 'The dataset to train on.'],
      ['d', undefined],
      ['e', undefined],
    ],
  );
  assert.is(
    listParams(ir),
    [
      "Parameters of flow 'Help':",
      '  --param a=<int>     default 1     passes over the data',
      '  --param b=<float>   default 0.1   The learning rate, before decay.',
      '  --param c=<string>  required      The dataset to train on.',
      '  --param d=<bool>    default true',
      '  --param e=<json>    default {}',
      '',
    ].join('\n'),
  );
});

test.run();
