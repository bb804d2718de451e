/**
 * The chevrotain grammar of flowc, producing a concrete syntax tree (CST) that `build-ast.ts` turns into the AST.
 *
 * Why a CST: with error recovery on, a rule that fails part-way still returns what it matched so far
 * (`recoveredNode`), so the AST keeps everything around a typo. The parser instance is built once, on the first parse
 * (grammar analysis is the slow part) and reused: `parseTokens` resets its input each time.
 * Invariant: members need no separators (newlines are whitespace); an optional `;` after a member is accepted.
 */
import { CstParser, EOF, LLkLookaheadStrategy, MismatchedTokenException, type CstNode, type ILookaheadStrategy, type IParserErrorMessageProvider, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { boundedDistance } from '../diagnostics/suggest.ts';
import * as T from './tokens.ts';

function describeExpected(types: TokenType[]): string {
  const labels = [...new Set(types.map((t) => (t === EOF ? 'the end of the file' : (t.LABEL ?? `\`${t.name}\``))))];
  if (labels.length <= 1) return labels[0] ?? 'something else';
  return `${labels.slice(0, -1).join(', ')} or ${labels[labels.length - 1]}`;
}

/** How a token is named in a message: its text in backquotes, shortened, or "the end of the file". */
function describeFound(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return 'the end of the file';
  let image = tok.image.split(/\r?\n/)[0];
  if (image.length > 24) image = `${image.slice(0, 21)}...`;
  else if (image !== tok.image) image = `${image}...`;
  return `\`${image}\``;
}

/** Every parser error reads "Expecting `X` but found `Y`." */
const messages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `Expecting ${describeExpected([expected])} but found ${describeFound(actual)}.`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) =>
    `Expecting \`type\`, \`flow\` or a decorator but found ${describeFound(firstRedundant)}.`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, customUserDescription }) =>
    `Expecting ${customUserDescription ?? describeExpected(expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0]).filter(Boolean)))} but found ${describeFound(actual[0])}.`,
  buildEarlyExitMessage: ({ expectedIterationPaths, actual, customUserDescription }) =>
    `Expecting ${customUserDescription ?? describeExpected(expectedIterationPaths.map((path) => path[0]).filter(Boolean))} but found ${describeFound(actual[0])}.`,
};

// Alternatives are built through these helpers rather than as `{ ALT: () => ... }` literals: a function literal
// assigned to a property gets a name, and some TypeScript runners wrap every such function in a naming helper,
// which made the hot rules several times slower.
const alt = (fn: () => unknown) => ({ ALT: fn });
const gatedAlt = (gate: () => boolean, fn: () => unknown) => ({ GATE: gate, ALT: fn });
const gated = (gate: () => boolean, fn: () => void) => ({ GATE: gate, DEF: fn });

type LookaheadFunction = (this: { lookAheadFuncsCache: Map<number, unknown> }, ...args: unknown[]) => unknown;

/**
 * Chevrotain's LL(k) lookahead, each function built when it is first called rather than all of them during
 * self-analysis (start-up, issue 14: that was half of the parser's construction, and a small flow uses few of
 * them). On its first call the stand-in puts the real function in the parser's cache in its place.
 */
function lazyLookahead(maxLookahead: number): ILookaheadStrategy {
  const llk = new LLkLookaheadStrategy({ maxLookahead });
  const lazily = (build: () => LookaheadFunction): LookaheadFunction => {
    let real: LookaheadFunction | undefined;
    const standIn: LookaheadFunction = function (...args) {
      if (!real) {
        real = build();
        for (const [key, fn] of this.lookAheadFuncsCache) if (fn === standIn) this.lookAheadFuncsCache.set(key, real);
      }
      return real.apply(this, args);
    };
    return standIn;
  };
  return {
    validate: (options) => llk.validate(options),
    buildLookaheadForAlternation: (options) => lazily(() => llk.buildLookaheadForAlternation(options) as LookaheadFunction) as ReturnType<ILookaheadStrategy['buildLookaheadForAlternation']>,
    buildLookaheadForOptional: (options) => lazily(() => llk.buildLookaheadForOptional(options) as LookaheadFunction) as ReturnType<ILookaheadStrategy['buildLookaheadForOptional']>,
  };
}

