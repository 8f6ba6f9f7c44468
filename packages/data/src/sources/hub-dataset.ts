/**
 * Downloads a Hugging Face Hub dataset's files (by default its Parquet files) into a cache
 * folder, resuming partial downloads with HTTP Range requests (`<file>.part` keeps what arrived)
 * and skipping files already complete. Listing goes through @huggingface/hub; downloads use the
 * same `fetch`, so tests point `hubUrl` at a local server. Without a network the error is an
 * LlmError NETWORK_UNAVAILABLE; `offline: true` uses only the cache.
 * Reference: huggingface_hub's hf_hub_download cache and resume. Leaves out: the Xet protocol
 * (files are fetched through the plain resolve endpoint) and etag-based cache invalidation.
 */
import { createWriteStream } from "node:fs";
import { mkdir, readdir, rename, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { importOptionalPeer, type Listeners, LlmError } from "@llm/core";

export interface HubDatasetOptions {
  /** Dataset repo, e.g. "HuggingFaceFW/fineweb-edu". */
  repo: string;
  /** Folder the files are cached in (`<cacheDir>/<owner>--<name>/<revision>/<path>`). */
  cacheDir: string;
  /** Branch, tag or commit. Default "main". */
  revision?: string;
  /** Keep files whose repo path passes this test. Default: paths ending in ".parquet". */
  include?: (path: string) => boolean;
  /** Only inside this folder of the repo (e.g. "sample/10BT"). Default: the whole repo. */
  path?: string;
  /** Download at most this many files (in path order). Default: all. */
  maxFiles?: number;
  /** Use only what is cached; never touch the network. Default false. */
  offline?: boolean;
  /** Hub address. Default "https://huggingface.co". */
  hubUrl?: string;
  /** Access token for gated or private datasets. Default: none. */
  accessToken?: string;
  /** fetch to use (proxies, tests). Default: global fetch. */
  fetch?: typeof fetch;
  listeners?: Listeners;
}

/** Returns the local paths of the dataset's files, downloading (and resuming) what is missing. */
export async function downloadHubDataset(options: HubDatasetOptions): Promise<string[]> {
  const revision = options.revision ?? "main";
  const root = join(options.cacheDir, options.repo.replace("/", "--"), revision);
  const include = options.include ?? ((p: string) => p.endsWith(".parquet"));
  const maxFiles = options.maxFiles ?? Number.POSITIVE_INFINITY;
  if (options.offline) {
    const cached = (await walk(root).catch(() => [] as string[]))
      .filter((p) => !p.endsWith(".part") && include(relative(root, p)))
      .sort()
      .slice(0, maxFiles);
    if (cached.length === 0) {
      throw new LlmError("NETWORK_UNAVAILABLE", `Offline and nothing of ${options.repo} is cached`, {
        input: root,
        hint: "Run once with network access (offline: false) to fill the cache, or copy the files there.",
      });
    }
    return cached;
  }
  const hubUrl = (options.hubUrl ?? "https://huggingface.co").replace(/\/$/, "");
  const doFetch = options.fetch ?? fetch;
  const credentials = options.accessToken ? { accessToken: options.accessToken } : {};
  const entries: { path: string; size: number }[] = [];
  // an optional peer of @llm/data (8 MB with its hashing wasm): only listing a Hub dataset needs it
  const { listFiles } = await importOptionalPeer(
    "@huggingface/hub",
    "Listing a Hugging Face Hub dataset",
    () => import("@huggingface/hub"),
  );
  try {
    for await (const entry of listFiles({
      repo: { type: "dataset", name: options.repo },
      recursive: true,
      revision,
      hubUrl,
      fetch: doFetch,
      ...(options.path ? { path: options.path } : {}),
      ...credentials,
    })) {
      if (entry.type === "file" && include(entry.path)) entries.push({ path: entry.path, size: entry.size });
    }
  } catch (error) {
    throw networkError(error, options.repo);
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : 1));
  const chosen = entries.slice(0, maxFiles);
  const out: string[] = [];
  for (const [i, entry] of chosen.entries()) {
    const target = join(root, entry.path);
    out.push(target);
    const have = await stat(target).catch(() => undefined);
    if (have && have.size === entry.size) continue;
    const url = `${hubUrl}/datasets/${options.repo}/resolve/${encodeURIComponent(revision)}/${entry.path}`;
    await downloadWithResume(url, target, entry.size, doFetch, options.accessToken);
    options.listeners?.onProgress?.({ stage: "data", done: i + 1, total: chosen.length, unit: "files" });
  }
  return out;
}

async function downloadWithResume(
  url: string,
  target: string,
  size: number,
  doFetch: typeof fetch,
  accessToken: string | undefined,
): Promise<void> {
  const part = `${target}.part`;
  await mkdir(dirname(target), { recursive: true });
  const offset = (await stat(part).catch(() => undefined))?.size ?? 0;
  const headers: Record<string, string> = {};
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  if (offset > 0 && offset < size) headers.Range = `bytes=${offset}-`;
  let response: Response;
  try {
    response = await doFetch(url, { headers });
  } catch (error) {
    throw networkError(error, url);
  }
  if (!response.ok || !response.body) {
    throw new LlmError("NETWORK_UNAVAILABLE", `Download failed with HTTP ${response.status}`, {
      input: url,
      hint: "Check the repo name, revision and access token; run again to resume.",
    });
  }
  const append = response.status === 206 && offset > 0;
  const out = createWriteStream(part, { flags: append ? "a" : "w" });
  const done = new Promise<void>((resolve, reject) => {
    out.on("finish", resolve);
    out.on("error", reject);
  });
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
  } catch (error) {
    out.end();
    await done.catch(() => {});
    throw networkError(error, url);
  }
  out.end();
  await done;
  const got = (await stat(part)).size;
  if (got !== size) {
    throw new LlmError("NETWORK_UNAVAILABLE", `Download stopped at ${got} of ${size} bytes`, {
      input: url,
      hint: "Run again: the download resumes from the .part file.",
    });
  }
  await rename(part, target);
}

function networkError(error: unknown, input: string): LlmError {
  if (error instanceof LlmError) return error;
  const offline =
    error instanceof TypeError || /ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|socket/i.test(String(error));
  if (!offline) {
    return new LlmError("INVALID_INPUT", `The Hub refused the request (${(error as Error).message})`, {
      input,
      hint: "Check the dataset name, revision, path and access token.",
      cause: error,
    });
  }
  return new LlmError(
    "NETWORK_UNAVAILABLE",
    `Could not reach the Hugging Face Hub (${(error as Error).message})`,
    {
      input,
      hint: "Check the network (or proxy), or use offline: true with a filled cacheDir.",
      cause: error,
    },
  );
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else out.push(path);
  }
  return out;
}
