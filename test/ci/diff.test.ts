/** `targets/diff`: the structural diff of two versions of a flow, on hand-built IR. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { codeSpan, diffFlows, MARKDOWN_MARKER, renderDiffJson, renderDiffMarkdown, renderDiffText } from '../../targets/diff/index.ts';
import { assertGolden } from '../helpers/golden.ts';
import { flow, python } from './ir-builder.ts';

const base = flow('Train', [
  { name: 'start', to: ['prep'], body: python('x = 1'), outputs: [{ name: 'x', type: { kind: 'int' }, storage: 'value', source: { file: 'f.flow', span: { start: 0, end: 0 } } }] },
  { name: 'prep', to: ['fit'], body: python('y = x') },
  { name: 'fit', to: ['end'], body: python('model = fit()'), resources: { cpu: 4, memoryMiB: 8192, gpu: null, diskMiB: null } },
  { name: 'end' },
]);

test('identical flows: unchanged', () => {
  const res = diffFlows([base], [structuredClone(base)]);
  assert.is(res.changed, false);
  assert.is(res.flows[0].status, 'unchanged');
  assert.is(renderDiffText(res), 'flow Train: no changes\n');
  assert.ok(renderDiffMarkdown(res, [base]).includes('No changes to the pipeline.'));
});

test('a step renamed with the same body and neighbours is a rename, not remove + add', () => {
  const after = flow('Train', [
    { name: 'start', to: ['clean'], body: python('x = 1') },
    { name: 'clean', to: ['fit'], body: python('y = x') },
    { name: 'fit', to: ['end'], body: python('model = fit()'), resources: base.steps[2].resources },
    { name: 'end' },
  ]);
  after.steps[0].outputs = base.steps[0].outputs;
  const res = diffFlows([base], [after]);
  assert.equal(res.flows[0].steps, [{ kind: 'renamed', from: 'prep', step: 'clean', changes: [] }]);
  // Edges are compared after renaming, so nothing else moved.
  assert.equal(res.flows[0].edges, { added: [], removed: [] });
});

test('two adjacent renamed steps pair up through each other', () => {
  const after = flow('Train', [
    { name: 'start', to: ['prep2'], body: python('x = 1'), outputs: base.steps[0].outputs },
    { name: 'prep2', to: ['fit2'], body: python('y = x') },
    { name: 'fit2', to: ['end'], body: python('model = fit()'), resources: base.steps[2].resources },
    { name: 'end' },
  ]);
  const res = diffFlows([base], [after]);
  assert.equal(
    res.flows[0].steps.map((s) => [s.kind, s.step]),
    [
      ['renamed', 'prep2'],
      ['renamed', 'fit2'],
    ],
  );
});

test('a different body is remove + add, and the predecessor changed its next', () => {
  const after = flow('Train', [
    { name: 'start', to: ['clean'], body: python('x = 1'), outputs: base.steps[0].outputs },
    { name: 'clean', to: ['fit'], body: python('y = x * 2') },
    { name: 'fit', to: ['end'], body: python('model = fit()'), resources: base.steps[2].resources },
    { name: 'end' },
  ]);
  const res = diffFlows([base], [after]);
  assert.equal(
    res.flows[0].steps.map((s) => `${s.kind} ${s.step}`),
    ['changed start', 'added clean', 'removed prep'],
  );
  assert.equal(res.flows[0].edges.added.map((e) => `${e.from}->${e.to}`), ['start->clean', 'clean->fit']);
  assert.equal(res.flows[0].edges.removed.map((e) => `${e.from}->${e.to}`), ['start->prep', 'prep->fit']);
});

test('resources, retry, timeout, artifact types, params and schedule', () => {
  const after = structuredClone(base);
  after.steps[2].resources = { cpu: 8, memoryMiB: 16384, gpu: 1, diskMiB: null };
  after.steps[2].retry = { times: 3, delaySeconds: 0 };
  after.steps[2].timeoutSeconds = 1800;
  after.steps[0].outputs[0].type = { kind: 'list', element: { kind: 'float' } };
  after.params = [{ name: 'lr', type: { kind: 'float' }, required: false, default: 0.1, source: base.source }];
  after.schedule = { cron: '0 3 * * *', timezone: 'UTC' };
  const res = diffFlows([base], [after]);
  const f = res.flows[0];
  assert.equal(f.changes, [
    { field: 'param lr', before: null, after: 'float' },
    { field: 'schedule', before: null, after: '0 3 * * * (UTC)' },
  ]);
  assert.equal(f.steps, [
    { kind: 'changed', step: 'start', changes: [{ field: 'output x', before: 'int', after: '[float]' }] },
    {
      kind: 'changed',
      step: 'fit',
      changes: [
        { field: 'resources.cpu', before: '4', after: '8' },
        { field: 'resources.memory', before: '8GiB', after: '16GiB' },
        { field: 'resources.gpu', before: null, after: '1' },
        { field: 'retry', before: null, after: '3 times' },
        { field: 'timeout', before: null, after: '30m' },
      ],
    },
  ]);
  assertGolden('ci/baselines/diff-settings.txt', renderDiffText(res));
  assertGolden('ci/baselines/diff-settings.md', renderDiffMarkdown(res, [after], { file: 'flows/train.flow' }));
});

test('target-only settings are compared per decorator, named after it', () => {
  const after = structuredClone(base);
  after.steps[2].targets = { argo: { kubernetes: { node_selector: { pool: 'gpu' } } }, batch: { batch: { queue: 'fast' } } };
  const changes = diffFlows([base], [after]).flows[0].steps.flatMap((s) => ('changes' in s ? s.changes : []));
  assert.equal(changes, [
    { field: 'kubernetes', before: null, after: '{"node_selector":{"pool":"gpu"}}' },
    { field: 'batch', before: null, after: '{"queue":"fast"}' },
  ]);
});

test('@parallel added, resized and removed', () => {
  const gang = structuredClone(base);
  gang.steps[2].parallel = { nodes: 4 };
  const bigger = structuredClone(gang);
  bigger.steps[2].parallel = { nodes: 8 };
  const steps = (o: typeof base, n: typeof base) => diffFlows([o], [n]).flows[0].steps;
  assert.equal(steps(base, gang), [{ kind: 'changed', step: 'fit', changes: [{ field: 'parallel', before: null, after: '4 nodes' }] }]);
  assert.equal(steps(gang, bigger), [{ kind: 'changed', step: 'fit', changes: [{ field: 'parallel', before: '4 nodes', after: '8 nodes' }] }]);
  assert.equal(steps(bigger, base), [{ kind: 'changed', step: 'fit', changes: [{ field: 'parallel', before: '8 nodes', after: null }] }]);
});

test('flows added, removed, and one renamed flow', () => {
  const other = flow('Other', [{ name: 'start', to: ['end'] }, { name: 'end' }]);
  const renamed = { ...structuredClone(base), name: 'Training' };
  const res = diffFlows([base], [renamed, other]);
  // Two new names and one old: no rename guess, the old one is removed.
  assert.equal(res.flows.map((f) => [f.name, f.status]), [
    ['Training', 'added'],
    ['Other', 'added'],
    ['Train', 'removed'],
  ]);
  const one = diffFlows([base], [renamed]);
  assert.equal(one.flows.map((f) => [f.oldName, f.newName, f.status]), [['Train', 'Training', 'changed']]);
  assert.equal(one.flows[0].changes, [{ field: 'name', before: 'Train', after: 'Training' }]);
  assert.equal(diffFlows([], [base]).flows[0].steps.length, 4);
});

test('markdown: marker first, changed steps marked in the Mermaid DAG', () => {
  const after = structuredClone(base);
  after.steps[1].body = python('y = x + 1');
  after.steps.splice(3, 0, { ...structuredClone(after.steps[2]), name: 'report', body: python('print(1)') });
  after.steps[2].next = { kind: 'linear', to: 'report' };
  after.steps[3].next = { kind: 'linear', to: 'end' };
  after.edges = [
    { from: 'start', to: 'prep', kind: 'linear' },
    { from: 'prep', to: 'fit', kind: 'linear' },
    { from: 'fit', to: 'report', kind: 'linear' },
    { from: 'report', to: 'end', kind: 'linear' },
  ];
  const md = renderDiffMarkdown(diffFlows([base], [after]), [after]);
  assert.ok(md.startsWith(MARKDOWN_MARKER + '\n'));
  assert.ok(md.includes('```mermaid\nflowchart TD\n'));
  assert.ok(md.includes('  class n_prep changed'));
  assert.ok(md.includes('  class n_fit changed'));
  assert.ok(md.includes('  class n_report added'));
  assert.not.ok(md.includes('class n_start'));
  assertGolden('ci/baselines/diff-added-step.md', md);
});

test('markdown: values with pipes, backticks and newlines cannot break the table', () => {
  assert.is(codeSpan('a|b'), '`a\\|b`');
  assert.is(codeSpan('x `y` z'), '``x `y` z``');
  assert.is(codeSpan('`'), '`` ` ``');
  assert.is(codeSpan('a\nb'), '`a b`');
  const after = structuredClone(base);
  after.steps[1].image = 'evil|`img`\n| --- |';
  const md = renderDiffMarkdown(diffFlows([base], [after]), [after]);
  const row = md.split('\n').find((l) => l.includes('prep'))!;
  assert.is(row.split(/(?<!\\)\|/).length, 5, row);
});

test('json: versioned, the DiffResult shape', () => {
  const json = JSON.parse(renderDiffJson(diffFlows([base], [base])));
  assert.is(json.version, 1);
  assert.is(json.changed, false);
  assert.equal(Object.keys(json.flows[0]), ['name', 'oldName', 'newName', 'status', 'changes', 'steps', 'edges']);
});

test.run();
