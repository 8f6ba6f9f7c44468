/**
 * runCli: the llm-tokenizer command line as a function (cli.ts calls it with process.argv), so
 * tests run it in-process. Subcommands train, encode, decode, compare and stats, each with
 * --help; flags parsed with @llm/core's parseCliOptions (strict: a misspelt flag is an error
 * listing the valid ones); output goes through the given `io`.
 * Reference: the tiktoken / HF tokenizers CLIs in spirit. Leaves out: interactive modes and
 * colour detection beyond --no-color.
 */
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  acquireRunLock,
  type CliIo as CoreCliIo,
  isLlmError,
  type Listeners,
  LlmError,
  parseCliOptions,
  TOKENIZER_FILES,
  type Tokenizer,
} from "@llm/core";
import { bytesPerToken } from "./bytes-per-token.js";
import { compareTokenizers } from "./compare-tokenizers.js";
import { COMPARISON_TOKENIZERS, type ComparisonTokenizerName } from "./comparison-tokenizers.js";
import { loadTokenizer } from "./load-tokenizer.js";
import { DEFAULT_PATTERN } from "./pattern.js";
import { readDocuments } from "./read-documents.js";
import { renderHtml } from "./render-html.js";
import { renderTerminal } from "./render-terminal.js";
import { saveTiktokenFile } from "./tiktoken-file.js";
import { trainBpe } from "./train-bpe.js";

const HELP: Record<"main" | "train" | "encode" | "decode" | "compare" | "stats", string> = {
  main: `llm-tokenizer <command> [options]

Commands:
  train     train a byte-level BPE tokenizer on text files
  encode    text -> ids
  decode    ids -> text
  compare   show how several tokenizers cut the same text
  stats     bytes per token of tokenizers on files

Run llm-tokenizer <command> --help for its options.
Tokenizers (--tokenizer): a tokenizer.json (ours or Hugging Face), a .tiktoken file, or one of
${COMPARISON_TOKENIZERS.join(", ")}.`,
  train: `llm-tokenizer train --input <file>... --out <dir> [options]

  --input, -i <file>       training text: .jsonl ("text" field per line) or any text file; repeatable
  --out, -o <dir>          output folder: writes tokenizer.json (and tokenizer.tiktoken with --tiktoken)
  --vocab-size <n>         ids in all: 256 bytes + merges + 9 special tokens (default 4096)
  --pattern <regex>        pre-split pattern, tiktoken syntax (default: GPT-4's with 1-2 digit numbers)
  --max-chars <n>          characters used in all (default: all)
  --max-chars-per-doc <n>  characters used per document (default: all)
  --name <name>            tokenizer name (default bpe-<vocab size>)
  --tiktoken               also write the .tiktoken rank file`,
  encode: `llm-tokenizer encode --tokenizer <t> [--text <text> | --file <file>] [options]

  --tokenizer, -t <t>   tokenizer (default cl100k_base)
  --text <text>         text to encode (default: read stdin)
  --file <file>         file to encode
  --allow-special       let special-token text (e.g. <|bos|>) become special ids
  --pieces              print one token per line: id and its text`,
  decode: `llm-tokenizer decode --tokenizer <t> <id>...

  --tokenizer, -t <t>   tokenizer (default cl100k_base)
  ids may also be given as one comma- or space-separated argument`,
  compare: `llm-tokenizer compare [options] <text>...

  --tokenizers <list>   comma-separated names (default: ${COMPARISON_TOKENIZERS.join(",")})
  --tokenizer, -t <t>   add another tokenizer (a file); repeatable
  --ids                 print the ids too
  --no-color            separate tokens with | instead of colours
  --html <file>         also write an HTML page`,
  stats: `llm-tokenizer stats --input <file>... [options]

  --input, -i <file>    text files (.jsonl: "text" per line); repeatable
  --tokenizers <list>   comma-separated names (default: ${COMPARISON_TOKENIZERS.join(",")})
  --tokenizer, -t <t>   add another tokenizer (a file); repeatable`,
};

