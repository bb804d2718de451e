/**
 * What runs inside an Argo pod around a step's body (docs/targets.md, "Argo Workflows" → "Inside the pod").
 *
 * The container's command is `/bin/sh -c POD_SHIM flowc-task BODY...`, where BODY is the task protocol's argv
 * (`targets/protocol`). The shim creates the task directory, optionally runs the Python helper's `prepare`
 * phase (unwrapping gathered values into `in/`), runs BODY, and optionally runs the helper's `finish` phase,
 * which decodes and type-checks every output as the protocol says and writes what Argo collects under
 * `ARGO_DIR`: output parameters, the switch case taken, the foreach list, the `@catch` record. With an artifact
 * repository configured (`SPILL_HELPER_PROGRAM`), `finish` spills values over `SPILL_BYTES` to an artifact and
 * writes `SPILL_MARKER` in their parameter, and `prepare` puts a spilled input's artifact in its place.
 *
 * The two long programs, the helper and the task protocol's Python wrapper, are written once per manifest, as the
 * values of workflow parameters (`POD_PROGRAMS`); a step's template reads them into environment variables
 * (`FLOWC_PY`, `FLOWC_PY_WRAPPER`) with a `{{workflow.parameters.…}}` tag that Argo substitutes when it creates
 * the pod. Environment variables, not raw input artifacts: Argo records every node's resolved inputs in the
 * workflow's status, so a file per pod would copy the programs into etcd once per task run.
 *
 * Invariant: the shim and the helper are constant text; per-step data reaches them only as JSON in environment
 * variables (`FLOWC_PREPARE`, `FLOWC_FINISH`), and values only as files and environment variables.
 * Invariant: no program text contains a double opening brace, which Argo would take for a template; author text
 * that does (a script, a command) travels base64-encoded (`PYTHON_B64_LOADER`, `SH_B64_LOADER`).
 * `FLOWC_ARGO_DIR` / `FLOWC_GATHER_DIR` are never set in manifests; they exist so tests can run the shim outside a pod.
 */
import type { JsonSchema, TypeIR } from '../../compiler/ir.ts';
import { PYTHON_WRAPPER } from '../protocol/index.ts';

export const POD_ROOT = '/flowc';
export const TASK_DIR = '/flowc/task';
/** Where the finish phase writes what Argo reads back (`valueFrom.path`). */
export const ARGO_DIR = '/flowc/argo';
/** Where raw artifacts holding gathered lists are placed before `prepare` unwraps them into `in/`. */
export const GATHER_DIR = '/flowc/gather';

/** The Argo output parameter carrying the case a switch step took (an integer index; cases.length for `else`). */
export const CASE_PARAM = 'flowc-case';
/** The Argo output parameter carrying a foreach list as `[{"index": i, "value": v}, ...]`. */
export const FOREACH_PARAM = 'flowc-foreach';
/** The suffix of the output parameter holding a value wrapped as `{"v": value}` for gathers. */
export const gatherParam = (name: string): string => `${name}-gather`;

export const POD_SHIM = [
  'set -u',
  'mkdir -p "$FLOWC_TASK_DIR/in" "$FLOWC_TASK_DIR/out" "$FLOWC_TASK_DIR/params" "${FLOWC_ARGO_DIR:-/flowc/argo}"',
  'cd "$FLOWC_TASK_DIR"',
  'if [ -n "${FLOWC_PREPARE:-}" ]; then python3 -c "$FLOWC_PY" prepare || exit $?; fi',
  '"$@"',
  'status=$?',
  'if [ -n "${FLOWC_FINISH:-}" ]; then exec python3 -c "$FLOWC_PY" finish "$status"; fi',
  'exit "$status"',
].join('\n');

/**
 * The marker a producing pod writes into an output parameter whose value it spilled to an artifact
 * (`<name>-spill`): the value is larger than `SPILL_BYTES`. Only with `argo.artifactRepository` configured.
 */
