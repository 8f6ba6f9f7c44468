#!/usr/bin/env node
/**
 * The `llm-rl` bin: train, eval. All logic is in run-cli.ts; this file hands it the process's
 * arguments and streams, and turns Ctrl-C into "stop after this step". Leaves out: everything else.
 */
import { runCli } from "./run-cli.js";

const controller = new AbortController();
process.once("SIGINT", () => {
  process.stderr.write("stopping after the current step...\n");
  controller.abort();
});
const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  signal: controller.signal,
});
process.exitCode = code;
