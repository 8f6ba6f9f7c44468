#!/usr/bin/env node
import { createInterface } from "node:readline/promises";
/**
 * The `llm-engine` bin: chat, run. All logic is in run-cli.ts; this file hands it the
 * process's arguments and streams. Leaves out: everything else.
 */
import { colorEnabled } from "@llm/core";
import { runCli } from "./run-cli.js";

const rl =
  process.argv[2] === "chat" ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
let closed = false;
rl?.on("close", () => {
  closed = true;
});
const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  color: colorEnabled(process.stdout, process.env),
  readLine: async (prompt) => {
    if (!rl || closed) return undefined;
    try {
      return await rl.question(prompt);
    } catch {
      return undefined;
    }
  },
});
rl?.close();
process.exitCode = code;
