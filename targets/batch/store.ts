/**
 * The layout of a run in S3, shared by the state machine (which reads and writes a few objects itself) and the
 * in-container bootstrap (which moves artifacts). Everything of one run lives under
 * `<root prefix>/<Flow>/<run id>/`:
 *
 * - `_params.json`: the execution input (parameter values), written by the state machine's first state.
 * - `<step>/<path>/out/<name>`: output `name` of one task (JSON for values and structured values, the file
 *   itself for `file`; a `dir` is its files under `out/<name>/` plus a listing `out/<name>.dir.json`).
 * - `<step>/<path>/foreach-list.json`, `foreach-items.json`: the list a foreach step fans out over, and the
 *   item indices `[0, 1, ...]` that the Map state reads with its ItemReader.
 * - `<step>/<path>/switch.json`: the value a switch step switches on, read by the state machine.
 *
 * `<path>` names the task: `t` outside any foreach, `t.2` for element 2 of a foreach, `t.2.0` nested.
 * The run id is the Step Functions execution name.
 */
export interface S3Root {
  bucket: string;
  /** Key prefix without leading or trailing `/`; may be empty. */
  prefix: string;
}

export const ROOT_PATH = 't';

/** Parses `s3://bucket/prefix`; null when it is not a usable S3 URL. */
export function parseS3Root(url: string): S3Root | null {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) return null;
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9/._-]*$/.test(prefix) || prefix.includes('//')) return null;
  return { bucket: m[1], prefix };
}

/** Escapes literal text for a `States.Format` string argument (`'`, `{`, `}` and `\` are special). */
export function formatLiteral(text: string): string {
  return text.replace(/[\\'{}]/g, (c) => `\\${c}`);
}
