/**
 * Semantic diagnostics: names, types, decorators, the DAG and the artifact dataflow (owned by `compiler/`).
 * Each entry's `example` is a minimal flow that triggers the code; the coverage test checks that every code
 * here is triggered by at least one case under `test/cases/check/err/`.
 */
import type { CatalogEntry, CatalogPart } from '../catalog.ts';

const error = (summary: string, doc: string, example: string): CatalogEntry => ({ severity: 'error', summary, doc, example });
const warning = (summary: string, doc: string, example: string): CatalogEntry => ({ severity: 'warning', summary, doc, example });

/** Wraps steps in a minimal flow so examples stay short. */
const flow = (body: string, head = ''): string => `${head}flow F {\n  image "python:3.12-slim"\n${body}\n}\n`;
const linear = 'step start { next end }\n  step end {}';

export const semanticCodes = {
  // Names ------------------------------------------------------------------------------------------------
  'no-flow': error(
    'The file declares no flow.',
    'A `.flow` file holds at least one `flow Name { ... }`; one that is empty, blank, or only comments and types builds nothing, which is almost always a mistake (a file saved empty, or a comment that runs to the end of the file).',
    '// a file with only a comment\n',
  ),
  'duplicate-flow': error(
    'Two flows in one file have the same name.',
    'Flow names must be unique within a file: each flow becomes its own workflow, and the name is its identity on every target.\nRename one of them.',
    'flow F {\n  step start { next end }\n  step end {}\n}\nflow F {\n  step start { next end }\n  step end {}\n}\n',
  ),
  'duplicate-type': error(
    'Two record types have the same name.',
    'Record type names must be unique within a file. Rename or remove one of the declarations.',
    'type Stats { n: int }\ntype Stats { m: int }\n' + flow('  ' + linear),
  ),
  'duplicate-field': error(
    'A record type declares the same field twice.',
    'Each field of a record type must have a distinct name.',
    'type Stats {\n  n: int\n  n: string\n}\n' + flow('  ' + linear),
  ),
  'duplicate-step': error(
    'Two steps of a flow have the same name.',
    'Step names are unique within a flow: `next` refers to steps by name. This also catches a second `start` or `end`.',
    flow('  step start { next end }\n  step start { next end }\n  step end {}'),
  ),
  'duplicate-param': error(
    'Two parameters of a flow have the same name.',
    'Parameter names are unique within a flow.',
    flow('  param n: int = 1\n  param n: int = 2\n  ' + linear),
  ),
  'duplicate-artifact': error(
    'A step declares the same input or output twice.',
    'Within one step, every `in` name and every `out` name must be distinct. (A step may read `in x` and write `out x`.)',
    flow('  step start {\n    out x: int\n    out x: int\n    python "x = 1"\n    next end\n  }\n  step end {}'),
  ),
  'unknown-type': error(
    'A type name refers to no built-in or declared type.',
    'Types are `int`, `float`, `bool`, `string`, `json`, `file`, `dir`, `[T]`, `{T}`, `T?` and record types declared with `type Name { ... }`.',
    flow('  step start {\n    out x: integer\n    python "x = 1"\n    next end\n  }\n  step end {}'),
  ),
  'unknown-step': error(
    'A `next`, switch case or `from` names a step that does not exist.',
    'Every step named in `next`, in a switch case or in a pick (`in x: T from a`) must be declared in the same flow.',
    flow('  step start { next trian }\n  step train { next end }\n  step end {}'),
  ),
  'unknown-artifact': error(
    'An `in` reads a name that no step produces and no parameter declares.',
    'An `in x` must name an artifact produced by an upstream step (`out x`), a parameter, or the element of an enclosing foreach.',
    flow('  step start {\n    in feats: int\n    next end\n  }\n  step end {}'),
  ),
  'unknown-field': error(
    'A record value has a field its type does not declare, or lacks one it does.',
    'Record values (e.g. a parameter default) must have exactly the fields of their record type.',
    'type Point { x: int }\n' + flow('  param p: Point = { y: 1 }\n  step start {\n    in p: Point\n    next end\n  }\n  step end {}'),
  ),

  // Step shape -------------------------------------------------------------------------------------------
  'missing-start': error('A flow has no `start` step.', 'Every flow runs from a step named `start`.', flow('  step begin { next end }\n  step end {}')),
  'missing-end': error('A flow has no `end` step.', 'Every flow finishes at a step named `end`.', flow('  step start { next finish }\n  step finish {}')),
  'missing-next': error(
    'A step other than `end` has no `next`.',
    'Every step except `end` says where the flow goes next: `next a`, `next a, b`, `next a foreach x in xs` or `next switch v { ... }`.',
    flow('  step start {}\n  step end {}'),
  ),
  'end-has-next': error('The `end` step has a `next`.', 'The flow finishes at `end`; it cannot go anywhere after it.', flow('  step start { next end }\n  step end { next start }')),
  'duplicate-next': error('A step has more than one `next`.', 'A step has exactly one `next` clause; list several targets in one clause for a split: `next a, b`.', flow('  step start {\n    next end\n    next end\n  }\n  step end {}')),
  'duplicate-body': error(
    'A step has more than one body.',
    'A step runs one thing: one `run`, `python` or `sh` body.',
    flow('  step start {\n    run "echo a"\n    run "echo b"\n    next end\n  }\n  step end {}', ''),
  ),
  'duplicate-image': error('An `image` is given twice in the same flow or step.', 'Give at most one `image` per flow (the default) and one per step (an override).', flow('  step start {\n    image "a"\n    image "b"\n    next end\n  }\n  step end {}')),
  'missing-image': warning(
    'A step has a body but no container image is set for it.',
    'Local runs use the host, but the Argo and Batch targets need an image for every step with a body.\nSet `image` in the step, in the flow, or `image:` in `flowc.yaml`.',
    'flow F {\n  step start {\n    run "echo hi"\n    next end\n  }\n  step end {}\n}\n',
  ),

  // DAG ---------------------------------------------------------------------------------------------------
  'unreachable-step': error('A step cannot be reached from `start`.', 'Every step must be reachable from `start` through `next` clauses; remove the step or add it to a `next`.', flow('  ' + linear + '\n  step orphan { next end }')),
  'dead-end-step': error(
    'A step cannot reach `end`.',
    'Every step must lead to `end`. This happens when a step only leads into a cycle or to steps without `next`.',
    flow('  step start { next a, b }\n  step a { next c }\n  step c { next d }\n  step d { next c }\n  step b { next end }\n  step end {}'),
  ),
  cycle: error('The steps form a cycle.', 'A flow is a directed acyclic graph: no step may lead back to itself. The message names the cycle.', flow('  step start { next a }\n  step a { next b }\n  step b { next a }\n  step end {}')),
  'unclosed-fanout': error(
    'A split or foreach is not closed by a join before `end`.',
    'Every branch of a split (`next a, b`) must meet again in one join step, and every foreach must end in a step that gathers its results (`in x: [T]`) or is marked `join step`, before the flow reaches `end`.',
    flow('  step start { next a, b }\n  step a { next end }\n  step b { next end }\n  step end {}'),
  ),
  'join-mismatch': error(
    'A join mixes branches of different splits, or joins only some branches of a split.',
    'A join closes exactly one split: all of its branches, and nothing else. Close an inner split before joining the outer one.',
    flow('  step start { next a, b, c }\n  step a { next j }\n  step b { next j }\n  step c { next j2 }\n  step j { next j2 }\n  step j2 { next end }\n  step end {}'),
  ),
  'caught-output-not-optional': error(
    'A step reads, as a non-optional type, an output of a step with `@catch`, which a failed task does not produce.',
    [
      'When a task of a step with `@catch` fails, the run goes on, but the task has no outputs (only its catch variable, a `Failure` record).',
      'So a step reading such an output must accept null: `in x: T?` for a plain read or a pick, `in xs: [T?]` for a gather (null for the tasks that failed).',
      'Reading it without a type gives `T?` by itself.',
    ].join('\n'),
    flow('  @catch(var: failed)\n  step start {\n    out x: int\n    python "x = 1 // 0"\n    next end\n  }\n  step end {\n    in x: int\n  }'),
  ),
  'invalid-pass': error(
    '`pass` in a step that is not a join.',
    '`pass a, b` (or `pass *`) passes branch artifacts on past the join that closes a split. Elsewhere every visible artifact already goes on to the next step, so there is nothing to pass: remove it, or move it to the join.',
    flow('  step start {\n    out x: int\n    python "x = 1"\n    next end\n  }\n  step end {\n    pass x\n  }'),
  ),
  'ambiguous-pass': error(
    'A join passes on an artifact that several branches (or every task of a foreach) produce.',
    [
      '`pass NAME` passes on the value of the one branch that produced `NAME`. When several branches produce it, which value goes on is not clear:',
      'gather them all with `in NAME: [T]`, or pick one branch with `in NAME: T from STEP`, and produce the value the join passes on with `out`.',
      'With `pass *`, such names are reported too, unless the join reads or produces them itself.',
    ].join('\n'),
    flow('  step start { next a, b }\n  step a {\n    out x: int\n    python "x = 1"\n    next join\n  }\n  step b {\n    out x: int\n    python "x = 2"\n    next join\n  }\n  step join {\n    pass x\n    next end\n  }\n  step end {}'),
  ),
  'invalid-loop': error(
    'A `@loop` that is not a bounded loop: no switch case goes back, or the loop is left other than through its switch.',
    [
      'A bounded loop is a switch case going back to an earlier step (or the same one), on a step with `@loop(max: N)`.',
      'The steps from the one the case goes back to up to the switching step are the loop: they stay in one fan-out context (no split, foreach or join inside, no other loop), and the only way out is another case of the switch.',
    ].join('\n'),
    flow('  @loop(max: 3)\n  step start {\n    next end\n  }\n  step end {}'),
  ),
  'invalid-parallel': error(
    'A `@parallel` step fans out, switches, retries or catches its failure.',
    [
      'A `@parallel(nodes: N)` step runs its body as a gang of N tasks started together; node 0\'s outputs are the step\'s outputs, so the step after it reads them as if the step were one task.',
      'Its `next` is therefore one step (or none, on `end`): it cannot start a foreach, a split or a switch (put the fan-out in the step after it). It cannot have `@catch` either (a failed node fails the gang on every target, and the engines cannot record it as caught), nor `@retry` (a node started again alone would not meet the others at the rendezvous; resume the run instead).',
    ].join('\n'),
    flow('  @parallel(nodes: 2)\n  step start {\n    out shards: [int]\n    python "shards = [0, 1]"\n    next work foreach shard in shards\n  }\n  step work {\n    in shard\n    next done\n  }\n  join step done { next end }\n  step end {}'),
  ),
  'join-closes-nothing': error(
    'A step marked `join step` runs where no split or foreach is open.',
    '`join step NAME { ... }` closes the innermost split or foreach open where the step runs. Where none is open (before any fan-out, or after its join), the marker is a mistake: remove `join`, or move it to the step that should close the fan-out.',
    flow('  step start { next work }\n  join step work { next end }\n  step end {}'),
  ),
  'foreach-not-list': error(
    'A `foreach` iterates over an artifact that is not a list.',
    '`next s foreach x in xs` needs `xs` to have a list type `[T]`; each task of `s` then reads one element as `in x: T`.',
    flow('  step start {\n    out n: int\n    python "n = 3"\n    next body foreach i in n\n  }\n  step body {\n    in i: int\n    out r: int\n    python "r = i"\n    next join\n  }\n  step join {\n    in r: [int]\n    next end\n  }\n  step end {}'),
  ),
  'invalid-switch-type': error(
    'A `switch` is over a type other than `string`, `int` or `bool`.',
    'Switch subjects are compared with case values, so they must be `string`, `int` or `bool` artifacts.',
    flow('  step start {\n    out v: float\n    python "v = 1.5"\n    next switch v { 1 -> end }\n  }\n  step end {}'),
  ),
  'duplicate-case': error('A `switch` has two cases with the same value.', 'Each case value may appear once; the first would always win.', flow('  step start {\n    out v: string\n    python "v = \'a\'"\n    next switch v { "a" -> end, "a" -> end }\n  }\n  step end {}')),
  'undeclared-subject': error(
    'A `switch` or `foreach` names an artifact the step neither reads nor produces.',
    'The subject of a `switch` and the list of a `foreach` are read after the step body ran, so they must be an `out` of the step or an `in` it declares.',
    flow('  step start { next switch mode { "a" -> end } }\n  step end {}'),
  ),

  // Dataflow ----------------------------------------------------------------------------------------------
  'artifact-not-available': error(
    'An `in` reads an artifact that is not produced on every path to the step.',
    'Artifacts flow down the DAG. Past a `switch`, an artifact is visible only if every branch produced it; past a join, only what was visible before the split and what the join itself declares as `out`. The message names one path on which the artifact is missing.',
    flow('  step start {\n    out mode: string\n    python "mode = \'a\'"\n    next switch mode { "a" -> a, else -> b }\n  }\n  step a {\n    out x: int\n    python "x = 1"\n    next end\n  }\n  step b { next end }\n  step end {\n    in x: int\n  }'),
  ),
  'ambiguous-join-read': error(
    'A join reads an artifact produced on several branches without a gather or a pick.',
    'At a join, branch results are only reachable through a gather (`in x: [T]`, one value per branch or task) or a pick (`in x: T from a`, the value of one branch).',
    flow('  step start { next a, b }\n  step a {\n    out x: int\n    python "x = 1"\n    next join\n  }\n  step b {\n    out x: int\n    python "x = 2"\n    next join\n  }\n  step join {\n    in x: int\n    next end\n  }\n  step end {}'),
  ),
  'ambiguous-merge-read': error(
    'An `in` without a type reads an artifact that the branches of a switch produce with different types.',
    'Where the branches of a switch reconverge, an artifact may come from a different step on each branch. When those steps declare it with different types, the reading step must say which type it reads it as (`in x: T`), and every producer\'s type must be assignable to `T` (for example `float` accepts `int`, and `json` accepts anything).',
    flow('  step start {\n    out mode: string\n    python "mode = \'a\'"\n    next switch mode { "a" -> a, else -> b }\n  }\n  step a {\n    out x: int\n    python "x = 1"\n    next end\n  }\n  step b {\n    out x: float\n    python "x = 2.5"\n    next end\n  }\n  step end {\n    in x\n  }'),
  ),
  'invalid-pick': error(
    'A pick (`in x: T from a`) is not at a join, or `a` is not one of its branches.',
    '`from a` chooses the value of the branch that runs through step `a`; it is only meaningful at a join of a split, and `a` must lie on one of its branches.',
    flow('  step start {\n    out x: int\n    python "x = 1"\n    next a\n  }\n  step a {\n    in x: int from start\n    next end\n  }\n  step end {}'),
  ),
  'type-mismatch': error(
    'A value does not have the type its consumer expects.',
    'The type declared by an `in` must accept the type every producer declares (including record fields, gathers `[T]` and each branch of a switch); parameter defaults and switch case values must match their types.',
    flow('  step start {\n    out x: string\n    python "x = \'1\'"\n    next end\n  }\n  step end {\n    in x: int\n  }'),
  ),
  'unused-param': warning(
    'No step reads a parameter.',
    'A parameter is read by an `in` of the same name or a `{{param.name}}` template. Remove it, or read it.',
    flow('  param limit: int = 10\n  ' + linear),
  ),

  // Templates ---------------------------------------------------------------------------------------------
  'unknown-template-ref': error(
    'A `{{...}}` template in `run` names an input, output or parameter that does not exist.',
    '`{{in.x}}` needs `in x` in the step, `{{out.y}}` needs `out y`, and `{{param.z}}` a flow parameter `z`.',
    flow('  step start {\n    out report: string\n    run "echo hi > {{out.reprot}}"\n    next end\n  }\n  step end {}'),
  ),
  'invalid-template': error(
    'A `{{...}}` template in `run` is malformed or uses unsupported Handlebars features.',
    'Templates are plain references `{{in.x}}`, `{{out.y}}` or `{{param.z}}`: no helpers, blocks, partials or triple braces.',
    flow('  step start {\n    run "echo {{#if x}}y{{/if}}"\n    next end\n  }\n  step end {}'),
  ),

  // Decorators --------------------------------------------------------------------------------------------
  'unknown-decorator': error('A decorator name is not known.', 'See the decorator reference in docs/language.md for the supported decorators.', flow('  @resource(cpu: 2)\n  step start { next end }\n  step end {}')),
  'misplaced-decorator': error(
    'A decorator is used on a flow where only steps allow it, or the reverse.',
    'Flow decorators (`@schedule`, `@trigger`, `@project`) go before `flow`; step decorators before `step`.',
    flow('  @schedule(daily)\n  step start { next end }\n  step end {}'),
  ),
  'duplicate-decorator': error('A decorator is given twice on the same flow or step.', 'Merge the arguments into one decorator.', flow('  @retry(times: 1)\n  @retry(times: 2)\n  step start { next end }\n  step end {}')),
  'unknown-argument': error('A decorator argument name is not known.', 'See the decorator reference in docs/language.md for the arguments each decorator takes.', flow('  @resources(cpus: 2)\n  step start { next end }\n  step end {}')),
  'duplicate-argument': error('A decorator argument is given twice.', 'Give each argument once.', flow('  @resources(cpu: 2, cpu: 4)\n  step start { next end }\n  step end {}')),
  'missing-argument': error('A required decorator argument is missing.', 'Some decorators need an argument, e.g. `@timeout(30m)` or `@trigger(event: "data-ready")`.', flow('  @timeout\n  step start { next end }\n  step end {}')),
  'invalid-argument': error(
    'A decorator argument has the wrong kind of value.',
    'Arguments are typed: sizes such as `20GiB`, durations such as `30s`, counts, strings, names.',
    flow('  @resources(memory: 20)\n  step start { next end }\n  step end {}'),
  ),
  'reserved-env': error(
    'A step sets an environment variable that flowc or the engine sets.',
    "`@env` and `@secrets` may not name variables starting with `FLOWC_` (flowc's task protocol: the step's plan, the datastore, the inputs and outputs, the wrapper of python bodies) or `AWS_BATCH_` (set by AWS Batch, which refuses job definitions that name them), nor, on a `@parallel` step, `RANK`, `WORLD_SIZE`, `MASTER_ADDR` or `MASTER_PORT` (what each node of the gang gets for torch.distributed). One of them set by a step would change how its task runs, or make the job definition invalid; choose another name.",
    flow('  @env(FLOWC_DATASTORE: "s3://elsewhere")\n  step start { next end }\n  step end {}'),
  ),
  'out-of-range': error('A decorator argument has an impossible value.', 'For example a negative cpu count, zero retries, or more than 10 retries.', flow('  @resources(cpu: -1)\n  step start { next end }\n  step end {}')),
  'unknown-timezone': error(
    'A schedule names a time zone that does not exist.',
    'The `timezone` of `@schedule` is an IANA time zone name such as `Europe/Berlin`, `America/New_York` or `UTC`, spelt with its capitals: Argo and EventBridge look it up by name when the schedule fires, so a misspelt zone would fail only there.\nThe message suggests the closest name.',
    flow('  ' + linear, '@schedule(cron: "0 3 * * *", timezone: "Europe/Berln")\n'),
  ),
  'invalid-cron': error(
    'A `@schedule` cron expression does not parse.',
    'A cron expression has five fields: minute (0-59), hour (0-23), day of month (1-31), month (1-12 or JAN-DEC) and day of week (0-7 or SUN-SAT), each `*`, a value, a range `a-b`, a list `a,b` or a step `*/n`.',
    flow('  ' + linear, '@schedule(cron: "0 25 * * *")\n'),
  ),
} satisfies CatalogPart;
