/**
 * Starts the language server over stdio. The entry point of the server bundle the VS Code extension ships
 * (`vscode-extension/dist/server-bundle.cjs`, which `server.mjs` runs); `flowc lsp --stdio` calls `runStdioServer` too.
 */
import { isMainThread } from 'node:worker_threads';
import { runStdioServer } from './run.ts';

// Not in a worker thread of the server (lsp/large-documents.ts), which loads this same bundle.
if (isMainThread) runStdioServer();
