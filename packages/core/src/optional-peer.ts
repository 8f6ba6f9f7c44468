/**
 * importOptionalPeer / resolveOptionalPeer: load a package that a feature needs but the package
 * does not install (an optional peer dependency: comparison tokenizers, offline corpora, GPU
 * backends), and turn "module not found" into an LlmError("MISSING_DEPENDENCY") that names the
 * package to add. The caller passes the import or resolve itself, because a bare specifier resolves
 * from the file that imports it, not from @llm/core. Reference: Node's ERR_MODULE_NOT_FOUND /
 * MODULE_NOT_FOUND codes. Leaves out: version checks of the installed peer.
 */
import { LlmError } from "./errors.js";

/** True when `error` says that `pkg` (or a file inside it) could not be found. */
export function isModuleNotFound(error: unknown, pkg: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== "ERR_MODULE_NOT_FOUND" && code !== "MODULE_NOT_FOUND") return false;
  const message = String((error as { message?: unknown }).message ?? "");
  return message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`) || message.includes(`${pkg}/`);
}

function missingPeer(pkg: string, feature: string, cause: unknown): LlmError {
  return new LlmError("MISSING_DEPENDENCY", `${feature} needs the package ${pkg}, which is not installed.`, {
    input: pkg,
    hint: `Add it next to the @llm package that asked for it: npm install ${pkg}`,
    cause,
  });
}

/** Runs `load` (a dynamic import of `pkg`); a missing `pkg` becomes MISSING_DEPENDENCY. */
export async function importOptionalPeer<T>(
  pkg: string,
  feature: string,
  load: () => Promise<T>,
): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isModuleNotFound(error, pkg)) throw missingPeer(pkg, feature, error);
    throw error;
  }
}

/** Runs `resolve` (e.g. `require.resolve("pkg/file")`); a missing `pkg` becomes MISSING_DEPENDENCY. */
export function resolveOptionalPeer(pkg: string, feature: string, resolve: () => string): string {
  try {
    return resolve();
  } catch (error) {
    if (isModuleNotFound(error, pkg)) throw missingPeer(pkg, feature, error);
    throw error;
  }
}
