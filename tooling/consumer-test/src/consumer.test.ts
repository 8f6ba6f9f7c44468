/**
 * Consumes the packages the way users will: `pnpm pack` each publishable package (so
 * workspace:* and catalog: ranges are resolved), `npm install` the tarballs into a fresh project
 * in the OS temp folder, import every public entry from plain Node ESM, and typecheck a
 * TypeScript file that uses their types. Needs the packages built (turbo runs ^build first).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../../..");
const packageDirs = readdirSync(join(root, "packages")).map((d) => join(root, "packages", d));
const publishable = packageDirs
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => !manifest.private);

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

describe("packed packages install and import outside the workspace", () => {
  const work = mkdtempSync(join(tmpdir(), "llm-consumer-"));
  const tarballs: string[] = [];

  it("packs every publishable package with resolved ranges", () => {
    expect(publishable.length).toBeGreaterThanOrEqual(7);
    for (const { dir } of publishable) {
      const out = run("npx", ["-y", "pnpm@10.34.9", "pack", "--pack-destination", work], dir)
        .trim()
        .split("\n");
      const tarball = out[out.length - 1]!.trim();
      tarballs.push(tarball.startsWith("/") ? tarball : join(work, tarball));
    }
    for (const tarball of tarballs) {
      const listing = run("tar", ["-xzOf", tarball, "package/package.json"], work);
      expect(listing).not.toContain("workspace:");
      expect(listing).not.toContain("catalog:");
    }
  });

  it("installs the tarballs with npm, imports each entry and typechecks a consumer", () => {
    const app = join(work, "app");
    run("mkdir", ["-p", app], work);
    writeFileSync(
      join(app, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }, null, 2),
    );
    run(
      "npm",
      [
        "install",
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        "--ignore-scripts",
        ...tarballs,
        "typescript@5.9.3",
        "@types/node@20",
      ],
      app,
    );
    const names = publishable.map(({ manifest }) => manifest.name as string);
    const importScript = names
      .map(
        (n, i) =>
          `import * as m${i} from "${n}";\nif (Object.keys(m${i}).length === 0) throw new Error("${n} exports nothing");`,
      )
      .join("\n");
    writeFileSync(join(app, "imports.mjs"), `${importScript}\nconsole.log("ok ${names.length}");\n`);
    expect(run("node", ["imports.mjs"], app)).toContain(`ok ${names.length}`);

    writeFileSync(
      join(app, "use-types.ts"),
      [
        `import { LlmError, Rng, SPECIAL_TOKENS, type Tokenizer, type GptConfig, type Conversation } from "@llm/core";`,
        `const config: GptConfig = { vocabSize: 512, seqLen: 64, nLayer: 2, nHead: 2, nEmbd: 64 };`,
        `const convo: Conversation = { messages: [{ role: "user", content: "hi" }] };`,
        `const rng = new Rng(1);`,
        `export function describeTokenizer(t: Tokenizer): string { return \`\${t.name} \${t.vocabSize}\`; }`,
        `export const values = [config.nEmbd, convo.messages.length, rng.next(), SPECIAL_TOKENS.length, new LlmError("INVALID_ARGUMENT", "x").code];`,
        ...names
          .filter((n) => n !== "@llm/core")
          .map((n, i) => `import * as p${i} from "${n}";\nexport const k${i} = Object.keys(p${i});`),
      ].join("\n"),
    );
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          // Every .d.ts is checked, ours and our dependencies'; all installed @types load, as in a default project.
          skipLibCheck: false,
        },
        files: ["use-types.ts"],
      }),
    );
    run(join(app, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], app);
  });
});
