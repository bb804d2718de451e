/** The shared parser skips chevrotain's grammar validations for start-up time; this runs them once. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FlowParser } from '../../grammar/parser.ts';

test('the grammar passes chevrotain self-analysis with validations on', () => {
  // performSelfAnalysis throws when validations find any problem in the grammar.
  assert.not.throws(() => new FlowParser({ validateGrammar: true }));
});

test.run();
