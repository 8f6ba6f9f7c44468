/** Test helper: initBackend(argv[2]) in a fresh process; prints the result or the error as JSON. */
import { isLlmError } from "@llm/core";
import { initBackend } from "../../init-backend.js";
import { vulkanDriverFilesOf } from "../gpu-stack-hint.js";

try {
  const info = await initBackend((process.argv[2] ?? "auto") as never, {
    loaders: { "tensorflow-gpu": async () => false, tensorflow: async () => false },
    vulkanDriverFiles: vulkanDriverFilesOf(process.env),
  });
  console.log(JSON.stringify({ name: info.name, skipped: info.skipped }));
} catch (error) {
  console.log(
    JSON.stringify(
      isLlmError(error) ? { code: error.code, message: error.message, hint: error.hint } : { message: String(error) },
    ),
  );
}
