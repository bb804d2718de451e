/** The DAG preview: the server's layering (`getDag`) and the extension's SVG rendering of it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { getDag } from '../../compiler/ide/get-dag.ts';
import { renderDagSvg } from '../../vscode-extension/src/dag-svg.ts';
import { fixture } from '../ide/fixture.ts';

const flow = `flow F {
  image "x"
  step start { out s: string
    next switch s { "a" -> a, else -> b } }
  step a { next c, d }
  step c { next j }
  step d { next j }
  step j { next end }
  step b { next end }
  step end {}
}`;

test('layers follow the longest path from start; edges carry case labels', () => {
  const view = getDag(fixture(flow).doc);
  assert.is(view.errors, 0);
  const f = view.flows[0];
  assert.equal(
    f.nodes.map((n) => `${n.id}:${n.role}@${n.layer}.${n.index}`),
    ['start:start@0.0', 'a:split@1.0', 'b:linear@1.1', 'c:linear@2.0', 'd:linear@2.1', 'j:join@3.0', 'end:end@4.0'],
  );
  assert.equal(f.edges.filter((e) => e.label).map((e) => `${e.from}->${e.to}:${e.label}`), ['start->a:"a"', 'start->b:else']);
});

test('a cyclic flow still gets a layout', () => {
  const view = getDag(fixture('flow F {\n  step start { next a }\n  step a { next b }\n  step b { next a }\n  step end {}\n}').doc);
  assert.ok(view.errors > 0);
  assert.equal(view.flows[0].nodes.map((n) => n.id).sort(), ['a', 'b', 'end', 'start']);
});

test('the SVG has one box per step and one line per edge, names escaped', () => {
  const f = getDag(fixture(flow).doc).flows[0];
  const svg = renderDagSvg({ ...f, nodes: f.nodes.map(({ offset, ...n }) => ({ ...n, line: offset })) });
  assert.is(svg.match(/<rect /g)?.length, 7);
  assert.is(svg.match(/<line /g)?.length, f.edges.length);
  assert.match(svg, '&#34;a&#34;');
  assert.ok(svg.startsWith('<svg '));
});

test.run();
