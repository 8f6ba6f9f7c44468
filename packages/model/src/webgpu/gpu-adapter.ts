/**
 * GpuAdapter: what a WebGPU adapter says about itself (vendor, architecture, device,
 * description) and whether it is a software rasteriser (lavapipe/llvmpipe, SwiftShader, WARP)
 * rather than a GPU, plus the one-line label logs and reports print. Reference: the WebGPU
 * spec's GPUAdapterInfo and isFallbackAdapter. Leaves out: limits and features.
 */

/** The adapter a webgpu backend runs on, as recorded in a run's config.json and report. */
export interface GpuAdapter {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a software adapter (CPU emulation): never reported as a GPU. */
  software: boolean;
}

/** The parts of GPUAdapterInfo we read (Dawn fills all four; browsers may leave some empty). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|swiftshader|softpipe|microsoft basic render|\bwarp\b/i;

/** Reads an adapter's info; software when the adapter says so or names a known CPU rasteriser. */
export function describeAdapter(info: AdapterInfoLike, isFallbackAdapter = false): GpuAdapter {
  const vendor = info.vendor ?? "";
  const architecture = info.architecture ?? "";
  const device = info.device ?? "";
  const description = info.description ?? "";
  const software =
    isFallbackAdapter ||
    info.isFallbackAdapter === true ||
    architecture.toLowerCase() === "software" ||
    SOFTWARE_NAMES.test(`${device} ${description}`);
  return { vendor, architecture, device, description, software };
}

/** "software adapter mesa llvmpipe (...), not a GPU" or "GPU nvidia ampere (NVIDIA RTX 3060)". */
export function adapterLabel(adapter: GpuAdapter): string {
  const name = [adapter.vendor, adapter.architecture].filter((s) => s !== "").join(" ") || "unknown";
  const detail = adapter.description || adapter.device;
  const tail = detail ? ` (${detail})` : "";
  return adapter.software ? `software adapter ${name}${tail}, not a GPU` : `GPU ${name}${tail}`;
}