export const SPILL_MARKER = '{"flowc-spilled":true}';
/** Values whose text is larger than this many bytes are spilled (Argo's default parameter limit is 256 KiB). */
export const SPILL_BYTES = 128 * 1024;
/** Where a consumer's optional spilled-value artifacts are placed before `prepare` uses them. */
export const SPILL_DIR = '/flowc/spill';
/** The name of the optional output (and input) artifact carrying a spilled value. */
export const spillArtifact = (name: string): string => `${name}-spill`;

/**
 * The Python helper (standard library only), run as `python3 -c "$FLOWC_PY" prepare|finish STATUS`. With
 * `spill` (an artifact repository is configured), `finish` spills large values and `prepare` reads them back.
 */
function podHelper(spill: boolean): string {
  return [
  'import json, os, sys',
  'TASK = os.environ["FLOWC_TASK_DIR"]',
  'ARGO = os.environ.get("FLOWC_ARGO_DIR", "/flowc/argo")',
  'GATHER = os.environ.get("FLOWC_GATHER_DIR", "/flowc/gather")',
  'def fail(msg):',
  '    sys.stderr.write("flowc: " + msg + "\\n")',
  '    sys.exit(1)',
  ...(spill
    ? [
        'import shutil',
        'SPILL = os.environ.get("FLOWC_SPILL_DIR", "/flowc/spill")',
        `MARK = ${JSON.stringify(SPILL_MARKER)}`,
        'def marked(text):',
        '    try:',
        '        return json.loads(text) == json.loads(MARK)',
        '    except ValueError:',
        '        return False',
      ]
    : []),
  'def unwrap(e):',
  '    if isinstance(e, str):',
  '        e = json.loads(e)',
  '    return e["v"]',
  'def prepare(spec):',
  '    for name in spec["gathers"]:',
  '        with open(os.path.join(GATHER, name), encoding="utf-8") as f:',
  '            items = json.load(f)',
  '        with open(os.path.join(TASK, "in", name), "w", encoding="utf-8") as f:',
  '            json.dump([unwrap(e) for e in items], f)',
  ...(spill
    ? [
        '    for s in spec.get("spills", []):',
        '        name, path = s["name"], os.path.join(SPILL, s["name"])',
        '        if s["storage"] == "json":',
        '            with open(os.path.join(TASK, "in", name), encoding="utf-8") as f:',
        '                text = f.read()',
        '        else:',
        '            text = os.environ.get("FLOWC_IN_" + name, "")',
        '        if not marked(text) or not os.path.exists(path):',
        '            continue',
        '        if s["storage"] != "json":',
        '            fail("input \'%s\' is a string larger than Argo\'s parameter limit, which an environment variable cannot hold either; pass it as a file" % name)',
        '        shutil.copyfile(path, os.path.join(TASK, "in", name))',
      ]
    : []),
  'def decode(t, text):',
  '    if t["kind"] == "string":',
  '        s = text.strip()',
  '        if s.startswith(\'"\'):',
  '            try:',
  '                v = json.loads(s)',
  '                if isinstance(v, str):',
  '                    return v',
  '            except ValueError:',
  '                pass',
  '        return text[:-2] if text.endswith("\\r\\n") else text[:-1] if text.endswith("\\n") else text',
  '    return json.loads(text)',
  'def check(t, v, types):',
  '    k = t["kind"]',
  '    if k == "int": return isinstance(v, int) and not isinstance(v, bool)',
  '    if k == "float": return isinstance(v, (int, float)) and not isinstance(v, bool)',
  '    if k == "bool": return isinstance(v, bool)',
  '    if k == "string": return isinstance(v, str)',
  '    if k == "list": return isinstance(v, list) and all(check(t["element"], e, types) for e in v)',
  '    if k == "map": return isinstance(v, dict) and all(check(t["value"], e, types) for e in v.values())',
  '    if k == "optional": return v is None or check(t["inner"], v, types)',
  '    if k == "record": return isinstance(v, dict) and all(r in v for r in types.get(t["name"], {}).get("required", []))',
  '    return True',
  'def text_of(v):',
  '    return v if isinstance(v, str) else json.dumps(v, separators=(",", ":"))',
  'def put(name, text):',
  '    with open(os.path.join(ARGO, name), "w", encoding="utf-8") as f:',
  '        f.write(text)',
  'def value_of(ref, t, outputs):',
  '    if ref["from"] == "out":',
  '        return outputs[ref["name"]]',
  '    raw = os.environ["FLOWC_IN_" + ref["name"]]',
  '    if ref["storage"] == "json":',
  '        with open(raw, encoding="utf-8") as f:',
  '            return json.load(f)',
  '    return raw if t == "string" else json.loads(raw)',
  'def finish(spec, status):',
  '    catch = spec.get("catch")',
  '    if status != 0:',
  '        if catch and int(os.environ.get("FLOWC_RETRY", "0")) >= catch["retries"]:',
  '            put(catch["var"], json.dumps({"step": os.environ.get("FLOWC_STEP", ""), "exitCode": status}))',
  '            sys.exit(0)',
  '        sys.exit(status)',
  '    if catch:',
  '        put(catch["var"], "null")',
  '    outputs = {}',
  '    for o in spec["outputs"]:',
  '        path = os.path.join(TASK, "out", o["name"])',
  '        if not os.path.exists(path):',
  '            fail("the step did not write output \'%s\'" % o["name"])',
  '        if o["storage"] in ("file", "dir"):',
  '            continue',
  '        with open(path, encoding="utf-8") as f:',
  '            text = f.read()',
  '        try:',
  '            v = decode(o["type"], text)',
  '        except ValueError:',
  '            fail("output \'%s\' is not valid JSON" % o["name"])',
  '        if not check(o["type"], v, spec["types"]):',
  '            fail("output \'%s\' does not have its declared type" % o["name"])',
  '        outputs[o["name"]] = v',
  ...(spill
    ? [
        '        out, sp = text_of(v), spec.get("spill")',
        '        if sp and o["name"] in sp["outputs"] and len(out.encode("utf-8")) > sp["limit"]:',
        '            if o["name"] in sp["gathered"]:',
        '                fail("output \'%s\' is %d bytes, more than the %d a value can have when it is gathered on Argo; write it as a file" % (o["name"], len(out.encode("utf-8")), sp["limit"]))',
        '            put(o["name"] + "-spill", out)',
        '            out, v = MARK, json.loads(MARK)',
        '        put(o["name"], out)',
      ]
    : ['        put(o["name"], text_of(v))']),
  '        put(o["name"] + "-gather", json.dumps({"v": v}, separators=(",", ":")))',
  '    sw = spec.get("switch")',
  '    if sw:',
  '        v = value_of(sw, sw["type"], outputs)',
  '        idx = [i for i, c in enumerate(sw["cases"]) if type(c) is type(v) and c == v]',
  '        put("flowc-case", str(idx[0] if idx else len(sw["cases"])))',
  '    fe = spec.get("foreach")',
  '    if fe:',
  '        items = value_of(fe, "list", outputs)',
  '        put("flowc-foreach", json.dumps([{"index": i, "value": e} for i, e in enumerate(items)], separators=(",", ":")))',
  'if sys.argv[1] == "prepare":',
  '    prepare(json.loads(os.environ["FLOWC_PREPARE"]))',
  'else:',
  '    finish(json.loads(os.environ["FLOWC_FINISH"]), int(sys.argv[2]))',
].join('\n');
}
export const POD_HELPER = podHelper(false);
export const POD_HELPER_SPILL = podHelper(true);

