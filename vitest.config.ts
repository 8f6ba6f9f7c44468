/** Root vitest config: runs every package's and app's tests as projects (`npx vitest` from the root). */
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "apps/*", "tooling/consumer-test"],
  },
});
