/**
 * AWS size and name limits only the build can measure (the names analysis can check are in `check.ts`). Each check reports against the
 * flow or the step responsible, with the measured size.
 *
 * Not applicable by design: array jobs (2-10,000 children) and `dependsOn` (at most 20) are not used, since
 * ordering and fan-out belong to the state machine; and no artifact value passes through the state payload
 * (256 KiB), only the run id, the task path and a switch value.
 */
import type { FlowIR, StepIR } from '../../compiler/ir.ts';
import type { State, StateList } from './asl.ts';
import type { JobDefinition } from './job-definition.ts';
import { MAX_STATE_NAME, STATE_MACHINE_NAME } from './names.ts';
import type { Report } from '../../diagnostics/report.ts';
import { utf8Length } from './serialize.ts';

export const MAX_STATE_MACHINE_BYTES = 1_048_576;
export const MAX_JOB_DEFINITION_BYTES = 24 * 1024;
const MAX_CONTAINER_OVERRIDES_CHARS = 8192;
/** Execution names are at most 80 characters; a foreach index is below 10^9. */
const WORST_RUN_ID = 'r'.repeat(80);
const WORST_INDEX = '.999999999';

export function checkStateNames(ir: FlowIR, list: StateList, report: Report): void {
  const visit = (states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      if ([...name].length > MAX_STATE_NAME) {
        const step = ir.steps.find((s) => name === s.name || name.startsWith(`${s.name}.`));
        report('batch-name-invalid', (step ?? ir).source.span, `The state name '${name}' is longer than ${MAX_STATE_NAME} characters; shorten step '${step?.name ?? name}'.`);
      }
      if (state.Type === 'Parallel') state.Branches.forEach((b) => visit(b.States));
      if (state.Type === 'Map') visit(state.ItemProcessor.States);
    }
  };
  visit(list.States);
}

/**
 * Batch counts a job definition as compact JSON. `text` is its file (the same JSON indented): never smaller, so
 * when the file is within the limit the definition is too, and it is not serialized a second time. A UTF-16 code
 * unit is at most 3 bytes of UTF-8, so a short text is not even measured.
 */
export function checkJobDefinitionSize(step: StepIR, def: JobDefinition, text: string, report: Report): void {
  if (text.length * 3 <= MAX_JOB_DEFINITION_BYTES || utf8Length(text) <= MAX_JOB_DEFINITION_BYTES) return;
  const size = utf8Length(JSON.stringify(def));
  if (size > MAX_JOB_DEFINITION_BYTES) {
    report('batch-job-definition-too-large', step.source.span, `The job definition of step '${step.name}' is ${size} bytes, more than Batch's ${MAX_JOB_DEFINITION_BYTES}; move the step's script into the image.`, { data: { size } });
  }
}

/**
 * How many bytes of compact JSON the states of one state machine may take before the build splits it into child
 * state machines (targets/batch/split.ts): the files are indented, which can double the size (deeply nested branches), and a child adds its
 * own failure path and comment.
 */
export const SPLIT_BUDGET = 448 * 1024;

/** The size of one state machine as deployed (the file's text); `oversized` names regions no split could divide. */
export function checkStateMachineSize(ir: FlowIR, machine: string, definition: string, oversized: string[], report: Report): number {
  const size = utf8Length(definition);
  if (size > MAX_STATE_MACHINE_BYTES) {
    const why = oversized.length > 0 ? ` The region from state '${oversized[0]}' cannot be split into child state machines (a switch with its cases, or a loop, stays in one): make it smaller.` : '';
    report('batch-state-machine-too-large', ir.source.span, `The state machine '${machine}' of flow '${ir.name}' is ${size} bytes, more than Step Functions' ${MAX_STATE_MACHINE_BYTES}.${why}`, { data: { size } });
  }
  return size;
}

/** A child state machine's name (`<state machine>-part-<n>`) must be a valid state machine name. */
export function checkChildName(ir: FlowIR, name: string, report: Report): void {
  if (!STATE_MACHINE_NAME.test(name)) {
    report('batch-name-invalid', ir.source.span, `The child state machine name '${name}' is longer than 80 characters; shorten the flow's name or @project.`);
  }
}

/**
 * The largest `containerOverrides` a submission of this step can carry, measured as SubmitJob's JSON; a step of
 * a bounded loop's task id ends with `r` and its last iteration (`loopMax - 1`).
 */
export function checkContainerOverrides(step: StepIR, report: Report, loopMax?: number): number {
  const worst = {
    environment: [
      { name: 'FLOWC_RUN_ID', value: WORST_RUN_ID },
      { name: 'FLOWC_TASK_ID', value: `t${WORST_INDEX.repeat(step.foreachStack.length)}${loopMax ? `r${loopMax - 1}` : ''}` },
    ],
  };
  const size = JSON.stringify(worst).length;
  if (size > MAX_CONTAINER_OVERRIDES_CHARS) {
    report('batch-container-overrides-too-large', step.source.span, `The container overrides of step '${step.name}' can reach ${size} characters, more than Batch's ${MAX_CONTAINER_OVERRIDES_CHARS}.`, { data: { size } });
  }
  return size;
}
