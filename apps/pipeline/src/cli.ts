#!/usr/bin/env node
/**
 * `pnpm pipeline`: the app's entry. All logic is in run-cli.ts; this file hands it the process's
 * arguments, streams, environment, working folder (pnpm's INIT_CWD), interrupts (SIGINT,
 * SIGTERM) and the death of its launcher (watchParent), then exits with its code. The only file
 * of the app that touches the process. Leaves out: everything else.
 */
import { watchParent } from "@llm/core";
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.env.INIT_CWD ?? process.cwd(),
  onInterrupt: (handler) => {
    process.on("SIGINT", () => handler("Ctrl-C"));
    process.on("SIGTERM", () => handler("SIGTERM"));
  },
  onOrphaned: (handler) => watchParent(handler),
  exit: (exitCode) => process.exit(exitCode),
});
process.exit(code);