export class FlowParser extends CstParser {
  /**
   * Called with each step's CST node as soon as the step is parsed (not for a step cut short by an error that an
   * enclosing rule recovers from), so the caller can turn it into AST while the tokens are fresh and drop it.
   */
  onStep: ((node: CstNode) => void) | undefined;

  /**
   * `validateGrammar` runs chevrotain's grammar checks (ambiguities, left recursion) during self-analysis; they
   * cost start-up time on every CLI call, so the shared instance skips them and a test builds one with them on.
   */
  constructor(options: { validateGrammar?: boolean } = {}) {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      maxLookahead: 3,
      lookaheadStrategy: lazyLookahead(3),
      errorMessageProvider: messages,
      skipValidations: !options.validateGrammar,
    });
    this.performSelfAnalysis();
  }

  file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([alt(() => this.SUBRULE(this.typeDecl)), alt(() => this.SUBRULE(this.flowDecl)), alt(() => this.CONSUME(T.Semicolon))]);
    });
  });

  typeDecl = this.RULE('typeDecl', () => {
    this.CONSUME(T.KwType);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([alt(() => this.SUBRULE(this.field)), alt(() => this.CONSUME(T.Semicolon)), alt(() => this.CONSUME(T.Comma))]);
    });
    this.CONSUME(T.RCurly);
  });

  field = this.RULE('field', () => {
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  typeExpr = this.RULE('typeExpr', () => {
    this.OR([
      alt(() => this.CONSUME(T.Name, { LABEL: 'name' })),
      alt(() => {
          this.CONSUME(T.LBracket);
          this.SUBRULE(this.typeExpr, { LABEL: 'list' });
          this.CONSUME(T.RBracket);
      }),
      alt(() => {
          this.CONSUME(T.LCurly);
          this.SUBRULE2(this.typeExpr, { LABEL: 'map' });
          this.CONSUME(T.RCurly);
      }),
    ]);
    this.MANY(() => this.CONSUME(T.Question));
  });

  decorator = this.RULE('decorator', () => {
    this.CONSUME(T.At);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.arg);
        this.MANY(gated(() => this.LA(2).tokenType !== T.RParen, () => {
            this.CONSUME(T.Comma);
            this.SUBRULE2(this.arg);
        }));
        this.OPTION3(() => this.CONSUME2(T.Comma));
      });
      this.CONSUME(T.RParen);
    });
  });

  arg = this.RULE('arg', () => {
    this.OPTION(gated(() => this.LA(2).tokenType === T.Colon, () => {
        this.OR([alt(() => this.CONSUME(T.Name, { LABEL: 'key' })), alt(() => this.CONSUME(T.StringLiteral, { LABEL: 'key' }))]);
        this.CONSUME(T.Colon);
    }));
    this.SUBRULE(this.expr);
  });

  expr = this.RULE('expr', () => {
    this.OR([
      alt(() => this.CONSUME(T.StringLiteral, { LABEL: 'literal' })),
      alt(() => this.CONSUME(T.IntLiteral, { LABEL: 'literal' })),
      alt(() => this.CONSUME(T.FloatLiteral, { LABEL: 'literal' })),
      alt(() => this.CONSUME(T.SizeLiteral, { LABEL: 'literal' })),
      alt(() => this.CONSUME(T.DurationLiteral, { LABEL: 'literal' })),
      alt(() => this.CONSUME(T.Name, { LABEL: 'literal' })),
      alt(() => this.SUBRULE(this.list)),
      alt(() => this.SUBRULE(this.object)),
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr);
      this.MANY(gated(() => this.LA(2).tokenType !== T.RBracket, () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.expr);
      }));
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  object = this.RULE('object', () => {
    this.CONSUME(T.LCurly);
    this.OPTION(() => {
      this.SUBRULE(this.entry);
      this.MANY(gated(() => this.LA(2).tokenType !== T.RCurly, () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.entry);
      }));
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  entry = this.RULE('entry', () => {
    this.OR([alt(() => this.CONSUME(T.Name, { LABEL: 'key' })), alt(() => this.CONSUME(T.StringLiteral, { LABEL: 'key' }))]);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expr);
  });

  flowDecl = this.RULE('flowDecl', () => {
    this.MANY(() => this.SUBRULE(this.decorator));
    this.CONSUME(T.KwFlow);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.LCurly);
    this.MANY2(() => {
      this.OR([
        alt(() => this.SUBRULE(this.imageDecl)),
        alt(() => this.SUBRULE(this.paramDecl)),
        alt(() => {
          const step = this.SUBRULE(this.stepDecl);
          this.ACTION(() => this.onStep?.(step));
        }),
        alt(() => this.CONSUME(T.Semicolon)),
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  imageDecl = this.RULE('imageDecl', () => {
    this.CONSUME(T.KwImage);
    this.CONSUME(T.StringLiteral, { LABEL: 'value' });
  });

  paramDecl = this.RULE('paramDecl', () => {
    this.CONSUME(T.KwParam);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
    this.OPTION(() => {
      this.CONSUME(T.Equals);
      this.SUBRULE(this.expr);
    });
  });

  stepDecl = this.RULE('stepDecl', () => {
    this.MANY(() => this.SUBRULE(this.decorator));
    this.OPTION(() => this.CONSUME(T.KwJoin, { LABEL: 'join' }));
    this.CONSUME(T.KwStep);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.LCurly);
    this.MANY2(() => {
      this.OR([
        alt(() => this.SUBRULE(this.imageDecl)),
        alt(() => this.SUBRULE(this.inDecl)),
        alt(() => this.SUBRULE(this.outDecl)),
        alt(() => this.SUBRULE(this.passDecl)),
        alt(() => this.SUBRULE(this.runDecl)),
        alt(() => this.SUBRULE(this.scriptDecl)),
        alt(() => this.SUBRULE(this.nextClause)),
        alt(() => this.CONSUME(T.Semicolon)),
      ]);
    });
    this.CONSUME(T.RCurly);
  });

  inDecl = this.RULE('inDecl', () => {
    this.CONSUME(T.KwIn);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeExpr);
    });
    this.OPTION2(() => {
      this.CONSUME(T.KwFrom);
      this.CONSUME2(T.Name, { LABEL: 'from' });
    });
  });

  outDecl = this.RULE('outDecl', () => {
    this.CONSUME(T.KwOut);
    this.CONSUME(T.Name, { LABEL: 'name' });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  passDecl = this.RULE('passDecl', () => {
    this.CONSUME(T.KwPass);
    this.OR([
      alt(() => this.CONSUME(T.Star, { LABEL: 'all' })),
      alt(() => {
        this.CONSUME(T.Name, { LABEL: 'names' });
        this.MANY(() => {
          this.CONSUME(T.Comma);
          this.CONSUME2(T.Name, { LABEL: 'names' });
        });
      }),
    ]);
  });

  runDecl = this.RULE('runDecl', () => {
    this.CONSUME(T.KwRun);
    this.OR([
      alt(() => this.CONSUME(T.StringLiteral, { LABEL: 'command' })),
      alt(() => {
          this.CONSUME(T.LBracket);
          this.OPTION(() => {
            this.CONSUME2(T.StringLiteral, { LABEL: 'argv' });
            this.MANY(gated(() => this.LA(2).tokenType !== T.RBracket, () => {
                this.CONSUME(T.Comma);
                this.CONSUME3(T.StringLiteral, { LABEL: 'argv' });
            }));
            this.OPTION2(() => this.CONSUME2(T.Comma));
          });
          this.CONSUME(T.RBracket);
      }),
    ]);
  });

  scriptDecl = this.RULE('scriptDecl', () => {
    this.OR([alt(() => this.CONSUME(T.KwPython, { LABEL: 'language' })), alt(() => this.CONSUME(T.KwSh, { LABEL: 'language' }))]);
    this.CONSUME(T.StringLiteral, { LABEL: 'source' });
  });

  nextClause = this.RULE('nextClause', () => {
    this.CONSUME(T.KwNext);
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        gatedAlt(() => this.LA(1).tokenType === T.KwSwitch && this.LA(3).tokenType === T.LCurly, () => this.SUBRULE(this.switchBody)),
        alt(() => {
            this.CONSUME(T.Name, { LABEL: 'target' });
            this.MANY(() => {
              this.CONSUME(T.Comma);
              this.CONSUME2(T.Name, { LABEL: 'target' });
            });
            this.OPTION(() => {
              this.CONSUME(T.KwForeach);
              this.CONSUME3(T.Name, { LABEL: 'item' });
              this.CONSUME(T.KwIn);
              this.CONSUME4(T.Name, { LABEL: 'list' });
            });
        }),
      ],
    });
  });

  switchBody = this.RULE('switchBody', () => {
    this.CONSUME(T.KwSwitch);
    this.CONSUME(T.Name, { LABEL: 'subject' });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.SUBRULE(this.switchArm);
      this.OPTION(() => this.CONSUME(T.Comma));
    });
    this.CONSUME(T.RCurly);
  });

  switchArm = this.RULE('switchArm', () => {
    this.OR([
      alt(() => this.CONSUME(T.StringLiteral, { LABEL: 'value' })),
      alt(() => this.CONSUME(T.IntLiteral, { LABEL: 'value' })),
      alt(() => this.CONSUME(T.Name, { LABEL: 'value' })),
    ]);
    this.CONSUME(T.Arrow);
    this.CONSUME2(T.Name, { LABEL: 'target' });
  });
}

