/**
 * Types for the part of Handlebars flowc uses: the parser alone (lighter to load than the whole package).
 * Only the fields flowc reads are declared.
 */
declare module 'handlebars/dist/cjs/handlebars/compiler/base.js' {
  export interface HbsPosition {
    line: number;
    column: number;
  }
  export interface HbsLoc {
    start: HbsPosition;
    end: HbsPosition;
  }
  export interface HbsNode {
    type: string;
    loc: HbsLoc;
  }
  export interface HbsPath extends HbsNode {
    type: 'PathExpression';
    data: boolean;
    depth: number;
    parts: string[];
    original: string;
  }
  export interface HbsStatement extends HbsNode {
    /** ContentStatement */
    original?: string;
    /** MustacheStatement */
    path?: HbsNode;
    params?: HbsNode[];
    hash?: { pairs: unknown[] };
    escaped?: boolean;
  }
  export interface HbsProgram {
    body: HbsStatement[];
  }
  const base: { parseWithoutProcessing(input: string): HbsProgram };
  export default base;
}
