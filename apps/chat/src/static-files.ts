/**
 * Serves the chat page's static files from one folder, refusing anything that would resolve
 * outside it (`..`, encoded traversal, absolute paths, NUL bytes) and anything not on the
 * known-extension list. Reference: the path checks of serve-static / send. Leaves out:
 * caching headers beyond no-store, range requests and compression.
 */
import { readFile } from "node:fs/promises";
import { extname, isAbsolute, relative, resolve, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * Returns the file for a URL path under `root`, or undefined when the path is unsafe,
 * has an unknown extension or does not exist.
 */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  const relativePath = decoded.replace(/^\/+/, "") || "index.html";
  if (isAbsolute(relativePath)) return undefined;
  const base = resolve(root);
  const target = resolve(base, relativePath);
  const rel = relative(base, target);
  if (rel === "" || rel.startsWith("..") || rel.split(sep).includes("..") || isAbsolute(rel))
    return undefined;
  const contentType = TYPES[extname(target).toLowerCase()];
  if (!contentType) return undefined;
  try {
    return { body: await readFile(target), contentType };
  } catch {
    return undefined;
  }
}
