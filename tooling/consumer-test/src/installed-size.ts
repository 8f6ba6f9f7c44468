/**
 * installedSize: the bytes a package installs on its own, measured inside an npm install: the
 * package's folder plus the folders of every package it pulls in (dependencies and required peer
 * dependencies, resolved the way Node resolves them: the nearest node_modules upwards), each
 * counted once. Optional peers are left out, as npm leaves them out. Reference: Node's module
 * resolution; what `du -sb` reports for a fresh project that installs only that package.
 * Leaves out: file system block rounding (apparent sizes) and lifecycle-script downloads.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const MB = 1024 * 1024;

/** The TensorFlow.js engine every model-running package needs, reported apart. */
export const ENGINE_PACKAGES = [
  "@tensorflow/tfjs-core",
  "@tensorflow/tfjs-backend-wasm",
  "@tensorflow/tfjs-backend-cpu",
];

export interface InstalledSize {
  bytes: number;
  /** Bytes of ENGINE_PACKAGES within `bytes`. */
  engineBytes: number;
  /** Every package counted, by name. */
  packages: string[];
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Apparent size of a folder's files, nested node_modules left out (those are packages of their own). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "node_modules") total += folderBytes(path);
    } else if (entry.isFile()) {
      total += lstatSync(path).size;
    }
  }
  return total;
}

/** The folder `name` resolves to from `fromDir` (a package folder), or undefined. */
function resolvePackage(name: string, fromDir: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function installedSize(projectDir: string, name: string): InstalledSize {
  const root = resolvePackage(name, projectDir);
  if (root === undefined) throw new Error(`${name} is not installed in ${projectDir}`);
  const seen = new Map<string, string>(); // folder -> package name
  const queue = [root];
  while (queue.length > 0) {
    const dir = queue.pop()!;
    if (seen.has(dir)) continue;
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
    seen.set(dir, manifest.name);
    const optional = manifest.peerDependenciesMeta ?? {};
    const wanted = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.optionalDependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}).filter((peer) => optional[peer]?.optional !== true),
    ];
    for (const dep of wanted) {
      const found = resolvePackage(dep, dir);
      // an optional dependency (a platform binary of another OS) is not installed: nothing to count
      if (found !== undefined) queue.push(found);
    }
  }
  let bytes = 0;
  let engineBytes = 0;
  for (const [dir, pkg] of seen) {
    const size = folderBytes(dir);
    bytes += size;
    if (ENGINE_PACKAGES.includes(pkg)) engineBytes += size;
  }
  return { bytes, engineBytes, packages: [...seen.values()].sort() };
}
