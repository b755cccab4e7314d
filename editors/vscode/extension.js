// kerascheck for VS Code: starts `kerascheck server` and connects VS Code's language client to it.
// Plain JavaScript, no build step. The server does all the work (diagnostics, inlay hints with
// output shapes, hovers with explanations, quick fixes, notebooks); it never runs the user's code.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function serverOptions() {
  const command = vscode.workspace.getConfiguration("kerascheck").get("server.command") || ["kerascheck", "server"];
  if (!Array.isArray(command) || command.length === 0 || !command.every((part) => typeof part === "string")) {
    throw new Error("kerascheck.server.command must be a non-empty list of strings");
  }
  return { command: command[0], args: command.slice(1), transport: TransportKind.stdio };
}

function clientOptions() {
  return {
    // Python files, and the Python cells of notebooks (sent through LSP notebook document sync).
    documentSelector: [
      { scheme: "file", language: "python" },
      { scheme: "untitled", language: "python" },
      { notebook: "*", language: "python" },
    ],
    outputChannelName: "kerascheck",
  };
}

async function start() {
  client = new LanguageClient("kerascheck", "kerascheck", serverOptions(), clientOptions());
  await client.start();
}

async function stop() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("kerascheck.restartServer", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("kerascheck.server.command")) {
        await stop();
        await start();
      }
    }),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, serverOptions, clientOptions };