const keywordTypes = new Set<TokenType>(T.keywords.values());

type Internals = {
  LA(i: number): IToken;
  tryInRuleRecovery(expected: TokenType, follows: TokenType[]): IToken;
  tryInRepetitionRecovery(rule: (...args: unknown[]) => unknown, args: unknown[], lookahead: () => boolean, expected: TokenType): void;
  consumeToken(): void;
  tokenMatcher(tok: IToken, type: TokenType): boolean;
  findReSyncTokenType(): TokenType;
  exportLexerState(): number;
  importLexerState(state: number): void;
  SKIP_TOKEN(): IToken;
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
  getCurrRuleFullName(): string;
};
const internals = FlowParser.prototype as unknown as Internals;

/** The keyword a misspelt name most likely stands for, among `candidates`, if it is close enough. */
function closestKeyword(image: string, candidates: Iterable<[string, TokenType]>): [string, TokenType][] {
  const close: [number, string, TokenType][] = [];
  for (const [spelling, type] of candidates) {
    const max = Math.min(2, spelling.length - 1);
    const distance = boundedDistance(image, spelling, max);
    if (distance <= max) close.push([distance, spelling, type]);
  }
  return close.sort((a, b) => a[0] - b[0]).map(([, spelling, type]) => [spelling, type]);
}

