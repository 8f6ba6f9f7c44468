#!/usr/bin/env node
/**
 * The `llm-probes` bin. All logic is in run-cli.ts; this file hands it the process's arguments
 * and streams. Leaves out: everything else.
 */
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
});
