"""The VS Code extension in editors/vscode/: its manifest, and its client run under Node with stand-ins
for the `vscode` and `vscode-languageclient` modules (VS Code itself cannot run here); then the
command it starts is started and answers an LSP `initialize`."""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
MANIFEST = json.loads((EXTENSION / "package.json").read_text())
NODE = shutil.which("node")

STUBS = {
    "vscode/index.js": """
const settings = JSON.parse(process.env.KC_SETTINGS || "{}");
const registered = [];
module.exports = {
  registered,
  workspace: {
    getConfiguration: (section) => ({ get: (key) => settings[section + "." + key] }),
    onDidChangeConfiguration: (fn) => ({ dispose() {} }),
  },
  commands: { registerCommand: (name, fn) => { registered.push(name); return { dispose() {} }; } },
};
""",
    "vscode-languageclient/node.js": """
const made = [];
class LanguageClient {
  constructor(id, name, serverOptions, clientOptions) { Object.assign(this, { id, name, serverOptions, clientOptions }); made.push(this); }
  async start() { this.started = true; }
  async stop() { this.stopped = true; }
}
module.exports = { LanguageClient, TransportKind: { stdio: 0, ipc: 1 }, made };
""",
}

DRIVER = """
const extension = require("./extension.js");
const vscode = require("vscode");
const { made } = require("vscode-languageclient/node");
(async () => {
  const context = { subscriptions: [] };
  await extension.activate(context);
  const client = made[0];
  console.log(JSON.stringify({
    id: client.id, started: client.started, serverOptions: client.serverOptions,
    clientOptions: client.clientOptions, commands: vscode.registered, subscriptions: context.subscriptions.length,
  }));
  await extension.deactivate();
})().catch((e) => { console.error(e); process.exit(1); });
"""


def test_manifest():
    assert MANIFEST["name"] == "kerascheck" and MANIFEST["main"] == "./extension.js"
    assert (EXTENSION / MANIFEST["main"]).is_file()
    assert "onLanguage:python" in MANIFEST["activationEvents"]
    assert "onNotebook:jupyter-notebook" in MANIFEST["activationEvents"]
    assert re.fullmatch(r"\^\d+\.\d+\.\d+", MANIFEST["engines"]["vscode"])
    assert "vscode-languageclient" in MANIFEST["dependencies"]
    properties = MANIFEST["contributes"]["configuration"]["properties"]
    assert properties["kerascheck.server.command"]["default"] == ["kerascheck", "server"]
    # Every setting the client reads is declared, and every command it registers is contributed.
    source = (EXTENSION / "extension.js").read_text()
    read = {f"kerascheck.{key}" for key in re.findall(r'getConfiguration\("kerascheck"\)\.get\("([^"]+)"\)', source)}
    assert read and read <= set(properties)
    registered = set(re.findall(r'registerCommand\("([^"]+)"', source))
    assert registered == {c["command"] for c in MANIFEST["contributes"]["commands"]}


def _run_client(tmp_path: pathlib.Path, settings: dict[str, object]) -> dict[str, object]:
    for name, text in STUBS.items():
        target = tmp_path / "node_modules" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    shutil.copy(EXTENSION / "extension.js", tmp_path / "extension.js")
    (tmp_path / "driver.js").write_text(DRIVER)
    assert NODE is not None
    done = subprocess.run([NODE, "driver.js"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "KC_SETTINGS": json.dumps(settings)})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.skipif(NODE is None, reason="the `node` binary is not installed (Debian: apt-get install -y nodejs)")
def test_client_starts_the_configured_server_for_python_files_and_notebook_cells(tmp_path):
    seen = _run_client(tmp_path, {})
    assert seen["started"] and seen["id"] == "kerascheck"
    assert seen["serverOptions"] == {"command": "kerascheck", "args": ["server"], "transport": 0}
    selector = seen["clientOptions"]["documentSelector"]  # type: ignore[index]
    assert {"scheme": "file", "language": "python"} in selector
    assert {"notebook": "*", "language": "python"} in selector
    assert seen["commands"] == ["kerascheck.restartServer"] and seen["subscriptions"] == 2
    custom = _run_client(tmp_path, {"kerascheck.server.command": [sys.executable, "-m", "kerascheck", "server"]})
    assert custom["serverOptions"] == {"command": sys.executable, "args": ["-m", "kerascheck", "server"],
                                       "transport": 0}


def _message(payload: dict[str, object]) -> bytes:
    body = json.dumps(payload).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


@pytest.mark.skipif(__import__("importlib").util.find_spec("pygls") is None,
                    reason="the server extra is not installed (pip install -e '.[server]')")
def test_the_command_the_extension_starts_answers_initialize():
    command = [sys.executable, "-m", "kerascheck", "server"]  # the default, `kerascheck server`, as this Python runs it
    requests = _message({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                         "params": {"processId": None, "rootUri": None,
                                    "capabilities": {"notebookDocument": {"synchronization": {}}}}})
    requests += _message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    requests += _message({"jsonrpc": "2.0", "method": "exit"})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run(command, input=requests, capture_output=True, timeout=60, env=env)
    body = done.stdout.split(b"\r\n\r\n", 1)[1]
    first = json.loads(body[: int(re.match(rb"Content-Length: (\d+)", done.stdout).group(1))])  # type: ignore[union-attr]
    capabilities = first["result"]["capabilities"]
    assert first["result"]["serverInfo"]["name"] == "kerascheck"
    assert capabilities["inlayHintProvider"] and capabilities["hoverProvider"]
    assert "source.fixAll.kerascheck" in capabilities["codeActionProvider"]["codeActionKinds"]
    assert capabilities["notebookDocumentSync"]["notebookSelector"][0]["cells"] == [{"language": "python"}]
