/**
 * A small YAML writer for manifests: JSON-like data (objects, arrays, strings, finite numbers, booleans, null) to
 * block-style YAML, in one pass over the data, so time grows linearly with the output.
 *
 * The general-purpose `yaml` package builds a node tree and measures every scalar for folding and aliasing before
 * writing; on manifests of thousands of templates that cost seconds. This writer knows the data has no comments,
 * anchors, tags or cycles, and picks each scalar's style directly:
 * - a string is plain when it cannot be read back as anything else, under YAML 1.2 (the `yaml` package, Argo's
 *   CLI) and YAML 1.1 (`kubectl`, whose parser reads `yes`, `on`, `0777` or `1:30` as booleans and numbers);
 * - a multi-line string is a literal block (`|`, `|-`, `|+`), with an indentation indicator when it starts
 *   with a space;
 * - anything else is quoted: single quotes when the text has double quotes and no single quotes, else double
 *   quotes with JSON escapes (plus `\u` escapes for characters YAML does not allow raw).
 * Object keys keep insertion order; `undefined` values are left out, as in JSON. Two spaces per level, and
 * sequences are indented under their key. For the manifests this target emits, the text is the same the `yaml`
 * package gives with `lineWidth: 0, blockQuote: 'literal'`.
 * Invariant: parsing the output gives back the input (test/targets/argo/yaml.test.ts checks this on hostile strings).
 */

type Data = null | boolean | number | string | undefined | Data[] | { [key: string]: Data };

/** The YAML text of one document, ending in a newline (without a `---` line). */
export function toYaml(value: unknown): string {
  const out: string[] = [];
  try {
    if (isCollection(value) && !isEmpty(value)) writeCollection(out, value as Data, '');
    else out.push(scalar(value as Data, ''), '\n');
  } finally {
    written.clear();
  }
  return out.join('');
}

/**
 * The YAML text of the short one-line strings written so far in this document: a manifest repeats many (keys'
 * values such as names, `{{workflow.parameters...}}` references, image names), each worked out once.
 */
const written = new Map<string, string>();
const MAX_REMEMBERED = 200;

/** Sequences at least this long (a flow's templates, a DAG's tasks) have each item written apart (see writeCollection). */
const LONG_SEQUENCE = 64;

const isCollection = (v: unknown): v is object => typeof v === 'object' && v !== null;
const isEmpty = (v: object): boolean => (Array.isArray(v) ? v.length === 0 : !Object.values(v).some((x) => x !== undefined));

/**
 * Writes a non-empty collection whose first line continues the current one (after the indentation, a `- ` or
 * nothing); every further line starts with `indent`. Pieces are pushed to `out` and joined at the end: most are
 * strings that already exist (keys, values, indentation), so little is allocated per line.
 */
function writeCollection(out: string[], value: Data, indent: string): void {
  const nested = `${indent}  `;
  let first = true;
  if (Array.isArray(value)) {
    for (const item of value) {
      if (!first) out.push(indent);
      first = false;
      out.push('- ');
      // A collection in a sequence starts on the dash's line; its lines align after `- `. An item of a long
      // sequence is written into its own pieces and joined at once, so the document's list of pieces stays short
      // (joining one list of millions of pieces costs more than writing them).
      if (isCollection(item) && !isEmpty(item)) {
        if (value.length < LONG_SEQUENCE) writeCollection(out, item as Data, nested);
        else {
          const pieces: string[] = [];
          writeCollection(pieces, item as Data, nested);
          out.push(pieces.join(''));
        }
      } else out.push(scalar(item ?? null, nested), '\n');
    }
    return;
  }
  const obj = value as { [key: string]: Data };
  for (const key in obj) {
    const item = obj[key];
    if (item === undefined) continue;
    if (!first) out.push(indent);
    first = false;
    out.push(keyText(key));
    if (isCollection(item) && !isEmpty(item)) {
      out.push(':\n', nested);
      writeCollection(out, item, nested);
    } else out.push(': ', scalar(item, nested), '\n');
  }
}

