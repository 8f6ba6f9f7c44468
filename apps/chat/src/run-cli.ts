/**
 * runCli: `pnpm chat` as a function: terminal chat (default) or a local web page (--web) over a
 * pipeline run. Parses the flags strictly (@llm/core's parseCliOptions: a misspelt flag is an
 * error listing the valid ones) and picks the backend; everything else lives in the modules it
 * calls. cli.ts hands it the process's arguments, streams, working folder and Ctrl-C.
 * Reference: nanochat's chat_cli / chat_web. Leaves out: multi-model serving.
 */
import { hostname, networkInterfaces } from "node:os";
import { resolve } from "node:path";
import { isLlmError, parseCliOptions } from "@llm/core";
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
  --copy-guard        a tool call's strings can only copy your words (no copy loops), every call
  --no-copy-guard     no guard, number guards neither (default: as the run's probes, probes.copyGuard,
                      probes.numberGuardCalls and probes.answerGuard in its config.json)
  --loop-guard        no short piece repeated more than twice in a row in a tool call or the reply,
                      tool-call strings closed at 40 characters (no " V V V ..." loops; any words)
  --no-loop-guard     no loop guard (default: as the run's probes, probes.loopGuard)
  --tool-grammar      a tool call can only be a well-formed call of a sandbox tool
                      (count, search, Math.max, ...: name(literal, ...))
  --no-tool-grammar   no tool-call grammar (default: as the run's probes, probes.toolGrammar)
  --tool-output-room N|off
                      tokens kept free for the reply after a tool output: a longer output (a long
                      search hit) is cut to fit so the question stays in the model's context; off
                      forces outputs whole (default: the run's probes.toolOutputRoom, else seqLen / 4)
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

/** Every flag of `pnpm chat` (strict: any other is an error listing these). */
const OPTIONS = {
  run: { type: "string", default: "runs/small" },
  stage: { type: "string" },
  backend: { type: "string", default: "auto" },
  temperature: { type: "string", default: "0.7" },
  "max-tokens": { type: "string", default: "256" },
  "copy-guard": { type: "boolean", default: false },
  "no-copy-guard": { type: "boolean", default: false },
  "loop-guard": { type: "boolean", default: false },
  "no-loop-guard": { type: "boolean", default: false },
  "tool-grammar": { type: "boolean", default: false },
  "no-tool-grammar": { type: "boolean", default: false },
  "tool-output-room": { type: "string" },
  web: { type: "boolean", default: false },
  port: { type: "string", default: "8787" },
  host: { type: "string", default: "127.0.0.1" },
  "allow-remote": { type: "boolean", default: false },
  "allow-host": { type: "string", multiple: true, default: [] as string[] },
  help: { type: "boolean", short: "h", default: false },
} as const;

/** What the CLI reads and writes: the bin passes the process's streams. */
export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The terminal chat's input and output. */
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  /** The folder --run is relative to (where the user typed the command). */
  cwd: string;
  /** Resolves when the user asks the web server to stop (Ctrl-C). */
  stopped: () => Promise<void>;
}

/** Runs `pnpm chat` with `argv` (without the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await chat(argv, io);
  } catch (error) {
    io.err(
      isLlmError(error) ? `error ${error.code}: ${error.message}` : String((error as Error)?.stack ?? error),
    );
    return 1;
  }
}

async function chat(argv: readonly string[], io: CliIo): Promise<number> {
  let values: ReturnType<typeof parseCliOptions<typeof OPTIONS>>["values"];
  try {
    values = parseCliOptions(argv, OPTIONS, { allowPositionals: false }).values;
  } catch (error) {
    if (!isLlmError(error)) throw error;
    io.err(`error ${error.code}: ${error.message}`);
    return 2;
  }
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const chosen = values.stage as ChatStage | undefined;
  if (chosen !== undefined && !["sft", "rl", "base"].includes(chosen)) {
    io.err(`--stage must be rl, sft or base, got "${values.stage}".`);
    return 2;
  }
  const temperature = Number(values.temperature);
  const maxTokens = Number(values["max-tokens"]);
  const port = Number(values.port);
  if (!(temperature >= 0 && temperature <= 2) || !(maxTokens >= 1) || !Number.isInteger(port)) {
    io.err("--temperature must be in [0, 2], --max-tokens >= 1 and --port an integer.");
    return 2;
  }
  if (!LOOPBACK.has(values.host) && !values["allow-remote"]) {
    io.err(
      `Refusing to bind to ${values.host}: add --allow-remote to expose the server beyond this machine.`,
    );
    return 2;
  }
  // the chat engine reads logits synchronously: not on webgpu
  const backend = await initBackend(values.backend as Parameters<typeof initBackend>[0], { syncReads: true });
  // `pnpm chat` runs in apps/chat; --run is relative to where the user typed the command.
  if (values["copy-guard"] && values["no-copy-guard"]) {
    io.err("--copy-guard and --no-copy-guard contradict each other: pass one.");
    return 2;
  }
  if (values["loop-guard"] && values["no-loop-guard"]) {
    io.err("--loop-guard and --no-loop-guard contradict each other: pass one.");
    return 2;
  }
  if (values["tool-grammar"] && values["no-tool-grammar"]) {
    io.err("--tool-grammar and --no-tool-grammar contradict each other: pass one.");
    return 2;
  }
  const roomFlag = values["tool-output-room"];
  if (roomFlag !== undefined && roomFlag !== "off" && !/^\d+$/.test(roomFlag)) {
    io.err(`--tool-output-room takes a number of tokens or off, not ${roomFlag}.`);
    return 2;
  }
  const toolOutputRoom = roomFlag === undefined ? undefined : roomFlag === "off" ? false : Number(roomFlag);
  const toolGrammar = values["tool-grammar"] ? true : values["no-tool-grammar"] ? false : undefined;
  const copyGuard = values["copy-guard"] ? true : values["no-copy-guard"] ? false : undefined;
  const loopGuard = values["loop-guard"] ? true : values["no-loop-guard"] ? false : undefined;
  const run = await loadRun(resolve(io.cwd, values.run), chosen, {
    ...(copyGuard === undefined ? {} : { copyGuard }),
    ...(loopGuard === undefined ? {} : { loopGuard }),
    ...(toolGrammar === undefined ? {} : { toolGrammar }),
    ...(toolOutputRoom === undefined ? {} : { toolOutputRoom }),
  });
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
    io.out(`Serving ${values.run}, model ${stage} (${stageNote}).`);
    io.out(`Chat page: http://${host}:${address.port}/  (Ctrl-C to stop)`);
    await io.stopped();
    await server.close();
  } else {
    await runTerminalChat({
      engine: run.engine,
      tokenizer: run.tokenizer,
      input: io.stdin,
      output: io.stdout,
      temperature,
      maxTokens,
      banner: `Chatting with ${values.run}, model ${stage} (${stageNote}; ${String(info.parameters)} parameters, backend ${backend.name}; copy guard ${String(info.copyGuard)}, number guard ${String(info.numberGuard)}, ${String(info.copyGuardBy)}; word-step guard ${String(info.wordStepGuard)}; loop guard ${String(info.loopGuard)}, ${String(info.loopGuardBy)}; tool grammar ${String(info.toolGrammar)}, ${String(info.toolGrammarBy)}; tool output room ${String(info.toolOutputRoom)}, ${String(info.toolOutputRoomBy)}).`,
    });
  }
  await run.dispose();
  return 0;
}
