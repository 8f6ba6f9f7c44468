#!/usr/bin/env node
/**
 * `pnpm demo`: the demos' entry. All logic is in run-cli.ts; this file moves to the folder the
 * user typed the command in (pnpm runs scripts in apps/demos, and paths like --run runs/NAME are
 * relative to the user's folder), hands it the arguments and output, and exits with its code.
 * Leaves out: everything else.
 */
import { isLlmError } from "@llm/core";
import { runCli } from "./run-cli.js";

if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
}).catch((error: unknown) => {
  process.stderr.write(
    `${isLlmError(error) ? `error [${error.code}]: ${error.message}` : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return 1;
});
process.exit(code);
