/**
 * Loads what chatting with a pipeline run needs: the run's tokenizer (tokenizer/tokenizer.json),
 * a model checkpoint of the chosen stage (sft/ or rl/, base/ for raw continuation), the QuickJS
 * tool sandbox (with search() over the run's corpus, data/train.jsonl and data/val.jsonl, when the
 * run has them), and an SftChatEngine over them. Reference: the run folder of architecture.md.
 * Leaves out: choosing a backend (the CLI calls initBackend first) and hot reloading.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { LlmError } from "@llm/core";
import { loadCheckpoint } from "@llm/model";
import { readRunSearchDocuments, SftChatEngine, ToolSandbox } from "@llm/sft";
import { BpeTokenizer } from "@llm/tokenizer";

export type ChatStage = "sft" | "rl" | "base";

export interface LoadedRun {
  engine: SftChatEngine;
  tokenizer: BpeTokenizer;
  sandbox: ToolSandbox;
  info: Record<string, unknown>;
  /** Frees the model's tensors and stops the sandbox worker. */
  dispose(): Promise<void>;
}

export async function loadRun(runDir: string, stage: ChatStage = "sft"): Promise<LoadedRun> {
  const root = resolve(runDir);
  if (!existsSync(root)) {
    throw new LlmError("FILE_NOT_FOUND", "The run folder does not exist.", {
      input: root,
      hint: "Train one first with `pnpm pipeline` (or pass --run runs/<name>).",
    });
  }
  const tokenizerPath = join(root, "tokenizer", "tokenizer.json");
  const checkpointDir = join(root, stage);
  if (!existsSync(join(checkpointDir, "config.json"))) {
    throw new LlmError("FILE_NOT_FOUND", `The run has no ${stage} checkpoint.`, {
      input: checkpointDir,
      hint: `Run the pipeline up to the ${stage} stage, or choose another with --stage.`,
    });
  }
  const tokenizer = await BpeTokenizer.load(tokenizerPath);
  const checkpoint = await loadCheckpoint(checkpointDir);
  const documents = await readRunSearchDocuments(root);
  const sandbox = await ToolSandbox.create(documents.length > 0 ? { search: { documents } } : {});
  const engine = new SftChatEngine({ model: checkpoint.model, tokenizer, sandbox });
  return {
    engine,
    tokenizer,
    sandbox,
    info: {
      run: root,
      stage,
      parameters: checkpoint.model.parameterCount(),
      config: checkpoint.config,
      step: checkpoint.state.step,
      searchDocuments: documents.length,
    },
    async dispose() {
      checkpoint.model.dispose();
      await sandbox.close();
    },
  };
}