/** A program shared by the pods of a flow: the workflow parameter holding its text and the variable it is read into. */
export interface PodProgram {
  param: string;
  env: string;
  text: string;
  description: string;
}

/** The pod helper (`prepare` / `finish`), for steps with gathers, outputs, a switch, a foreach or `@catch`. */
export const HELPER_PROGRAM: PodProgram = {
  param: 'flowc-pod-helper',
  env: 'FLOWC_PY',
  text: POD_HELPER,
  description: "flowc's pod helper (Python); set by flowc build, leave it unchanged",
};

/** The pod helper that also spills large values, used instead of `HELPER_PROGRAM` when an artifact repository is configured. */
export const SPILL_HELPER_PROGRAM: PodProgram = { ...HELPER_PROGRAM, text: POD_HELPER_SPILL };

/** The task protocol's Python wrapper, for `python` steps. */
export const WRAPPER_PROGRAM: PodProgram = {
  param: 'flowc-python-wrapper',
  env: 'FLOWC_PY_WRAPPER',
  text: PYTHON_WRAPPER,
  description: "flowc's wrapper of python steps; set by flowc build, leave it unchanged",
};

/** Every shared program, in the order their parameters are declared. */
export const POD_PROGRAMS: readonly PodProgram[] = [HELPER_PROGRAM, SPILL_HELPER_PROGRAM, WRAPPER_PROGRAM];

