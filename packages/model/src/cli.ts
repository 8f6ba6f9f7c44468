#!/usr/bin/env node
/**
 * The `llm-model` bin: train, sample, eval, info. All logic is in run-cli.ts; this file only
 * hands it the process's arguments and streams, and exits when its launcher dies. Leaves out:
 * everything else.
 */
import { watchParent } from "@llm/core";
import { runCli } from "./run-cli.js";

// Die with the command that started us (kill -9 of `npx ...` must not leave an orphan trainer).
watchParent(() => {
  process.stderr.write("llm-model: the command that started this process is gone; stopping.\n");
  process.exit(1);
});

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
});
process.exitCode = code;
