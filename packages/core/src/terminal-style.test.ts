import { describe, expect, it } from "vitest";
import { colorEnabled, paint } from "./terminal-style.js";

describe("terminal style", () => {
  it("paints with ANSI codes when enabled, whatever the stream, and leaves text alone when not", () => {
    expect(paint("green", "ok")).toBe("\x1b[32mok\x1b[39m");
    expect(paint(["black", "bgCyan"], "id")).toBe("\x1b[30m\x1b[46mid\x1b[49m\x1b[39m");
    expect(paint("bold", "x", false)).toBe("x");
  });

  it("enables colour only on a TTY without NO_COLOR", () => {
    expect(colorEnabled({ isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "1" })).toBe(false);
    expect(colorEnabled({ isTTY: true }, { NO_COLOR: "" })).toBe(true);
    expect(colorEnabled({ isTTY: false }, {})).toBe(false);
    expect(colorEnabled({}, {})).toBe(false);
  });
});
