/**
 * `--flag value` / `--flag=value` / `--switch` parsing shared by every CLI (the package bins and
 * the apps): node:util parseArgs in strict mode over a declared flag list, so a misspelt flag
 * (`--stpes 10`) is a typed error listing the valid ones instead of being ignored, with typed
 * readers that raise LlmErrors naming the flag. Only the CLI entry points call it: packages
 * themselves never read argv. Reference: node:util parseArgs, the GNU long-option convention.
 * Leaves out: option bundling (`-ab`) and help generation (each CLI writes its usage).
 */
import { parseArgs } from "node:util";
import { LlmError } from "./errors.js";

/**
 * What every CLI's runCli(argv, io) writes to: standard output and standard error, one call per
 * line or block. Each CLI extends it with what else its bin hands in (env, stdin, a signal).
 */
export interface CliIo {
  /** Standard output. */
  out: (text: string) => void;
  /** Standard error (progress, logs, errors). */
  err: (text: string) => void;
}

/** Flag name (without `--`) -> its value, or `true` for a switch. */
export type CliFlags = Map<string, string | true>;

/** The flags a CLI accepts: name (without `--`) -> "string" (takes a value) or "boolean" (a switch). */
export type CliFlagSpec = Record<string, "string" | "boolean">;

/** node:util parseArgs options: a flag's type, and optionally a one-letter alias, repetition and a default. */
export type CliOptions = Record<
  string,
  { type: "string" | "boolean"; short?: string; multiple?: boolean; default?: string | boolean | string[] }
>;

/** What parseCliOptions returns: node:util parseArgs' typed values (plus `help`) and the positionals. */
export type ParsedCliOptions<O extends CliOptions> = ReturnType<
  typeof parseArgs<{ options: O & { help: { type: "boolean" } }; allowPositionals: true; strict: true }>
>;

/**
 * node:util parseArgs in strict mode over declared options, with typed values: an unknown flag, a
 * value given to a switch, a missing value or (with `allowPositionals: false`) a stray word is an
 * LlmError("INVALID_ARGUMENT") that names the offending argument and lists the valid flags.
 * `--help` is always accepted (declare `help` yourself to give it a short alias).
 */
export function parseCliOptions<const O extends CliOptions>(
  argv: readonly string[],
  options: O,
  settings: { allowPositionals?: boolean } = {},
): ParsedCliOptions<O> {
  const all = { help: { type: "boolean" }, ...options } as O & { help: { type: "boolean" } };
  try {
    return parseArgs({
      args: joinDashValues(argv, all),
      options: all,
      allowPositionals: settings.allowPositionals ?? true,
      strict: true,
    }) as ParsedCliOptions<O>;
  } catch (error) {
    const code = (error as { code?: string }).code ?? "";
    if (!code.startsWith("ERR_PARSE_ARGS")) throw error;
    const message = (error as Error).message;
    const offending = /'(-[^']*)'/.exec(message)?.[1] ?? /'([^']*)'/.exec(message)?.[1];
    const valid = Object.entries(all as CliOptions)
      .map(([name, { type, short }]) => {
        const names = short === undefined ? `--${name}` : `--${name}, -${short}`;
        return type === "string" ? `${names} <value>` : names;
      })
      .join(", ");
    const sentence =
      code === "ERR_PARSE_ARGS_UNKNOWN_OPTION" && offending !== undefined
        ? `Unknown flag ${offending}.`
        : code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL" && offending !== undefined
          ? `Unexpected argument ${offending}.`
          : (message.split("\n")[0] ?? message);
    throw new LlmError("INVALID_ARGUMENT", sentence, {
      input: offending ?? argv.join(" "),
      hint: `Valid flags: ${valid}.`,
      cause: error,
    });
  }
}

/**
 * Splits argv into positional words and flags (parseCliOptions over a name -> type list), as a
 * Map for CLIs that read flags by name (flagString, flagNumber, requiredFlag).
 */
export function parseCliFlags(
  argv: readonly string[],
  spec: CliFlagSpec,
): { positional: string[]; flags: CliFlags } {
  const options = Object.fromEntries(
    Object.entries(spec).map(([name, type]) => [name, { type }]),
  ) as CliOptions;
  const parsed = parseCliOptions(argv, options);
  const flags: CliFlags = new Map();
  for (const [name, value] of Object.entries(parsed.values as Record<string, unknown>)) {
    if (value === true) flags.set(name, true);
    else if (typeof value === "string") flags.set(name, value);
  }
  return { positional: parsed.positionals, flags };
}

/** `--items -3` as `--items=-3`: parseArgs reads a value starting with one dash as a flag. */
function joinDashValues(argv: readonly string[], options: CliOptions): string[] {
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
