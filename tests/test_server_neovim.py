"""`kerascheck server` in a real editor: Neovim's built-in LSP client, headless.

Neovim opens the origin model and starts the server the way docs/editors.md tells users to; a Lua
script waits for the diagnostics Neovim stores, asks for inlay hints and a hover, applies the
KC201 quick fix with Neovim's own workspace-edit code (which sends the change back to the server),
waits for KC201 to go, and writes what it saw as JSON. Works with Neovim 0.7 (Debian 12's), which
has no inlay-hint display of its own: the hints are requested as any LSP request is.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

NVIM = shutil.which("nvim")
pytestmark = [
    pytest.mark.skipif(NVIM is None, reason="the `nvim` binary is not installed (Debian: apt-get install -y neovim)"),
    pytest.mark.skipif(
        __import__("importlib").util.find_spec("pygls") is None,
        reason="the server extra is not installed (pip install -e '.[server]')",
    ),
]

ROOT = pathlib.Path(__file__).resolve().parent.parent
ORIGIN = (ROOT / "fixtures" / "origin" / "origin.py").read_text()

SCRIPT = r"""
local out = {}
local function finish()
  vim.fn.writefile({ vim.fn.json_encode(out) }, vim.env.KC_OUT)
  vim.cmd("qall!")
end
local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(vim.env.KC_FILE))
  local buf = vim.api.nvim_get_current_buf()
  -- The set-up docs/editors.md gives, with the test's Python.
  local client_id = vim.lsp.start_client({
    name = "kerascheck",
    cmd = { vim.env.KC_PYTHON, "-m", "kerascheck", "server" },
    root_dir = vim.fn.fnamemodify(vim.env.KC_FILE, ":h"),
  })
  vim.lsp.buf_attach_client(buf, client_id)

  local function codes()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      table.insert(found, { code = code, lnum = d.lnum, col = d.col, message = d.message })
    end
    return found
  end
  local function has(code)
    for _, d in ipairs(codes()) do if d.code == code then return true end end
    return false
  end

  out.got_kc201 = vim.wait(60000, function() return has("KC201") end, 20)
  out.diagnostics = codes()
  local doc = vim.lsp.util.make_text_document_params(buf)
  local lines = vim.api.nvim_buf_line_count(buf)
  local function request(method, params)
    local responses = vim.lsp.buf_request_sync(buf, method, params, 20000) or {}
    for _, response in pairs(responses) do return response.result end
  end
  out.hints = request("textDocument/inlayHint", {
    textDocument = doc, range = { start = { line = 0, character = 0 }, ["end"] = { line = lines, character = 0 } },
  })
  out.hover = request("textDocument/hover", { textDocument = doc, position = { line = 9, character = 20 } })
  local actions = request("textDocument/codeAction", {
    textDocument = doc,
    range = { start = { line = 9, character = 10 }, ["end"] = { line = 9, character = 10 } },
    context = { diagnostics = {} },
  }) or {}
  out.actions = {}
  for _, action in ipairs(actions) do
    table.insert(out.actions, action.title)
    if action.title:find("^KC201: insert") then
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
    end
  end
  out.kc201_gone = vim.wait(60000, function() return not has("KC201") and #codes() > 0 end, 20)
  out.after = codes()
  out.text = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  vim.lsp.stop_client(client_id)
end)
if not ok then out.error = tostring(err) end
finish()
"""


def test_neovim_shows_diagnostics_hints_hover_and_applies_the_quick_fix(tmp_path):
    model = tmp_path / "origin.py"
    model.write_text(ORIGIN)
    script = tmp_path / "drive.lua"
    script.write_text(SCRIPT)
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "KC_FILE": str(model), "KC_OUT": str(out), "KC_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_DATA_HOME": str(tmp_path / "data"),
    }
    assert NVIM is not None
    subprocess.run([NVIM, "--headless", "--clean", "-c", f"luafile {script}"], env=env, cwd=tmp_path,
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=180, check=False)
    seen = json.loads(out.read_text())
    assert "error" not in seen, seen.get("error")
    assert seen["got_kc201"]
    kc201 = [d for d in seen["diagnostics"] if d["code"] == "KC201"]
    assert [(d["lnum"], d["col"]) for d in kc201] == [(9, 10)]  # line 10, column 11, 0-based in Neovim
    assert kc201[0]["message"].startswith("`Dense(64)` receives a 4-D tensor (None, 4, 4, 64)")
    hints = {h["position"]["line"]: h["label"] for h in seen["hints"]}
    assert hints[3] == "60,480 params" and hints[6] == "→ (None, 13, 13, 64)" and hints[9] == "→ (None, 4, 4, 64)"
    assert "acts on the last axis only" in seen["hover"]["contents"]["value"]
    assert "KC201: add `# noqa: KC201` to this line" in seen["actions"]
    assert seen["kc201_gone"], seen["after"]
    assert sorted(d["code"] for d in seen["after"]) == ["KC401", "KC401", "KC401"]
    assert seen["text"][9].strip() == "model.add(layers.Flatten())"
