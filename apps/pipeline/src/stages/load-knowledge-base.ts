/**
 * The run's knowledge base (data/knowledge.json): the fictional entities and their split, written
 * by the data stage and read by pretraining (fact recall) and SFT (knowledge and refusal).
 */
import { readFile } from "node:fs/promises";
import type { KnowledgeBase } from "@llm/sft";
import type { RunDir } from "../run-dir.js";

export function knowledgeBasePath(run: RunDir): string {
  return run.paths.knowledge;
}

export async function loadKnowledgeBase(run: RunDir): Promise<KnowledgeBase> {
  return JSON.parse(await readFile(knowledgeBasePath(run), "utf8")) as KnowledgeBase;
}