/**
 * Chevrotain recovers from a mismatched token by inserting the expected one or deleting the unexpected one.
 * We add a third way, tried first: a misspelt keyword (`stpe a {`) followed by what may follow the keyword
 * is read as that keyword, so `a` stays the step's name and no second error follows.
 */
const baseRecovery = internals.tryInRuleRecovery;
internals.tryInRuleRecovery = function (this: Internals, expected: TokenType, follows: TokenType[]): IToken {
  const actual = this.LA(1);
  if (keywordTypes.has(expected) && actual.tokenType === T.Identifier && follows.length > 0) {
    const spelling = [...T.keywords].find(([, type]) => type === expected)![0];
    const next = this.LA(2);
    if (closestKeyword(actual.image, [[spelling, expected]]).length > 0 && follows.some((f) => this.tokenMatcher(next, f))) {
      this.consumeToken();
      return { ...actual, tokenType: expected, tokenTypeIdx: expected.tokenTypeIdx! };
    }
  }
  return baseRecovery.call(this, expected, follows);
};

/** What a repetition of each rule expects, for the message when none of its members matches. */
const repetitionExpectations: Record<string, string> = {
  file: '`type`, `flow` or a decorator',
  flowDecl: '`image`, `param`, `step`, a decorator or `}`',
  stepDecl: '`in`, `out`, `run`, `python`, `sh`, `image`, `next` or `}`',
  typeDecl: 'a field or `}`',
  switchBody: 'a switch arm such as `"value" -> step` or `}`',
};

