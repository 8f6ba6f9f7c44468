/**
 * The manifest of a token shard set: `<prefix>.manifest.json` beside the shards, written last by
 * tokenizeDocuments (after every shard is renamed into place). A run first writes
 * `<prefix>.incomplete` and removes it only after the manifest, so a failed or killed run leaves
 * its set marked. Readers trust only the manifest: they read the shards it lists, check each
 * one's token count, and refuse a set marked incomplete or with a listed shard missing. A folder
 * with neither file (shards written by hand with openShardWriter) is read as its sorted `*.bin`.
 * Also: removing what a previous run of the same prefix left (its shards, its manifest, temp
 * files of killed writers) before a rerun, and removing a killed writer's stale temp files.
 * Reference: the "manifest written last" convention of datatrove's completion markers and
 * nanochat's shard index. Leaves out: checksums of the shard bytes (the header's token count and
 * the file size are checked by the reader).
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { LlmError, type TokenDtype, writeJsonAtomic } from "@llm/core";

export interface ShardManifest {
  format: "llm-token-shards";
  version: 1;
  prefix: string;
  dtype: TokenDtype;
  bosId: number | undefined;
  shardTokens: number;
  documents: number;
  tokens: number;
  bytes: number;
  /** File names (relative to the manifest's folder), in order. */
  shards: { file: string; tokenCount: number }[];
  createdAt: string;
}

const MANIFEST_SUFFIX = ".manifest.json";
const INCOMPLETE_SUFFIX = ".incomplete";

export function manifestPath(outDir: string, prefix: string): string {
  return join(outDir, `${prefix}${MANIFEST_SUFFIX}`);
}

