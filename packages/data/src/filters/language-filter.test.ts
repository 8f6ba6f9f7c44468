import { describe, expect, it } from "vitest";
import { LanguageFilter } from "./language-filter.js";

const code = {
  typescript: `export async function loadConfig(path: string): Promise<Config> {
  const text = await readFile(path, "utf8");
  const parsed = JSON.parse(text) as Partial<Config>;
  if (!parsed.name) throw new Error(\`missing name in \${path}\`);
  return { retries: 3, timeoutMs: 5000, ...parsed } as Config;
}
export const isReady = (state: State): boolean => state.status === "ready" && state.items.length > 0;`,
  python: `def read_records(path, limit=None):
    """Read the records of a file and return the ones that are valid."""
    with open(path) as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    if limit is not None:
        rows = rows[:limit]
    return [row for row in rows if row.get("valid") and row["score"] > 0.5]`,
  json: `{"name": "example-package", "version": "1.4.2", "description": "A small library for reading and writing the records of the store", "main": "dist/index.js", "scripts": {"build": "tsc -p .", "test": "vitest run"}, "keywords": ["records", "store", "reader"], "license": "MIT"}`,
  css: `.header .navigation a:hover { color: #336699; text-decoration: underline; }
.main-content > article p { margin: 0 0 1.2em; line-height: 1.6; font-family: Georgia, serif; }
@media (max-width: 600px) { .sidebar { display: none; } .main-content { width: 100%; } }`,
};

describe("LanguageFilter and code", () => {
  it("does not score code as English above the threshold", async () => {
    const f = new LanguageFilter();
    for (const [name, text] of Object.entries(code)) {
      const decision = await f.apply({ id: name, text, metadata: {} });
      expect(decision.keep, name).toBe(false);
      if (!decision.keep) expect(decision.reason.rule).toBe("language_score");
    }
  });

  it("still keeps English prose that quotes a little code", async () => {
    const text = `To install the package, run npm install in your project folder, then import the reader
in your own module. The function takes the path of a file and returns its records, skipping
blank lines. If the file is missing it throws an error that names the path, so you can show
it to the user. Most people call it once when their program starts (see readRecords(path) in
the guide) and keep the result in memory for the rest of the session.`;
    const decision = await new LanguageFilter().apply({ id: "prose", text, metadata: {} });
    expect(decision.keep).toBe(true);
  });
});
