/**
 * The real sentences that sft.wordCount.corpusTextShare gives word counting: @llm/sft's
 * corpusSentences of the run's training corpus (data/train.jsonl), its prose only (the task and
 * knowledge documents the data stage adds are templates, not English a learner writes). SFT and
 * RL's SFT replay read them here, so both build the same mixture. A sentence that is a run of
 * words of a natural-phrasing word-count eval prompt (@llm/probes, normalised) is left out, so the
 * eval texts never train, whatever the corpus holds. Reference: readDocumentsJsonl (documents-jsonl.ts). Leaves
 * out: data/val.jsonl (held out from everything that trains).
 */
import { LlmError } from "@llm/core";
import { naturalPrompts, normalizePrompt } from "@llm/probes";
import { corpusSentences } from "@llm/sft";
import { readDocumentsJsonl } from "../documents-jsonl.js";
import type { PipelineConfig } from "../pipeline-config.js";
import type { RunDir } from "../run-dir.js";

const GENERATED_SOURCES = new Set(["task", "knowledge"]);

/** The corpus sentences of a run for word counting, or undefined when corpusTextShare is 0 or unset. */
export async function wordCountTexts(run: RunDir, config: PipelineConfig): Promise<string[][] | undefined> {
  const w = config.sft.wordCount;
  if (!((w?.corpusTextShare ?? 0) > 0)) return undefined;
  const prose: string[] = [];
  for await (const d of readDocumentsJsonl(run.paths.trainDocuments))
    if (!GENERATED_SOURCES.has(String(d.metadata?.source ?? ""))) prose.push(d.text);
  const evalPrompts = naturalPrompts().wordCount.map((p) => ` ${normalizePrompt(p)} `);
  const texts = corpusSentences(prose, { minWords: w?.minWords ?? 3, maxWords: w?.maxWords ?? 10 }).filter(
    (t) => !isEvalText(t, evalPrompts),
  );
  if (texts.length === 0) {
    throw new LlmError(
      "INVALID_CONFIG",
      "sft.wordCount.corpusTextShare found no plain sentences in the corpus.",
      {
        input: run.paths.trainDocuments,
        hint: "Set sft.wordCount.corpusTextShare to 0, or use a corpus with prose (data.sources).",
      },
    );
  }
  return texts;
}

/** Whether `words` (lower-cased) are a run of whole words of one of the normalised eval prompts. */
export function isEvalText(words: readonly string[], evalPrompts: readonly string[]): boolean {
  const run = ` ${words.join(" ").toLowerCase()} `;
  return evalPrompts.some((p) => p.includes(run));
}
