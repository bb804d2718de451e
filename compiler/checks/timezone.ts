/**
 * IANA time zone names, for `@schedule(timezone: ...)`: Argo's CronWorkflow and EventBridge Scheduler load the zone
 * by name (case-sensitive), so a misspelt zone would fail on the cluster, not here. Code: unknown-timezone.
 */
let canonical: Set<string> | undefined;

/** The canonical IANA names this Node knows (plus `UTC`), for validation and suggestions. */
export function timeZoneNames(): Set<string> {
  return (canonical ??= new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]));
}

/** True for a canonical IANA name or an alias of one (`US/Pacific`), spelt with the right case. */
export function isTimeZone(name: string): boolean {
  if (timeZoneNames().has(name)) return true;
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return false;
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
    // ICU matches names without regard to case; the engines do not, so a case variant of a name is not one.
    return resolved.toLowerCase() !== name.toLowerCase();
  } catch {
    return false;
  }
}
