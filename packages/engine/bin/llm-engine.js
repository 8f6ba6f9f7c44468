#!/usr/bin/env node
// The llm-engine command. The CLI is compiled to dist/cli.js by the package build (published with it);
// this shim is committed so that installing the workspace links the command before any build.
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  console.error("llm-engine: dist/cli.js is missing; build the package first (pnpm build).");
  process.exit(1);
}
await import(cli.href);
