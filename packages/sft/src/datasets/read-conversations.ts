/**
 * readConversations: loads conversations from a .jsonl file (one {"messages": [...]} per line) or
 * a .json file (one conversation, an array of them, or a bare message array), with errors that
 * name the file and line (JSONL through @llm/core's parseJsonl). Used by the CLI and by apps reading user-supplied SFT data.
 * Reference: the JSONL conversation files of TRL and nanochat's CustomJSON task.
 * Leaves out: schema validation of each message beyond its shape.
 */
import { readFile } from "node:fs/promises";
import type { Conversation } from "@llm/core";
import { LlmError, parseJsonl } from "@llm/core";

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
  if (path.endsWith(".jsonl")) {
    return parseJsonl<unknown>(text, path, {
      hint: CONVERSATION_HINT,
      check: (value) => (asConversation(value) ? undefined : "is not a conversation"),
    }).map((value) => asConversation(value) as Conversation);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LlmError("FILE_CORRUPT", `${path} is not valid JSON.`, {
      input: path,
      hint: "Fix the JSON.",
      cause: error,
    });
  }
  if (Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && "messages" in v)) {
    return value as Conversation[];
  }
  const conversation = asConversation(value);
  if (!conversation) {
    throw new LlmError("INVALID_INPUT", `${path} is not a conversation.`, {
      input: path,
      hint: CONVERSATION_HINT,
    });
  }
  return [conversation];
}

const CONVERSATION_HINT = 'Write {"messages": [{"role": "user", "content": "..."}, ...]}.';

/** A conversation object, or a bare message array as one; undefined for anything else. */
function asConversation(value: unknown): Conversation | undefined {
  const conversation = (Array.isArray(value) ? { messages: value } : value) as Conversation | null;
  return Array.isArray(conversation?.messages) ? conversation : undefined;
}
