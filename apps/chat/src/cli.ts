#!/usr/bin/env node
/**
 * `pnpm chat`: terminal chat (default) or a local web page (--web) over a pipeline run.
 * Reads argv and picks the backend; everything else lives in the modules it calls.
 * Reference: nanochat's chat_cli / chat_web. Leaves out: multi-model serving.
 */
import { hostname, networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { isLlmError } from "@llm/core";
import { initBackend } from "@llm/model";
import { ChatServer } from "./chat-server.js";
import { type ChatStage, loadRun } from "./load-run.js";
import { runTerminalChat } from "./terminal-chat.js";

const HELP = `Usage: pnpm chat [options]

Chat with a model trained by \`pnpm pipeline\`.

Options:
  --run DIR           run folder (default runs/small)
  --stage STAGE       rl | sft | base (default: the run's last finished stage, rl, else sft, else base)
  --backend NAME      auto | wasm | cpu | tensorflow | tensorflow-gpu (default auto; not webgpu:
                      the chat engine reads logits synchronously)
  --temperature X     sampling temperature, 0 = greedy (default 0.7)
  --max-tokens N      new tokens per reply (default 256)
  --web               serve the chat page and the OpenAI-compatible API instead
  --port N            web port (default 8787)
  --host ADDR         web bind address (default 127.0.0.1; others need --allow-remote)
  --allow-remote      allow binding to a non-loopback address (no authentication!); also answers
                      requests addressed to this machine's hostname and interface addresses
  --allow-host NAME   also answer requests whose Host header is NAME (repeatable)
  -h, --help          this help

Terminal commands: /reset, /temperature X, /tokens, /help, /quit.
Web endpoints: GET / (page), POST /v1/chat/completions (JSON or SSE), GET /v1/models,
POST /api/tokenize, GET /api/info.`;

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      run: { type: "string", default: "runs/small" },
      stage: { type: "string" },
      backend: { type: "string", default: "auto" },
      temperature: { type: "string", default: "0.7" },
      "max-tokens": { type: "string", default: "256" },
      web: { type: "boolean", default: false },
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      "allow-remote": { type: "boolean", default: false },
      "allow-host": { type: "string", multiple: true, default: [] },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const chosen = values.stage as ChatStage | undefined;
  if (chosen !== undefined && !["sft", "rl", "base"].includes(chosen)) {
    console.error(`--stage must be rl, sft or base, got "${values.stage}".`);
    return 2;
  }
  const temperature = Number(values.temperature);
  const maxTokens = Number(values["max-tokens"]);
  const port = Number(values.port);
  if (!(temperature >= 0 && temperature <= 2) || !(maxTokens >= 1) || !Number.isInteger(port)) {
    console.error("--temperature must be in [0, 2], --max-tokens >= 1 and --port an integer.");
    return 2;
  }
  if (!LOOPBACK.has(values.host) && !values["allow-remote"]) {
    console.error(
      `Refusing to bind to ${values.host}: add --allow-remote to expose the server beyond this machine.`,
    );
    return 2;
  }
  // the chat engine reads logits synchronously: not on webgpu
  const backend = await initBackend(values.backend as Parameters<typeof initBackend>[0], { syncReads: true });
  // `pnpm chat` runs in apps/chat; --run is relative to where the user typed the command.
  const run = await loadRun(resolve(process.env.INIT_CWD ?? process.cwd(), values.run), chosen);
  const stage = String(run.info.stage);
  const stageNote = chosen ? "chosen with --stage" : "the run's last finished stage";
  const info: Record<string, unknown> = { ...run.info, backend: backend.name };
  if (values.web) {
    const allowedHosts = [...values["allow-host"]];
    if (values["allow-remote"]) {
      allowedHosts.push(hostname());
      for (const entries of Object.values(networkInterfaces())) {
        for (const entry of entries ?? []) allowedHosts.push(entry.address);
      }
    }
    const server = new ChatServer({
      engine: run.engine,
      tokenizer: run.tokenizer,
      staticDir: new URL("../public", import.meta.url).pathname,
      info,
      limits: { defaultMaxTokens: Math.min(maxTokens, 512) },
      allowedHosts,
    });
    const address = await server.listen(port, values.host);
    const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
    console.log(`Serving ${values.run}, model ${stage} (${stageNote}).`);
    console.log(`Chat page: http://${host}:${address.port}/  (Ctrl-C to stop)`);
    await new Promise<void>((resolvePromise) => process.once("SIGINT", () => resolvePromise()));
    await server.close();
  } else {
    await runTerminalChat({
      engine: run.engine,
      tokenizer: run.tokenizer,
      input: process.stdin,
      output: process.stdout,
      temperature,
      maxTokens,
      banner: `Chatting with ${values.run}, model ${stage} (${stageNote}; ${String(info.parameters)} parameters, backend ${backend.name}).`,
    });
  }
  await run.dispose();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(isLlmError(error) ? `error ${error.code}: ${error.message}` : error);
    process.exit(1);
  },
);
