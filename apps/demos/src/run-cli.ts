/**
 * runCli: `pnpm demo NAME [args]` as a function: runs one demo of src/demos/ (each parses its own
 * args with @llm/core's parseCliOptions), or lists them all. cli.ts hands it the process's
 * arguments and output. Leaves out: running several demos at once.
 */
import type { CliIo as CoreCliIo } from "@llm/core";
import { DEMOS, findDemo } from "./demo-registry.js";

export type CliIo = CoreCliIo;

function usage(): string {
  const lines = DEMOS.map((d) => `  ${d.name.padEnd(20)} ${d.summary} (~${d.seconds}s)`);
  return `Usage: pnpm demo NAME [args]\n\nDemos:\n${lines.join("\n")}`;
}

/** Runs `pnpm demo` with `argv` (without the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "--help" || name === "-h" || name === "list") {
    io.out(usage());
    return name ? 0 : 2;
  }
  const demo = findDemo(name);
  if (!demo) {
    io.err(`Unknown demo "${name}".\n\n${usage()}`);
    return 2;
  }
  const module = await demo.load();
  await module.run(args, { log: io.out });
  return 0;
}