/**
 * In-repetition recovery: when the next token cannot start another member of a repetition (a step's members,
 * a flow's steps), skip to where the repetition can go on. Chevrotain's own version stops at the first token
 * that could end the repetition, even inside a nested block (`stepp b { }` would close the flow at b's `}`);
 * this one skips whole bracketed blocks, and first tries reading a misspelt keyword as the keyword.
 */
internals.tryInRepetitionRecovery = function (this: Internals, rule, args, lookahead, expected): void {
  const first = this.LA(1);
  const previous = this.LA(0);
  const report = (message?: string) => {
    const text =
      message ??
      (repetitionExpectations[this.getCurrRuleFullName()]
        ? `Expecting ${repetitionExpectations[this.getCurrRuleFullName()]} but found ${describeFound(first)}.`
        : messages.buildMismatchTokenMessage({ expected, actual: first, previous, ruleName: this.getCurrRuleFullName() }));
    this.SAVE_ERROR(new MismatchedTokenException(text, first, previous));
  };
  // A misspelt keyword that starts a member.
  if (first.tokenType === T.Identifier) {
    for (const [spelling, type] of closestKeyword(first.image, T.keywords)) {
      const original = first.tokenType;
      first.tokenType = type;
      first.tokenTypeIdx = type.tokenTypeIdx!;
      if (lookahead.call(this)) {
        report(`Expecting \`${spelling}\` but found ${describeFound({ ...first, tokenType: original })}.`);
        rule.apply(this, args);
        return;
      }
      first.tokenType = original;
      first.tokenTypeIdx = original.tokenTypeIdx!;
    }
  }
  const resyncType = this.findReSyncTokenType();
  const saved = this.exportLexerState();
  let depth = 0;
  let current = first;
  for (;;) {
    const type = current.tokenType;
    if (type === EOF) break;
    if (depth === 0) {
      if (this.tokenMatcher(current, expected)) {
        report();
        return;
      }
      if (lookahead.call(this)) {
        report();
        rule.apply(this, args);
        return;
      }
      if (this.tokenMatcher(current, resyncType)) break;
    }
    if (type === T.LCurly || type === T.LParen || type === T.LBracket) depth++;
    else if ((type === T.RCurly || type === T.RParen || type === T.RBracket) && depth > 0) depth--;
    else if (type === T.RCurly && depth === 0) break;
    current = this.SKIP_TOKEN();
  }
  // Nothing closer to resync to: the error happens in the next parsing step and rule-level recovery handles it.
  this.importLexerState(saved);
};

/** After this many errors the parser stops (a file this broken is not worth more messages, and recovery costs time). */
export const maxParseErrors = 50;

const baseSaveError = internals.SAVE_ERROR;
internals.SAVE_ERROR = function (this: Internals & { errors: IRecognitionException[]; moveToTerminatedState(): void }, error) {
  const saved = baseSaveError.call(this, error);
  if (this.errors.length >= maxParseErrors) this.moveToTerminatedState();
  return saved;
};

/** The shared instance, built on the first parse (a process that parses nothing does not pay for it). */
let parser: FlowParser | undefined;

export interface ParseTokensResult {
  cst: CstNode;
  errors: IRecognitionException[];
}

/**
 * Parses a token stream (from `lex`) into a CST. Recognition errors are returned, never thrown.
 * `onStep` sees each complete step node as soon as it is parsed (see `FlowParser.onStep`).
 */
export function parseTokens(tokens: IToken[], onStep?: (node: CstNode) => void): ParseTokensResult {
  const p = (parser ??= new FlowParser());
  p.input = tokens;
  p.onStep = onStep;
  try {
    const cst = p.file();
    return { cst, errors: [...p.errors] };
  } finally {
    p.onStep = undefined;
  }
}
