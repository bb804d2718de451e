/**
 * Kubernetes names for flows and steps: deterministic DNS-1123 labels derived from the flow's identifiers.
 *
 * The mapping is `MyFlow` → `my-flow`, `load_data` → `load-data`, `trainV2` → `train-v2`: camel-case humps and
 * underscores become single dashes, everything is lower-cased, and characters outside `[a-z0-9-]` are dropped.
 * Two identifiers can map to one name (`fooBar`, `foo_bar`); the caller reports that as a collision.
 * Pure: no IO.
 */

/** The longest DNS-1123 label (metadata names we emit, template and task names). */
export const MAX_NAME = 63;
/** Argo appends an 11-character timestamp suffix to CronWorkflow names for the Workflows they create. */
export const MAX_CRON_NAME = 52;

/** An identifier as a DNS-1123 label (possibly longer than `MAX_NAME`; the caller checks the length). */
export function kubeName(identifier: string): string {
  const dashed = identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '');
  return dashed === '' ? 'x' : /^[0-9]/.test(dashed) ? `x-${dashed}` : dashed;
}

/** True when `name` is a DNS-1123 label of at most `max` characters. */
export function isDnsLabel(name: string, max = MAX_NAME): boolean {
  return name.length <= max && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name);
}

/** A label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric (or empty). */
export function labelValue(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return cleaned;
}
