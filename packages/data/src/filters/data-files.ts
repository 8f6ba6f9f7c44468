/**
 * Finds and reads the term lists shipped in the package's `data/` folder, from sources
 * (src/filters/) and from the build (dist/) alike, and parses list files: one entry per line,
 * `#` comments and blank lines ignored. Reference: datatrove's bundled word lists.
 * Leaves out: downloading lists (pass your own files instead).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LlmError } from "@llm/core";

let root: string | undefined;

/** Absolute path of a file in @llm/data's data/ folder. */
export function dataFile(name: string): string {
  if (!root) {
    let dir = dirname(fileURLToPath(import.meta.url));
    for (let i = 0; i < 6 && !existsSync(join(dir, "data", "harmful")); i++) dir = dirname(dir);
    root = join(dir, "data");
  }
  return join(root, name);
}

/** Reads a list file: one entry per line, lower-cased, comments and blanks dropped. */
export function readList(path: string): string[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new LlmError("FILE_NOT_FOUND", "List file not found", {
      input: path,
      hint: "Pass a path to a text file with one entry per line.",
      cause: error,
    });
  }
  return text
    .split("\n")
    .map((l) => l.replace(/#.*$/, "").trim().toLowerCase())
    .filter((l) => l.length > 0);
}
