#!/usr/bin/env node
/**
 * The `llm-model` bin: train, sample, eval, info. All logic is in run-cli.ts; this file only
 * hands it the process's arguments and streams. Leaves out: everything else.
 */
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
process.exitCode = code;
