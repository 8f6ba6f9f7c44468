/**
 * readConversations: loads conversations from a .jsonl file (one {"messages": [...]} per line) or
 * a .json file (one conversation, an array of them, or a bare message array), with errors that
 * name the file and line. Used by the CLI and by apps reading user-supplied SFT data.
 * Reference: the JSONL conversation files of TRL and nanochat's CustomJSON task.
 * Leaves out: schema validation of each message beyond its shape.
 */
import { readFile } from "node:fs/promises";
import type { Conversation } from "@llm/core";
import { LlmError } from "@llm/core";

/** Reads conversations from a .json file (one conversation or an array) or a .jsonl file (one per line). */
export async function readConversations(path: string): Promise<Conversation[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new LlmError("FILE_NOT_FOUND", `Cannot read ${path}.`, {
      input: path,
      hint: "Check the path.",
      cause: error,
    });
  }
  const parse = (json: string, where: string): Conversation => {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new LlmError("FILE_CORRUPT", `${where} is not valid JSON.`, {
        input: where,
        hint: "Fix the JSON.",
        cause: error,
      });
    }
    const conversation = (Array.isArray(value) ? { messages: value } : value) as Conversation;
    if (!Array.isArray(conversation?.messages)) {
      throw new LlmError("INVALID_INPUT", `${where} is not a conversation.`, {
        input: where,
        hint: 'Write {"messages": [{"role": "user", "content": "..."}, ...]}.',
      });
    }
    return conversation;
  };
  if (path.endsWith(".jsonl")) {
    return text
      .split("\n")
      .map((line, i) => [line, i] as const)
      .filter(([line]) => line.trim() !== "")
      .map(([line, i]) => parse(line, `${path}:${i + 1}`));
  }
  const value = JSON.parse(text) as unknown;
  if (Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && "messages" in v)) {
    return value as Conversation[];
  }
  return [parse(text, path)];
}
