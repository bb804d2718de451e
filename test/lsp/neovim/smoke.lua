-- Neovim's built-in LSP client (a second real client) against `flowc lsp --stdio`: open a flow with a mistake,
-- wait for the diagnostics, ask for completion and hover, and write what came back to $FLOWC_OUT.
local root, file, out = vim.env.FLOWC_ROOT, vim.env.FLOWC_FILE, vim.env.FLOWC_OUT
local lines = {}
local function say(s) table.insert(lines, s) end

vim.cmd('edit ' .. file)
local id = vim.lsp.start_client({ name = 'flowc', cmd = { 'node', root .. '/bin/flowc.js', 'lsp', '--stdio' }, root_dir = root })
vim.lsp.buf_attach_client(0, id)
vim.wait(15000, function() return #vim.diagnostic.get(0) > 0 end, 50)
for _, d in ipairs(vim.diagnostic.get(0)) do
  say(string.format('diagnostic %d:%d %s', d.lnum, d.col, d.message))
end

local uri = vim.uri_from_bufnr(0)
local res = vim.lsp.buf_request_sync(0, 'textDocument/completion', { textDocument = { uri = uri }, position = { line = 4, character = 9 } }, 10000)
for _, r in pairs(res or {}) do
  local items = r.result and (r.result.items or r.result) or {}
  local labels = {}
  for _, it in ipairs(items) do table.insert(labels, it.label) end
  table.sort(labels)
  say('completion ' .. table.concat(labels, ','))
end
local hover = vim.lsp.buf_request_sync(0, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 7, character = 8 } }, 10000)
for _, r in pairs(hover or {}) do
  if r.result then say('hover ' .. (r.result.contents.value or ''):gsub('\n', ' ')) end
end

local f = io.open(out, 'w')
f:write(table.concat(lines, '\n') .. '\n')
f:close()
vim.lsp.stop_client(id)
vim.cmd('qa!')