function scalar(value: Data, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Cannot write ${value} in a manifest.`);
    return Object.is(value, -0) ? '-0' : String(value);
  }
  if (typeof value === 'string') return stringText(value, indent);
  if (Array.isArray(value)) return '[]';
  if (typeof value === 'object') return '{}';
  throw new Error(`Cannot write a value of type ${typeof value} in a manifest.`);
}

/**
 * Whether `text` holds a character YAML does not allow raw in a scalar: a control character other than tab and
 * line feed, DEL, a C1 control, a BOM, a Unicode line or paragraph separator, or a lone surrogate.
 * (Tab and line feed are allowed; the caller looks for line feeds itself.)
 */
function hasNonPrintable(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c === 0x09 || c === 0x0a) continue;
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0xfeff || c === 0x2028 || c === 0x2029) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (!(next >= 0xdc00 && next <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

/** What rules out a plain scalar: a leading indicator, `: ` or ` #` inside, a trailing space or colon. */
const NOT_PLAIN = /^[\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|:[ \t]|[\t ]#|[\t :]$|^(---|\.\.\.)/;

const NOT_A_STRING = new RegExp(
  [
    '^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$',
    '^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$',
    '^[-+]?\\.(?:inf|Inf|INF)$',
    '^\\.(?:nan|NaN|NAN)$',
    // Integers and floats of both versions: decimal (with `_` in 1.1), octal, hex, binary, exponents.
    '^[-+]?(?:[0-9][0-9_]*|0[oO][0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+)$',
    '^[-+]?(?:\\.[0-9_]+|[0-9][0-9_]*(?:\\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?$',
    // YAML 1.1 sexagesimals (`1:30`, `-1:30.5`) and timestamps (`2001-12-14`, with or without a time).
    '^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\\.[0-9_]*)?$',
    '^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}',
  ].join('|'),
);

/** First characters of the text NOT_A_STRING matches: the rest is skipped without running it. */
const MAYBE_NOT_A_STRING = /^[-+.0-9~nNtTfFyYoO]/;

function isPlain(text: string): boolean {
  return text !== '' && !NOT_PLAIN.test(text) && !(MAYBE_NOT_A_STRING.test(text) && NOT_A_STRING.test(text));
}

function keyText(key: string): string {
  if (!key.includes('\n') && !hasNonPrintable(key) && isPlain(key)) return key;
  return quoted(key);
}

function stringText(text: string, indent: string): string {
  const known = written.get(text);
  if (known !== undefined) return known;
  const res = stringTextOf(text, indent);
  // A multi-line text's block depends on the indentation; a one-line text's does not.
  if (text.length <= MAX_REMEMBERED && !text.includes('\n')) written.set(text, res);
  return res;
}

function stringTextOf(text: string, indent: string): string {
  if (hasNonPrintable(text)) return doubleQuoted(text);
  if (text.includes('\n')) {
    // A last line of only white space cannot end a block scalar.
    return /\n[\t ]+$/.test(text) ? quoted(text) : literalBlock(text, indent);
  }
  return isPlain(text) ? text : quoted(text);
}

function quoted(text: string): string {
  if (text.includes('"') && !text.includes("'") && !text.includes('\n')) return `'${text}'`;
  return doubleQuoted(text);
}

function doubleQuoted(text: string): string {
  // JSON escapes are YAML escapes; JSON leaves DEL, C1 controls, BOM and the Unicode line separators raw.
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(text).replace(/[\x7f-\x9f\ufeff\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A literal block scalar holding `text` exactly: its header (chomping: `-` for no final line break, none for
 * one, `+` for more; an indentation indicator when the first content starts with a space), then every line
 * indented, with empty lines left empty.
 */
function literalBlock(text: string, indent: string): string {
  let end = text.length;
  while (end > 0 && (text[end - 1] === '\n' || text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
  const tail = text.slice(end);
  const breaks = countOf(tail, '\n');
  const chomp = breaks === 0 ? '-' : breaks === 1 && tail.endsWith('\n') && end > 0 ? '' : '+';
  let lead = 0;
  while (lead < text.length && (text[lead] === ' ' || text[lead] === '\n')) lead++;
  const indicator = text.slice(0, lead).includes(' ') ? String(indent.length === 0 ? 1 : 2) : '';
  // The lines of the text; with `+`, trailing line breaks beyond the last are kept as empty lines.
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  const lines = body.split('\n').map((line) => (line === '' ? '' : indent + line));
  return `|${indicator}${chomp}\n${lines.join('\n')}`;
}

function countOf(text: string, ch: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) if (text[i] === ch) n++;
  return n;
}