function number(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new LlmError("INVALID_ARGUMENT", `${flag} must be a positive number.`, {
      input: `${flag} ${value}`,
    });
  return parsed;
}

/** Where the CLI writes and reads. */
export interface CliIo extends CoreCliIo {
  /** All of standard input. */
  stdin: () => Promise<string>;
}

let io: CliIo;

/** Listeners that print warnings (e.g. bytes of an input file that are not UTF-8). */
function warnings(cliIo: CliIo): Listeners {
  return { onLog: (event) => cliIo.err(`[${event.level}] ${event.message}`) };
}

async function tokenizersFrom(list: string | undefined, extra: string[] | undefined): Promise<Tokenizer[]> {
  const names = (list ?? COMPARISON_TOKENIZERS.join(",")).split(",").filter(Boolean);
  return Promise.all(
    [...names, ...(extra ?? [])].map((spec) => loadTokenizer(spec as ComparisonTokenizerName)),
  );
}

async function train(args: string[]): Promise<void> {
  const { values } = parseCliOptions(
    args,
    {
      input: { type: "string", short: "i", multiple: true },
      out: { type: "string", short: "o" },
      "vocab-size": { type: "string" },
      pattern: { type: "string" },
      "max-chars": { type: "string" },
      "max-chars-per-doc": { type: "string" },
      name: { type: "string" },
      tiktoken: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    { allowPositionals: false },
  );
  if (values.help) return void io.out(HELP.train);
  if (!values.input?.length || !values.out)
    throw new LlmError("INVALID_ARGUMENT", "train needs --input and --out.", {
      hint: "See llm-tokenizer train --help.",
    });
  // One writer per output folder (LOCKED while another live process writes it, e.g. the pipeline).
  const lock = await acquireRunLock(values.out, { command: "llm-tokenizer train", listeners: warnings(io) });
  try {
    await trainInto(values.out, values as TrainValues);
  } finally {
    await lock.release();
  }
}

interface TrainValues {
  input: string[];
  "vocab-size"?: string;
  pattern?: string;
  "max-chars"?: string;
  "max-chars-per-doc"?: string;
  name?: string;
  tiktoken?: boolean;
}

async function trainInto(out: string, values: TrainValues): Promise<void> {
  const vocabSize = number(values["vocab-size"], "--vocab-size", 4096);
  const start = performance.now();
  let lastPercent = -1;
  const tokenizer = await trainBpe(
    readDocuments(values.input, warnings(io)),
    {
      vocabSize,
      pattern: values.pattern ?? DEFAULT_PATTERN,
      maxChars: number(values["max-chars"], "--max-chars", Number.POSITIVE_INFINITY),
      maxCharsPerDoc: number(values["max-chars-per-doc"], "--max-chars-per-doc", Number.POSITIVE_INFINITY),
      ...(values.name ? { name: values.name } : {}),
    },
    {
      onLog: (event) => io.err(`[${event.level}] ${event.message}`),
      onProgress: (event) => {
        if (event.unit !== "merges" || event.total === undefined) return;
        const percent = Math.floor((100 * event.done) / event.total);
        if (percent >= lastPercent + 10 || event.done === event.total) {
          lastPercent = percent;
          io.err(`merges ${event.done}/${event.total} (${percent}%)`);
        }
      },
    },
  );
  const path = join(out, TOKENIZER_FILES.json);
  await tokenizer.save(path);
  io.out(`wrote ${path}: ${tokenizer.vocabSize} ids in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  if (values.tiktoken) {
    const rankPath = join(out, TOKENIZER_FILES.tiktoken);
    await saveTiktokenFile(tokenizer, rankPath);
    io.out(`wrote ${rankPath}`);
  }
}

async function encode(args: string[]): Promise<void> {
  const { values } = parseCliOptions(
    args,
    {
      tokenizer: { type: "string", short: "t" },
      text: { type: "string" },
      file: { type: "string" },
      "allow-special": { type: "boolean" },
      pieces: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    { allowPositionals: false },
  );
  if (values.help) return void io.out(HELP.encode);
  const tokenizer = await loadTokenizer(values.tokenizer ?? "cl100k_base");
  const text =
    values.text ??
    (values.file
      ? ((await readDocuments([values.file], warnings(io)).next()).value ?? "")
      : await io.stdin());
  const ids = tokenizer.encode(text, values["allow-special"] ? { allowedSpecial: "all" } : {});
  if (values.pieces) {
    const decoder = new TextDecoder();
    for (const id of ids) io.out(`${id}\t${JSON.stringify(decoder.decode(tokenizer.tokenBytes(id)))}`);
  } else {
    io.out(ids.join(" "));
  }
}

async function decode(args: string[]): Promise<void> {
  const { values, positionals } = parseCliOptions(args, {
    tokenizer: { type: "string", short: "t" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void io.out(HELP.decode);
  const ids = positionals
    .flatMap((p) => p.split(/[\s,]+/))
    .filter(Boolean)
    .map(Number);
  if (ids.some((id) => !Number.isInteger(id)))
    throw new LlmError("INVALID_ARGUMENT", "decode takes integer ids.", { input: positionals.join(" ") });
  const tokenizer = await loadTokenizer(values.tokenizer ?? "cl100k_base");
  io.out(tokenizer.decode(ids));
}

async function compare(args: string[]): Promise<void> {
  const { values, positionals } = parseCliOptions(args, {
    tokenizers: { type: "string" },
    tokenizer: { type: "string", short: "t", multiple: true },
    ids: { type: "boolean" },
    "no-color": { type: "boolean" },
    html: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) return void io.out(HELP.compare);
  const text = positionals.length > 0 ? positionals.join(" ") : await io.stdin();
  const comparison = await compareTokenizers(text, await tokenizersFrom(values.tokenizers, values.tokenizer));
  io.out(renderTerminal(comparison, { color: !values["no-color"], showIds: values.ids ?? false }).trimEnd());
  if (values.html) {
    await writeFile(values.html, renderHtml(comparison));
    io.out(`wrote ${values.html}`);
  }
}

async function stats(args: string[]): Promise<void> {
  const { values } = parseCliOptions(
    args,
    {
      input: { type: "string", short: "i", multiple: true },
      tokenizers: { type: "string" },
      tokenizer: { type: "string", short: "t", multiple: true },
      help: { type: "boolean", short: "h" },
    },
    { allowPositionals: false },
  );
  if (values.help) return void io.out(HELP.stats);
  if (!values.input?.length)
    throw new LlmError("INVALID_ARGUMENT", "stats needs --input.", {
      hint: "See llm-tokenizer stats --help.",
    });
  const documents: string[] = [];
  for await (const doc of readDocuments(values.input, warnings(io))) documents.push(doc);
  const rows = bytesPerToken(await tokenizersFrom(values.tokenizers, values.tokenizer), documents);
  io.out("tokenizer          tokens      bytes/token");
  for (const row of rows)
    io.out(`${row.name.padEnd(18)} ${String(row.tokens).padStart(10)}  ${row.bytesPerToken.toFixed(3)}`);
  io.out(`${rows[0]?.documents ?? 0} documents, ${rows[0]?.bytes ?? 0} bytes`);
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { train, encode, decode, compare, stats };

/** Runs one command line (without the program name); resolves to the exit code. */
export async function runCli(argv: string[], cliIo: CliIo): Promise<number> {
  io = cliIo;
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === "--help" || command === "-h" || command === "help") {
      io.out(HELP.main);
      return 0;
    }
    const run = COMMANDS[command];
    if (!run)
      throw new LlmError("INVALID_ARGUMENT", `Unknown command ${command}.`, {
        input: command,
        hint: "Run llm-tokenizer --help.",
      });
    await run(rest);
    return 0;
  } catch (error) {
    io.err(
      isLlmError(error) || error instanceof TypeError
        ? `llm-tokenizer: ${(error as Error).message}`
        : String((error as Error)?.stack ?? error),
    );
    return 1;
  }
}
