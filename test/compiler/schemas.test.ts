/**
 * The composed schemas: compiler/config.schema.json is what scripts/gen-schemas.ts composes (the hand-written
 * part and each target's section from its folder). The IR schema: compiler/ir.schema.json is what
 * scripts/gen-schemas.ts composes (the hand-written part and
 * each decorator's field from the catalogue, each target's section from its folder), and the decorators'
 * absent values are valid IR.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { absentFields, decoratorCatalog, irParts } from '../../compiler/decorators.ts';
import { validateIR } from '../../compiler/validate-ir.ts';
import { renderConfigSchema, renderIrSchema } from '../../scripts/gen-schemas.ts';
import { targets } from '../../targets/registry.ts';
import { flow } from '../ci/ir-builder.ts';
import { repoRoot } from '../helpers/golden.ts';

for (const [file, render] of [['ir.schema.json', renderIrSchema], ['config.schema.json', renderConfigSchema]] as const) {
  test(`compiler/${file} is up to date (run \`node --import tsx scripts/gen-schemas.ts\`)`, () => {
    const current = readFileSync(join(repoRoot, 'compiler', file), 'utf8');
    assert.ok(current === render(), `compiler/${file} is stale: run \`node --import tsx scripts/gen-schemas.ts\`.`);
  });
}

test("each target with flowc.yaml settings has its section, from its folder", () => {
  const schema = JSON.parse(renderConfigSchema());
  assert.equal(Object.keys(schema.properties), ['image', 'datastore', 'maxWorkers', 'argo', 'batch']);
  assert.ok(schema.$defs.dnsLabel && schema.$defs.arn, "the sections' $defs are at the top level");
  assert.is(schema.properties.argo.$defs, undefined);
});

test("every decorator field is in the schema, in catalogue order, required unless it is left out when absent", () => {
  const schema = JSON.parse(renderIrSchema());
  for (const [on, object] of [['step', schema.$defs.step], ['flow', schema]] as const) {
    const fields = irParts(on).map((p) => p.field);
    const props = Object.keys(object.properties);
    assert.equal(props.filter((p) => fields.includes(p)), fields, `${on} fields in catalogue order`);
    for (const part of irParts(on)) assert.is(object.required.includes(part.field), part.absent !== undefined, `${on}.${part.field} required`);
  }
});

test("a flow with every decorator absent is valid IR, and its absent values are fresh copies", () => {
  const ir = flow('F', [{ name: 'start', to: ['end'] }, { name: 'end' }]);
  assert.equal(validateIR(ir), []);
  assert.not.ok('triggerOnFinish' in ir, 'a field absent as undefined is left out');
  const a = absentFields('step');
  a.env.push({ name: 'X', value: '1' });
  assert.equal(absentFields('step').env, []);
});

test("every decorator with a target names a target whose folder gives its section's schema, which holds the decorator", () => {
  for (const spec of Object.values(decoratorCatalog)) {
    if (spec.on !== 'step' || !spec.target) continue;
    const settings = targets.find((t) => t.name === spec.target)?.stepSettings;
    assert.ok(settings, `@${spec.name}: target '${spec.target}' has no stepSettings`);
    assert.ok(spec.name in (settings.properties as object), `@${spec.name} is not in the ${spec.target} section's schema`);
  }
});

test.run();
