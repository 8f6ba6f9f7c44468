/**
 * `pnpm demo NAME [args]`: runs one demo of src/demos/, or lists them all.
 */
import { DEMOS, findDemo } from "./demo-registry.js";

function usage(): string {
  const lines = DEMOS.map((d) => `  ${d.name.padEnd(20)} ${d.summary} (~${d.seconds}s)`);
  return `Usage: pnpm demo NAME [args]\n\nDemos:\n${lines.join("\n")}`;
}

async function main(): Promise<number> {
  const [name, ...args] = process.argv.slice(2);
  if (!name || name === "--help" || name === "-h" || name === "list") {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const demo = findDemo(name);
  if (!demo) {
    process.stderr.write(`Unknown demo "${name}".\n\n${usage()}\n`);
    return 2;
  }
  // `pnpm demo` runs in apps/demos; paths the user gives (--run runs/NAME) are relative to where they typed it.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const module = await demo.load();
  await module.run(args, { log: (line) => process.stdout.write(`${line}\n`) });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
