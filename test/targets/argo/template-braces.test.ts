/**
 * `{{` and `}}` in author text that reaches an Argo field Argo substitutes (issue 14): every such field is an
 * argo-template-braces error naming it, nothing is emitted; scripts and commands are not (they travel encoded).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FlowcConfig } from '../../../compiler/config-types.ts';
import type { FlowIR } from '../../../compiler/ir.ts';
import { buildArgo } from '../../../targets/argo/index.ts';
import { argoCases } from './cases.ts';

const train = argoCases().find((c) => c.name === 'sample-train')!.ir;
const build = (ir: FlowIR, config: FlowcConfig = {}) => buildArgo(ir, { config, sourceFile: ir.source.file });

test('the sample builds without the error', () => {
  assert.equal(build(train).diagnostics, []);
});

const stepCases: [string, (ir: FlowIR) => void, RegExp][] = [
  ['image', (ir) => (ir.steps[0].image = 'repo/{{x}}:1'), /'\{\{' in its image/],
  ['flow image', (ir) => ((ir.image = 'repo/img:{{tag}}'), ir.steps.forEach((s) => (s.image = ir.image))), /Flow '.*' has '\{\{' in its image/],
  ['secret name', (ir) => (ir.steps[0].secrets = [{ env: 'K', secret: 'db-{{x}}', key: 'k' }]), /the name of secret/],
  ['secret key', (ir) => (ir.steps[0].secrets = [{ env: 'K', secret: 'db', key: 'k}}' }]), /'\}\}' in the key of secret 'db'/],
  ['node selector value', (ir) => (ir.steps[0].targets = { argo: { kubernetes: { node_selector: { pool: '{{gpu}}' } } } }), /the value of node selector 'pool'/],
  ['toleration', (ir) => (ir.steps[0].targets = { argo: { kubernetes: { tolerations: [{ key: 'k', operator: 'Equal', value: '{{v}}' }] } } }), /a toleration value/],
  ['service account', (ir) => (ir.steps[0].targets = { argo: { kubernetes: { service_account: 'sa-{{x}}' } } }), /its service account/],
  ['time zone', (ir) => (ir.schedule = { cron: '0 3 * * *', timezone: '{{tz}}' }), /schedule time zone \(the CronWorkflow timezone\)/],
  ['trigger event', (ir) => (ir.triggers = [{ event: 'src/{{e}}' }]), /the trigger event/],
];

for (const [what, change, message] of stepCases) {
  test(`braces in the ${what} are an error, and nothing is built`, () => {
    const ir = structuredClone(train);
    change(ir);
    const res = build(ir);
    const hits = res.diagnostics.filter((d) => d.code === 'argo-template-braces');
    assert.is(hits.length, 1, res.diagnostics.map((d) => d.message).join('\n'));
    assert.match(hits[0].message, message);
    assert.equal(res.files, []);
  });
}

test("braces in flowc.yaml's Argo settings are errors naming the setting", () => {
  for (const [config, key] of [
    [{ argo: { serviceAccount: '{{sa}}' } }, 'argo.serviceAccount'],
    [{ argo: { namespace: 'ns-{{x}}' } }, 'argo.namespace'],
    [{ argo: { labels: { team: '{{t}}' } } }, "argo.labels 'team'"],
    [{ datastore: 's3://bucket/{{x}}' }, 'datastore'],
    [{ argo: { notify: { webhook: { secret: 'hook-{{x}}', key: 'url' } } } }, 'argo.notify.webhook.secret'],
    [{ argo: { notify: { webhook: { secret: 'hook', key: 'url}}' } } } }, 'argo.notify.webhook.key'],
  ] as [FlowcConfig, string][]) {
    const res = build(structuredClone(train), config);
    assert.equal(res.diagnostics.map((d) => d.code), ['argo-template-braces'], key);
    assert.ok(res.diagnostics[0].message.includes(`flowc.yaml's ${key}`), res.diagnostics[0].message);
  }
});

test('a script with braces still builds (it travels encoded)', () => {
  const ir = structuredClone(train);
  const body = ir.steps[0].body;
  if (body.kind === 'script') body.source = 'print("{{not a template}}")';
  assert.equal(build(ir).diagnostics, []);
});

test.run();