/** The marker a tokenize run writes first and removes after its manifest. */
export function incompletePath(outDir: string, prefix: string): string {
  return join(outDir, `${prefix}${INCOMPLETE_SUFFIX}`);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Starts a run of `prefix` in `outDir`: marks the set incomplete, then removes what an earlier run
 * of the prefix left (its manifest first, then its shards and temp files of killed writers).
 */
export async function beginShardSet(outDir: string, prefix: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  await writeJsonAtomic(incompletePath(outDir, prefix), { prefix, startedAt: new Date().toISOString() });
  await rm(manifestPath(outDir, prefix), { force: true });
  const shard = new RegExp(`^${escapeRegExp(prefix)}_\\d+\\.bin$`);
  const temp = new RegExp(`^\\.${escapeRegExp(prefix)}_\\d+\\.bin\\.[0-9a-f]+\\.tmp$`);
  for (const name of await readdir(outDir)) {
    if (shard.test(name) || temp.test(name)) await rm(join(outDir, name), { force: true });
  }
}

/** Removes temp files that a killed writer of `path` left (`.<name>.<hex>.tmp`, see tempPathFor). */
export async function removeStaleTemps(path: string): Promise<void> {
  const dir = dirname(path);
  if (!existsSync(dir)) return;
  const temp = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.[0-9a-f]+\\.tmp$`);
  for (const name of await readdir(dir)) if (temp.test(name)) await rm(join(dir, name), { force: true });
}

/** Publishes the manifest, then clears the incomplete marker. */
export async function writeShardManifest(outDir: string, manifest: ShardManifest): Promise<string> {
  const path = manifestPath(outDir, manifest.prefix);
  await writeJsonAtomic(path, manifest);
  await rm(incompletePath(outDir, manifest.prefix), { force: true });
  return path;
}

export async function readShardManifest(path: string): Promise<ShardManifest> {
  let manifest: ShardManifest;
  try {
    manifest = JSON.parse(await readFile(path, "utf8")) as ShardManifest;
  } catch (error) {
    throw new LlmError("FILE_CORRUPT", "Shard manifest is missing or not valid JSON", {
      input: path,
      hint: "Rerun the tokenize step into this folder.",
      cause: error,
    });
  }
  if (manifest.format !== "llm-token-shards" || !Array.isArray(manifest.shards)) {
    throw new LlmError("FILE_CORRUPT", "Not a token shard manifest", {
      input: path,
      hint: "Pass a folder written by tokenizeDocuments / llm-data tokenize, or its *.manifest.json.",
    });
  }
  return manifest;
}

/**
 * The shard files a reader may use, with the token counts they must have:
 * - a folder: refused when a set in it is marked incomplete; else its one `*.manifest.json`
 *   (several sets in one folder: pass the manifest's path); else (no manifest) its sorted `*.bin`;
 * - a `*.manifest.json` path: the shards it lists;
 * - explicit `.bin` files: each is checked against the manifest of its prefix when one is beside
 *   it (a file the manifest does not list is refused); files with no manifest are read as given.
 */
export async function resolveShardSet(
  shards: readonly string[] | string,
): Promise<{ path: string; tokenCount: number | undefined }[]> {
  if (typeof shards !== "string") {
    if (shards.length === 0) throw new LlmError("INVALID_ARGUMENT", "No shards given", { input: "shards" });
    const out: { path: string; tokenCount: number | undefined }[] = [];
    for (const path of shards) {
      if (path.endsWith(MANIFEST_SUFFIX)) {
        out.push(...(await fromManifest(path)));
        continue;
      }
      const prefix = /^(.*)_\d+\.bin$/.exec(basename(path))?.[1];
      const beside = prefix === undefined ? undefined : manifestPath(dirname(path), prefix);
      if (prefix !== undefined && existsSync(incompletePath(dirname(path), prefix))) {
        throw incomplete(incompletePath(dirname(path), prefix));
      }
      if (beside === undefined || !existsSync(beside)) {
        out.push({ path, tokenCount: undefined });
        continue;
      }
      const listed = (await readShardManifest(beside)).shards.find((s) => s.file === basename(path));
      if (!listed) {
        throw new LlmError(
          "FILE_MISMATCH",
          "Shard is not listed in its set's manifest (left by an earlier run?)",
          {
            input: path,
            hint: `Use the shards ${beside} lists, or rerun the tokenize step.`,
          },
        );
      }
      out.push({ path, tokenCount: listed.tokenCount });
    }
    return out;
  }
  if (shards.endsWith(MANIFEST_SUFFIX)) return fromManifest(shards);
  let names: string[];
  try {
    if (!(await stat(shards)).isDirectory()) return resolveShardSet([shards]);
    names = await readdir(shards);
  } catch (error) {
    throw new LlmError("FILE_NOT_FOUND", "Shard folder not found", {
      input: shards,
      hint: "Run the tokenize step first, or pass the shard files.",
      cause: error,
    });
  }
  const marked = names.filter((n) => n.endsWith(INCOMPLETE_SUFFIX)).sort();
  if (marked.length > 0) throw incomplete(join(shards, marked[0] as string));
  const manifests = names.filter((n) => n.endsWith(MANIFEST_SUFFIX)).sort();
  if (manifests.length === 1) return fromManifest(join(shards, manifests[0] as string));
  if (manifests.length > 1) {
    throw new LlmError(
      "INVALID_ARGUMENT",
      `The folder holds ${manifests.length} shard sets: ${manifests.join(", ")}`,
      {
        input: shards,
        hint: "Pass the *.manifest.json of the set to read.",
      },
    );
  }
  const bins = names.filter((n) => n.endsWith(".bin")).sort();
  if (bins.length === 0) {
    throw new LlmError("FILE_NOT_FOUND", "No .bin shards in folder", {
      input: shards,
      hint: "Run the tokenize step first.",
    });
  }
  return bins.map((n) => ({ path: join(shards, n), tokenCount: undefined }));
}

function incomplete(marker: string): LlmError {
  return new LlmError(
    "FILE_CORRUPT",
    "incomplete shard set: its tokenize run did not finish (failed or killed; no manifest was written)",
    { input: marker, hint: "Run the tokenize step into this folder again: it writes the manifest last." },
  );
}

async function fromManifest(path: string): Promise<{ path: string; tokenCount: number }[]> {
  const manifest = await readShardManifest(path);
  const dir = dirname(path);
  const missing = manifest.shards.filter((s) => !existsSync(join(dir, s.file)));
  if (missing.length > 0) {
    throw new LlmError(
      "FILE_CORRUPT",
      `incomplete shard set: ${missing.map((s) => s.file).join(", ")} listed in the manifest but missing`,
      { input: path, hint: "Rerun the tokenize step into this folder." },
    );
  }
  return manifest.shards.map((s) => ({ path: join(dir, s.file), tokenCount: s.tokenCount }));
}
