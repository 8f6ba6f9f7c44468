import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isLlmError } from "@llm/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { downloadHubDataset } from "./hub-dataset.js";

// A local stand-in for the Hub's tree and resolve endpoints, with Range support; the first
// download of the parquet file is cut off halfway to exercise resume.
let server: Server;
let hubUrl: string;
let cacheDir: string;
let parquet: Buffer;
const requests: string[] = [];
let cutFirstDownload = true;

beforeAll(async () => {
  parquet = await readFile(new URL("../__fixtures__/fineweb-sample.parquet", import.meta.url));
  cacheDir = await mkdtemp(join(tmpdir(), "llm-data-hub-"));
  const files: Record<string, Buffer> = {
    "data/train-00000.parquet": parquet,
    "README.md": Buffer.from("# fixture"),
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    requests.push(`${req.method} ${url.pathname} ${req.headers.range ?? ""}`.trim());
    if (url.pathname === "/api/datasets/org/fixture/tree/main") {
      res.setHeader("Content-Type", "application/json");
      res.end(
        JSON.stringify(
          Object.entries(files).map(([path, data]) => ({ type: "file", path, size: data.length, oid: "0" })),
        ),
      );
      return;
    }
    const prefix = "/datasets/org/fixture/resolve/main/";
    const data = url.pathname.startsWith(prefix) ? files[url.pathname.slice(prefix.length)] : undefined;
    if (!data) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    const range = /bytes=(\d+)-/.exec(req.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    res.statusCode = range ? 206 : 200;
    if (range) res.setHeader("Content-Range", `bytes ${start}-${data.length - 1}/${data.length}`);
    res.setHeader("Content-Length", String(data.length - start));
    if (cutFirstDownload) {
      cutFirstDownload = false;
      res.write(data.subarray(start, start + 1000));
      setTimeout(() => res.destroy(), 20);
      return;
    }
    res.end(data.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  hubUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(cacheDir, { recursive: true, force: true });
});

describe("downloadHubDataset", () => {
  it("downloads parquet files, resumes a cut-off transfer with Range, then serves from cache", async () => {
    const options = { repo: "org/fixture", cacheDir, hubUrl };
    const first = await downloadHubDataset(options).catch((e: unknown) => e);
    expect(isLlmError(first, "NETWORK_UNAVAILABLE")).toBe(true);
    const [path] = await downloadHubDataset(options);
    expect(path).toBe(join(cacheDir, "org--fixture", "main", "data", "train-00000.parquet"));
    expect(Buffer.compare(await readFile(path as string), parquet)).toBe(0);
    expect(requests).toContain("GET /datasets/org/fixture/resolve/main/data/train-00000.parquet bytes=1000-");
    const before = requests.length;
    expect(await downloadHubDataset(options)).toEqual([path]);
    expect(requests.slice(before).every((r) => r.includes("/api/"))).toBe(true);
    expect(await downloadHubDataset({ ...options, offline: true })).toEqual([path]);
  });

  it("gives NETWORK_UNAVAILABLE when the Hub cannot be reached or nothing is cached offline", async () => {
    const error = await downloadHubDataset({
      repo: "org/other",
      cacheDir,
      hubUrl: "http://127.0.0.1:9",
    }).catch((e: unknown) => e);
    expect(isLlmError(error, "NETWORK_UNAVAILABLE")).toBe(true);
    await expect(downloadHubDataset({ repo: "org/other", cacheDir, offline: true })).rejects.toThrow(
      /Offline/,
    );
  });
});
