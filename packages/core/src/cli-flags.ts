/**
 * `--flag value` / `--flag=value` / `--switch` parsing shared by the package CLIs (llm-model,
 * llm-sft): node:util parseArgs in strict mode over a declared flag list, so a misspelt flag
 * (`--stpes 10`) is a typed error listing the valid ones instead of being ignored, with typed
 * readers that raise LlmErrors naming the flag. Only the CLI entry points call it: packages
 * themselves never read argv. Reference: node:util parseArgs, the GNU long-option convention.
 * Leaves out: short options, option bundling and help generation.
 */
import { parseArgs } from "node:util";
import { LlmError } from "./errors.js";

/** Flag name (without `--`) -> its value, or `true` for a switch. */
export type CliFlags = Map<string, string | true>;

/** The flags a CLI accepts: name (without `--`) -> "string" (takes a value) or "boolean" (a switch). */
export type CliFlagSpec = Record<string, "string" | "boolean">;

/**
 * Splits argv into positional words and flags with node:util parseArgs in strict mode: an unknown
 * flag, a value given to a switch or a missing value is an LlmError("INVALID_ARGUMENT") that names
 * the offending argument and lists the valid flags. `--help` is always accepted.
 */
export function parseCliFlags(
  argv: readonly string[],
  spec: CliFlagSpec,
): { positional: string[]; flags: CliFlags } {
  const options = Object.fromEntries(
    Object.entries({ help: "boolean", ...spec }).map(([name, type]) => [name, { type }]),
  ) as Record<string, { type: "string" | "boolean" }>;
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv, options),
      options,
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (!code.startsWith("ERR_PARSE_ARGS")) throw error;
    const message = (error as Error).message;
    const offending = /'(-[^']*)'/.exec(message)?.[1];
    const valid = Object.entries(options)
      .map(([name, { type }]) => (type === "string" ? `--${name} <value>` : `--${name}`))
      .join(", ");
    const sentence =
      code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && offending !== undefined
        ? `Unknown flag ${offending}.`
        : (message.split("\n")[0] ?? message);
    throw new LlmError("INVALID_ARGUMENT", sentence, {
      input: offending ?? argv.join(" "),
      hint: `Valid flags: ${valid}.`,
      cause: error,
    });
  }
  const flags: CliFlags = new Map();
  for (const [name, value] of Object.entries(parsed.values)) {
    if (value === true) flags.set(name, true);
    else if (typeof value === "string") flags.set(name, value);
  }
  return { positional: parsed.positionals, flags };
}

/** `--items -3` as `--items=-3`: parseArgs reads a value starting with one dash as a flag. */
function joinDashValues(argv: readonly string[], options: Record<string, { type: string }>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    const name = arg.startsWith("--") && !arg.includes("=") ? arg.slice(2) : undefined;
    if (
      name !== undefined &&
      options[name]?.type === "string" &&
      next?.startsWith("-") &&
      !next.startsWith("--")
    ) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** The flag's string value; undefined when absent or given as a bare switch. */
export function flagString(flags: CliFlags, name: string): string | undefined {
  const value = flags.get(name);
  return typeof value === "string" ? value : undefined;
}

/** The flag's numeric value; undefined when absent; an LlmError when it is not a finite number. */
export function flagNumber(flags: CliFlags, name: string): number | undefined {
  const value = flagString(flags, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) {
    throw new LlmError("INVALID_ARGUMENT", `--${name} must be a number.`, {
      input: `--${name} ${value}`,
      hint: "Pass a number.",
    });
  }
  return number;
}

/** The flag's string value, or an LlmError naming the missing flag with `hint`. */
export function requiredFlag(flags: CliFlags, name: string, hint: string): string {
  const value = flagString(flags, name);
  if (value === undefined) {
    throw new LlmError("INVALID_ARGUMENT", `--${name} is required.`, { input: `--${name}`, hint });
  }
  return value;
}
