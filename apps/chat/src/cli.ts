#!/usr/bin/env node
/**
 * `pnpm chat`: the chat app's entry. All logic is in run-cli.ts; this file only hands it the
 * process's arguments, streams, the folder the user typed the command in (pnpm's INIT_CWD) and
 * Ctrl-C, then exits with its code (the tool sandbox's worker would keep the process alive).
 * Reference: nanochat's chat_cli / chat_web. Leaves out: everything else.
 */
import { runCli } from "./run-cli.js";

const code = await runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: process.stdin,
  stdout: process.stdout,
  // `pnpm chat` runs in apps/chat; --run is relative to where the user typed the command.
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stopped: () => new Promise<void>((resolve) => process.once("SIGINT", () => resolve())),
});
process.exit(code);
