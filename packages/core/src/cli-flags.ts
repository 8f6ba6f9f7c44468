/**
 * Minimal `--flag value` / `--flag=value` / `--switch` parsing shared by the package CLIs
 * (llm-model, llm-sft), with typed readers that raise LlmErrors naming the flag. Only the CLI
 * entry points call it: packages themselves never read argv. Reference: the GNU long-option
 * convention. Leaves out: short options, option bundling and help generation.
 */
import { LlmError } from "./errors.js";

/** Flag name (without `--`) -> its value, or `true` for a switch. */
export type CliFlags = Map<string, string | true>;

/** Splits argv into positional words and flags; a flag followed by a non-flag word takes it as its value. */
export function parseCliFlags(argv: readonly string[]): { positional: string[]; flags: CliFlags } {
  const positional: string[] = [];
  const flags: CliFlags = new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const next = argv[i + 1];
    if (eq > 0) flags.set(arg.slice(2, eq), arg.slice(eq + 1));
    else if (next !== undefined && !next.startsWith("--")) {
      flags.set(arg.slice(2), next);
      i++;
    } else flags.set(arg.slice(2), true);
  }
  return { positional, flags };
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
