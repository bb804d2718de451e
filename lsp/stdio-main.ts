/**
 * Starts the language server over stdio. The entry point of the server bundle the VS Code extension ships
 * (`vscode-extension/dist/server.mjs`); `flowc lsp --stdio` calls `runStdioServer` too.
 */
import { runStdioServer } from './run.ts';

runStdioServer();
