/**
 * runCli: the `llm-engine` command line, taking argv and I/O functions as parameters so that it is
 * testable and never reads process state.
 *   chat    terminal chat over a checkpoint, with tool calls run in the sandbox
 *   run     run one tool snippet in the sandbox (optionally with search() over a run's documents)
 * Reference: nanochat's chat_cli.py. Leaves out: the web UI and OpenAI-compatible server (apps/chat).
 */
import type { Message, Tokenizer } from "@llm/core";
import {
  type CliFlagSpec,
  type CliFlags,
  type CliIo as CoreCliIo,
  flagNumber,
  flagString,
  LlmError,
  paint,
  parseCliFlags,
  requiredFlag,
} from "@llm/core";
import { type BackendName, initBackend, loadCheckpoint } from "@llm/model";
import { ByteTokenizer } from "@llm/sft/testing";
import { BpeTokenizer } from "@llm/tokenizer";
import { SftChatEngine } from "./chat-engine.js";
import { readRunSearchDocuments } from "./read-search-documents.js";
import { ToolSandbox } from "./tool-sandbox.js";

export interface CliIo extends CoreCliIo {
  /** Reads one line of user input (chat); undefined at end of input. */
  readLine?: (prompt: string) => Promise<string | undefined>;
  /** Whether to colour output. Default true. */
  color?: boolean;
}

export const USAGE = `llm-engine <command> [options]

commands:
  chat   <checkpoint dir> --tokenizer <tokenizer.json|bytes> [--temperature 0] [--top-k 0]
         [--max-tokens 256] [--no-tools] [--system <text>] [--backend auto]
  run    <code> [--search-run <run dir>] [--timeout-ms 1000]`;

/** Every flag llm-engine accepts (strict: any other is an error listing these). */
const FLAGS: CliFlagSpec = {
  backend: "string",
  "max-tokens": "string",
  "search-run": "string",
  system: "string",
  temperature: "string",
  "timeout-ms": "string",
  tokenizer: "string",
  "top-k": "string",
  "no-tools": "boolean",
};

const str = flagString;
const num = flagNumber;

async function loadTokenizer(spec: string): Promise<Tokenizer> {
  return spec === "bytes" ? new ByteTokenizer() : await BpeTokenizer.load(spec);
}

async function commandChat(positional: string[], flags: CliFlags, io: CliIo): Promise<number> {
  const dir = positional[0];
  if (dir === undefined) {
    throw new LlmError("INVALID_ARGUMENT", "chat needs a checkpoint folder.", {
      hint: "llm-engine chat <checkpoint dir> --tokenizer <file>",
    });
  }
  if (!io.readLine)
    throw new LlmError("INVALID_ARGUMENT", "chat needs an interactive input.", {
      hint: "Run it in a terminal.",
    });
  // the chat engine reads logits synchronously: not on webgpu
  await initBackend((str(flags, "backend") ?? "auto") as BackendName, { syncReads: true });
  const tokenizer = await loadTokenizer(requiredFlag(flags, "tokenizer", "See llm-engine --help."));
  const checkpoint = await loadCheckpoint(dir);
  const tools = !flags.has("no-tools");
  const sandbox = tools ? await ToolSandbox.create() : undefined;
  const engine = new SftChatEngine({ model: checkpoint.model, tokenizer, ...(sandbox ? { sandbox } : {}) });
  const color = io.color !== false;
  const dim = (s: string) => paint("gray", s, color);
  const history: Message[] = [];
  const system = str(flags, "system");
  if (system) history.push({ role: "system", content: system });
  io.out(dim("type a message; an empty line or Ctrl-D quits"));
  try {
    for (;;) {
      const line = await io.readLine("you> ");
      if (line === undefined || line.trim() === "") break;
      history.push({ role: "user", content: line });
      let text = "";
      for await (const event of engine.chat(history, {
        temperature: num(flags, "temperature") ?? 0,
        topK: num(flags, "top-k") ?? 0,
        maxTokens: num(flags, "max-tokens") ?? 256,
        tools,
      })) {
        if (event.type === "token") text += event.text;
        else if (event.type === "tool_output")
          text += dim(`\n[tool ${event.isError ? "error" : "output"}: ${event.output}]\n`);
        else if (event.type === "done") {
          history.push(...event.messages);
          if (event.reason !== "stop") text += dim(` [${event.reason}]`);
        }
      }
      io.out(`assistant> ${text}`);
    }
  } finally {
    engine.dispose();
    checkpoint.model.dispose();
    await sandbox?.close();
  }
  return 0;
}

async function commandRun(positional: string[], flags: CliFlags, io: CliIo): Promise<number> {
  const code = positional.join(" ");
  if (code.trim() === "") {
    throw new LlmError("INVALID_ARGUMENT", "run needs the code to run.", {
      hint: `llm-engine run '"strawberry".split("r").length - 1'`,
    });
  }
  const run = str(flags, "search-run");
  const timeoutMs = num(flags, "timeout-ms");
  const sandbox = await ToolSandbox.create({
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(run !== undefined ? { search: { documents: await readRunSearchDocuments(run) } } : {}),
  });
  try {
    const result = await sandbox.run(code);
    if (result.isError) {
      io.err(`${result.errorKind}: ${result.output}`);
      return 1;
    }
    io.out(result.output);
    return 0;
  } finally {
    await sandbox.close();
  }
}

/** Runs one command; returns the exit code. Errors are printed with their hint. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseCliFlags>;
  try {
    parsed = parseCliFlags(argv, FLAGS);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
  const { positional, flags } = parsed;
  const command = positional.shift();
  if (command === undefined || flags.has("help") || command === "help") {
    io.out(USAGE);
    return command === undefined && !flags.has("help") ? 1 : 0;
  }
  try {
    switch (command) {
      case "chat":
        return await commandChat(positional, flags, io);
      case "run":
        return await commandRun(positional, flags, io);
      default:
        io.err(`unknown command ${command}\n${USAGE}`);
        return 1;
    }
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}
