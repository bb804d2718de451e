/** Short, human-readable renderings of IR parts, as `Change.before` / `Change.after` show them. */
import { describeType, irJson, type BodyIR, type InputSourceIR, type JsonValue, type RetryIR, type ScheduleIR, type TemplateIR } from '../../compiler/ir.ts';

export { describeType };

/** Whole seconds as the largest exact unit: `90s`, `30m`, `2h`. */
export function describeDuration(seconds: number): string {
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/** MiB as the largest exact binary unit: `512MiB`, `20GiB`. */
export function describeMiB(mib: number): string {
  if (mib > 0 && mib % (1024 * 1024) === 0) return `${mib / (1024 * 1024)}TiB`;
  if (mib > 0 && mib % 1024 === 0) return `${mib / 1024}GiB`;
  return `${mib}MiB`;
}

export function describeRetry(r: RetryIR | null): string | null {
  if (!r) return null;
  return `${r.times} time${r.times === 1 ? '' : 's'}${r.delaySeconds ? `, ${describeDuration(r.delaySeconds)} apart` : ''}`;
}

export function describeSchedule(s: ScheduleIR | null): string | null {
  return s ? `${s.cron} (${s.timezone})` : null;
}

const template = (t: TemplateIR) => t.text;
const lineCount = (text: string) => text.replace(/\n$/, '').split('\n').length;

/** A body in one line: the command, the argv as JSON, or the script's language and size. */
export function describeBody(b: BodyIR): string {
  switch (b.kind) {
    case 'none':
      return 'none';
    case 'shell':
      return `run ${JSON.stringify(template(b.command))}`;
    case 'argv':
      return `run ${JSON.stringify(b.args.map(template))}`;
    case 'script':
      return `${b.language} script (${lineCount(b.source)} line${lineCount(b.source) === 1 ? '' : 's'})`;
  }
}

export function describeSource(s: InputSourceIR): string {
  switch (s.kind) {
    case 'param':
      return `param ${s.param}`;
    case 'artifact':
      return `${s.artifact} from ${s.producers.join(' | ')}`;
    case 'item':
      return `element of ${s.list} (foreach at ${s.foreach})`;
    case 'gather':
      return `gather ${s.artifact} over ${s.over}`;
    case 'pick':
      return `${s.artifact} from ${s.from}`;
  }
}

export function describeValue(v: JsonValue | undefined): string | null {
  return v === undefined ? null : irJson(v);
}
