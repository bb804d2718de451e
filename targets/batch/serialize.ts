/**
 * Serialization, the last step: JSON with two-space indentation and a final newline.
 * Key order is the order in which the builders create keys (fixed in code), never the order of a hash map, so
 * the same IR always gives byte-identical files.
 */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Size in bytes of a string as UTF-8 (how AWS counts the definition limits). */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text);
}

/** Size in bytes of a value as compact JSON (how the state machine and template quotas count it). */
export const jsonBytes = (value: unknown): number => utf8Length(JSON.stringify(value));
