#!/usr/bin/env node
/**
 * llm-tokenizer: the command line of @llm/tokenizer (see run-cli.ts; `llm-tokenizer --help`).
 * The only place in the package that reads argv, stdin and the process streams.
 */
import { runCli } from "./run-cli.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

process.exitCode = await runCli(process.argv.slice(2), {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  stdin: readStdin,
});
