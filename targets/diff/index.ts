/**
 * `flowc diff`'s core: a pure structural diff of two versions of a file's flows, and its renderings.
 * Invariant: no IO and no clock; the same two inputs always give the same output.
 */
export { diffFlow, diffFlows, changedSteps } from './diff-flows.ts';
export { renderDiffJson, renderDiffMarkdown, renderDiffText, codeSpan, MARKDOWN_MARKER, type MarkdownOptions } from './render.ts';
export type { Change, DiffResult, EdgeRef, FlowDiff, StepDiff } from './types.ts';
