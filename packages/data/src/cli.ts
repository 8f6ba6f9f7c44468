#!/usr/bin/env node
/**
 * The `llm-data` bin: corpus, clean, dedup, tokenize, stats, inspect. All logic is in run-cli.ts;
 * this file only hands it the process's arguments, streams and environment (the scheduler's rank
 * variables). It is the only file of the package that reads process.argv and process.env.
 * Leaves out: everything else.
 */
import { runCli } from "./run-cli.js";

process.exitCode = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
