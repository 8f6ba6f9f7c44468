#!/usr/bin/env node
/**
 * The `llm-sft` bin: data, render, train. All logic is in run-cli.ts; this file hands it the
 * process's arguments and streams. Leaves out: everything else.
 */
import { colorEnabled } from "@llm/core";
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  color: colorEnabled(process.stdout, process.env),
  env: process.env,
});
process.exitCode = code;
