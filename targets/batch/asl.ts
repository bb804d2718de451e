/**
 * The subset of the Amazon States Language the Batch target emits, typed. Field names are ASL's own.
 * Keys ending in `.$` hold a JSONPath or an intrinsic function evaluated at run time.
 */
export type Payload = { [key: string]: unknown };

export interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds: number;
  MaxAttempts: number;
  BackoffRate: number;
}

export interface Catcher {
  ErrorEquals: string[];
  ResultPath: string | null;
  Next: string;
}

interface Flow {
  Next?: string;
  End?: true;
}

export interface TaskState extends Flow {
  Type: 'Task';
  Comment?: string;
  Resource: string;
  Parameters: Payload;
  ResultSelector?: Payload;
  ResultPath: string | null;
  OutputPath?: string;
  TimeoutSeconds?: number;
  Retry?: Retrier[];
  Catch?: Catcher[];
}

export interface PassState extends Flow {
  Type: 'Pass';
  Comment?: string;
  Parameters?: Payload;
  Result?: unknown;
  ResultPath?: string;
}

export interface ParallelState extends Flow {
  Type: 'Parallel';
  Comment?: string;
  Branches: StateList[];
  ResultPath: null;
  Catch?: Catcher[];
}

export interface MapState extends Flow {
  Type: 'Map';
  Comment?: string;
  ItemReader: { Resource: string; ReaderConfig: { InputType: 'JSON' }; Parameters: Payload };
  ItemSelector: Payload;
  ItemProcessor: StateList & { ProcessorConfig: { Mode: 'DISTRIBUTED'; ExecutionType: 'STANDARD' } };
  /** Child executions running at once. */
  MaxConcurrency: number;
  ResultPath: null;
  Catch?: Catcher[];
}

export type ChoiceRule = { Next: string } & (
  | { Variable: string; StringEquals: string }
  | { Variable: string; NumericEquals: number }
  | { Variable: string; BooleanEquals: boolean }
  | { Variable: string; IsPresent: true }
  | { Not: { Variable: string; IsPresent: true } }
  | { Variable: string; NumericGreaterThanEquals: number }
);

export interface ChoiceState {
  Type: 'Choice';
  Comment?: string;
  Choices: ChoiceRule[];
  Default?: string;
}

export interface FailState {
  Type: 'Fail';
  Error: string;
  Cause: string;
}

export type State = TaskState | PassState | ParallelState | MapState | ChoiceState | FailState;

export interface StateList {
  StartAt: string;
  States: Record<string, State>;
}

export interface StateMachineDefinition extends StateList {
  Comment: string;
}

export const SUBMIT_JOB_SYNC = 'arn:aws:states:::batch:submitJob.sync';
/** Starts an execution of another state machine and waits for it; `:2` gives its output as JSON. */
export const START_EXECUTION_SYNC = 'arn:aws:states:::states:startExecution.sync:2';
export const S3_PUT_OBJECT = 'arn:aws:states:::aws-sdk:s3:putObject';
export const S3_GET_OBJECT = 'arn:aws:states:::aws-sdk:s3:getObject';
export const S3_ITEM_READER = 'arn:aws:states:::s3:getObject';
export const SNS_PUBLISH = 'arn:aws:states:::sns:publish';

/** The states a state goes to: `Next`, a Choice's rules and `Default`, and with `catches` a Task's `Catch`. */
export function transitions(state: State, catches: boolean): string[] {
  const out: string[] = [];
  if ('Next' in state && state.Next !== undefined) out.push(state.Next);
  if (state.Type === 'Choice') {
    for (const c of state.Choices) out.push(c.Next);
    if (state.Default !== undefined) out.push(state.Default);
  }
  if (catches && state.Type === 'Task') for (const c of state.Catch ?? []) out.push(c.Next);
  return out;
}
