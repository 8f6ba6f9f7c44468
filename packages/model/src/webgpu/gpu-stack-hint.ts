/**
 * gpuStackHint: when WebGPU finds no adapter, names what is missing on this machine (on Linux:
 * the Vulkan loader libvulkan.so.1, or a Vulkan driver's ICD file) and how to get it. Looks only
 * at the usual file locations, so it can be wrong on unusual layouts; the hint says what to
 * install either way. Reference: the Vulkan loader's ICD discovery (VK_DRIVER_FILES, icd.d
 * folders). Leaves out: probing drivers (Dawn does that).
 */
import { existsSync, readdirSync } from "node:fs";

const LOADER_DIRS = [
  "/usr/lib/x86_64-linux-gnu",
  "/usr/lib/aarch64-linux-gnu",
  "/usr/lib64",
  "/usr/lib",
  "/lib/x86_64-linux-gnu",
  "/lib/aarch64-linux-gnu",
  "/usr/local/lib",
];
const ICD_DIRS = ["/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"];

/** Whether libvulkan.so.1 sits in one of the usual library folders. */
export function hasVulkanLoader(): boolean {
  return LOADER_DIRS.some((dir) => existsSync(`${dir}/libvulkan.so.1`));
}

/** The Vulkan driver manifests (ICD json files) found in the usual folders. */
export function vulkanDrivers(): string[] {
  const found: string[] = [];
  for (const dir of ICD_DIRS) {
    try {
      for (const f of readdirSync(dir)) if (f.endsWith(".json")) found.push(`${dir}/${f}`);
    } catch {
      // folder absent
    }
  }
  return found;
}

/** What the hint may know about the process (apps pass what they read from process.env). */
export interface GpuStackEnvironment {
  /** The OS, default process.platform. */
  platform?: NodeJS.Platform;
  /** The Vulkan loader's VK_DRIVER_FILES (or older VK_ICD_FILENAMES), when the process sets it. */
  vulkanDriverFiles?: string | undefined;
}

/** The driver list the Vulkan loader is forced to, from an environment the caller passes (apps: process.env). */
export function vulkanDriverFilesOf(env: Readonly<Record<string, string | undefined>>): string | undefined {
  return env.VK_DRIVER_FILES ?? env.VK_ICD_FILENAMES;
}

/**
 * What is missing for WebGPU on this platform, and how to get it (one or two sentences). Reads
 * no environment variables itself: a forced driver list comes in `environment`.
 */
export function gpuStackHint(environment: GpuStackEnvironment = {}): {
  missing: string;
  hint: string;
} {
  const platform = environment.platform ?? process.platform;
  if (platform === "darwin") {
    return {
      missing: "a Metal adapter",
      hint: "WebGPU uses Metal, built into macOS 11+: update macOS, or run with --backend wasm.",
    };
  }
  if (platform === "win32") {
    return {
      missing: "a D3D12 adapter",
      hint: "Install your GPU vendor's current driver (D3D12), or run with --backend wasm.",
    };
  }
  const nvidia =
    "NVIDIA: the driver's Vulkan ICD (nvidia_icd.json; in containers NVIDIA_DRIVER_CAPABILITIES must include graphics)";
  if (!hasVulkanLoader()) {
    return {
      missing: "the Vulkan loader (libvulkan.so.1)",
      hint: `Install it (Debian/Ubuntu: apt install libvulkan1) and a Vulkan driver (AMD/Intel: mesa-vulkan-drivers; ${nvidia}), or run with --backend wasm.`,
    };
  }
  const forced = environment.vulkanDriverFiles;
  if (forced !== undefined) {
    return {
      missing: `a working Vulkan driver at VK_DRIVER_FILES=${forced}`,
      hint: `Point VK_DRIVER_FILES at an existing ICD json (or unset it), or run with --backend wasm. ${nvidia}.`,
    };
  }
  const drivers = vulkanDrivers();
  return {
    missing:
      drivers.length === 0
        ? "a Vulkan driver (no ICD file in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d)"
        : `a Vulkan driver Dawn accepts (found ${drivers.map((d) => d.split("/").pop()).join(", ")})`,
    hint: `Install a Vulkan driver (AMD/Intel: mesa-vulkan-drivers, Mesa 23+; ${nvidia}), or run with --backend wasm. Mesa older than 23 (Debian 12's 22.3) is rejected by Dawn: use bookworm-backports.`,
  };
}
