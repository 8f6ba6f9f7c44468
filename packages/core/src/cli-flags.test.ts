import { describe, expect, it } from "vitest";
import { flagNumber, flagString, parseCliFlags, parseCliOptions, requiredFlag } from "./cli-flags.js";
import { isLlmError } from "./errors.js";

describe("parseCliFlags", () => {
  it("reads positional words, --flag value, --flag=value and bare switches", () => {
    const { positional, flags } = parseCliFlags(
      ["train", "--steps", "10", "--lr=0.5", "--resume", "data/x", "--json"],
      { steps: "string", lr: "string", resume: "string", json: "boolean" },
    );
    expect(positional).toEqual(["train"]);
    expect(flagString(flags, "steps")).toBe("10");
    expect(flagNumber(flags, "lr")).toBe(0.5);
    expect(flagString(flags, "resume")).toBe("data/x");
    expect(flags.get("json")).toBe(true);
    expect(flagString(flags, "json")).toBeUndefined();
    expect(flagNumber(flags, "absent")).toBeUndefined();
  });

  it("names the flag in typed errors", () => {
    const { flags } = parseCliFlags(["--steps", "ten"], { steps: "string" });
    expect(() => flagNumber(flags, "steps")).toThrow(/--steps must be a number/);
    try {
      requiredFlag(flags, "out", "See --help.");
      expect.unreachable();
    } catch (error) {
      expect(isLlmError(error, "INVALID_ARGUMENT")).toBe(true);
      expect((error as Error).message).toContain("--out is required");
    }
  });

  it("rejects unknown flags, values given to switches and missing values, listing the valid flags", () => {
    const spec = { steps: "string", json: "boolean" } as const;
    const attempts = [["train", "--stpes", "10"], ["--json=yes"], ["--steps"]];
    for (const argv of attempts) {
      try {
        parseCliFlags(argv, spec);
        expect.unreachable(argv.join(" "));
      } catch (error) {
        expect(isLlmError(error, "INVALID_ARGUMENT")).toBe(true);
        expect((error as { hint?: string }).hint).toBe("Valid flags: --help, --steps <value>, --json.");
      }
    }
    expect(() => parseCliFlags(["train", "--stpes", "10"], spec)).toThrow(/--stpes/);
    expect(parseCliFlags(["--help"], spec).flags.get("help")).toBe(true);
    // a value that starts with one dash is still a value
    expect(flagNumber(parseCliFlags(["--steps", "-3"], spec).flags, "steps")).toBe(-3);
  });
});

describe("parseCliOptions", () => {
  const options = {
    input: { type: "string", short: "i", multiple: true },
    out: { type: "string", short: "o" },
    tiktoken: { type: "boolean" },
  } as const;

  it("returns node:util parseArgs' typed values: short aliases, repeated flags, switches", () => {
    const { values, positionals } = parseCliOptions(
      ["-i", "a.txt", "--input=b.txt", "-o", "out", "--tiktoken", "word"],
      options,
    );
    expect(values.input).toEqual(["a.txt", "b.txt"]);
    expect(values.out).toBe("out");
    expect(values.tiktoken).toBe(true);
    expect(values.help).toBeUndefined();
    expect(positionals).toEqual(["word"]);
  });

  it("fails a misspelt flag with the valid ones, short aliases included", () => {
    try {
      parseCliOptions(["--inptu", "a.txt"], options);
      expect.unreachable();
    } catch (error) {
      expect(isLlmError(error, "INVALID_ARGUMENT")).toBe(true);
      expect((error as Error).message).toMatch(/^Unknown flag --inptu\./);
      expect((error as { input?: string }).input).toBe("--inptu");
      expect((error as { hint?: string }).hint).toBe(
        "Valid flags: --help, --input, -i <value>, --out, -o <value>, --tiktoken.",
      );
    }
  });

  it("fails a stray word when positionals are not allowed", () => {
    expect(() => parseCliOptions(["-o", "x", "extra"], options, { allowPositionals: false })).toThrow(
      /Unexpected argument extra\./,
    );
    expect(parseCliOptions(["-o", "x", "extra"], options).positionals).toEqual(["extra"]);
  });

  it("takes a declared help with its own alias", () => {
    const withHelp = { help: { type: "boolean", short: "h" } } as const;
    expect(parseCliOptions(["-h"], withHelp).values.help).toBe(true);
  });
});