/**
 * The argv that runs a `python` body with the wrapper from `FLOWC_PY_WRAPPER`: the same program the task
 * protocol's `python3 -c WRAPPER SOURCE` runs (`sys.argv[1]` is the source, `__main__` globals), without the
 * wrapper's text in the command.
 */
export const PYTHON_LOADER = `import os; exec(os.environ["${WRAPPER_PROGRAM.env}"])`;

/**
 * Author text that Argo would read as its own templates (a `{{` or `}}` in a script or command) is carried
 * base64-encoded, so only the base64 alphabet reaches the manifest, and decoded in the pod before use.
 */
export const hasTemplateBraces = (text: string): boolean => text.includes('{{') || text.includes('}}');
export const toBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** `PYTHON_LOADER` for a base64-encoded source: the wrapper sees the decoded source as `sys.argv[1]`, as usual. */
export const PYTHON_B64_LOADER = `import base64, os, sys; sys.argv[1] = base64.b64decode(sys.argv[1]).decode("utf-8"); exec(os.environ["${WRAPPER_PROGRAM.env}"])`;

/**
 * Runs a base64-encoded shell script as `/bin/sh -c SCRIPT`, the very argv the readable form runs: python3
 * decodes it and replaces itself with the shell (no `eval`, no shell parsing of the encoded text).
 */
export const SH_B64_LOADER = 'import base64, os, sys; os.execv(b"/bin/sh", [b"/bin/sh", b"-c", base64.b64decode(sys.argv[1])])';

/**
 * JSON for an environment variable: `{{` can only occur inside a JSON string, where `{\u007b` decodes to the
 * same text, so Argo never sees a template in author text (switch cases, type schemas).
 */
export const envJson = (value: unknown): string => JSON.stringify(value).replace(/\{\{/g, '{\\u007b');

/** What `prepare` does: the names of gathered inputs to unwrap from `GATHER_DIR` into `in/`. */
export interface PrepareSpec {
  gathers: string[];
  /** Inputs that may have been spilled (`SPILL_DIR/<name>`); only with an artifact repository. */
  spills?: { name: string; storage: string }[];
}

/** A value the finish phase reads after the body: an output of the step or one of its inputs. */
export interface ValueRef {
  name: string;
  from: 'in' | 'out';
  storage: 'value' | 'json' | 'file' | 'dir';
}

/** What `finish` does; absent parts are skipped. */
export interface FinishSpec {
  outputs: { name: string; type: TypeIR; storage: string }[];
  types: Record<string, JsonSchema>;
  catch?: { var: string; retries: number };
  switch?: ValueRef & { type: string; cases: (string | number | boolean)[] };
  foreach?: ValueRef;
  /** Spill `outputs` larger than `limit` bytes (those `gathered` fail instead). Only with an artifact repository. */
  spill?: { limit: number; outputs: string[]; gathered: string[] };
}
