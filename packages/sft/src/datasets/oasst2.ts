/**
 * oasst2 (OpenAssistant Conversations 2): reads message rows in the dataset's own schema
 * (message_id, parent_id, message_tree_id, role "prompter" | "assistant", text, lang, rank,
 * deleted, review_result, synthetic, ...) from JSONL and flattens each parent_id tree into
 * conversations: every root-to-leaf path, or only the best-ranked path (the lowest `rank` among
 * siblings at each step; unranked siblings come after ranked ones). Deleted messages, messages
 * that failed review, and messages in other languages are dropped together with their subtrees.
 * A path must alternate user/assistant and end with an assistant message (a trailing prompter
 * message is cut off).
 * Reference: the OpenAssistant/oasst2 dataset card, TRL's oasst examples.
 * Leaves out: Parquet input (convert with any Parquet tool to JSONL), emoji/label metadata.
 */
import type { Conversation } from "@llm/core";
import { LlmError } from "@llm/core";

/** One oasst2 message row (the fields we use; the others are kept but ignored). */
export interface Oasst2Row {
  message_id: string;
  parent_id: string | null;
  message_tree_id: string;
  role: "prompter" | "assistant";
  text: string;
  lang: string;
  /** 0 = best among its siblings; null when unranked. */
  rank: number | null;
  deleted: boolean;
  review_result: boolean | null;
  synthetic?: boolean;
  [field: string]: unknown;
}

export interface Oasst2Options {
  /** "all-paths" (default): every root-to-leaf path; "best-path": one path per tree by rank. */
  mode?: "all-paths" | "best-path";
  /** Languages to keep (e.g. ["en", "zh"]); default: all. */
  languages?: readonly string[];
  /** Drop messages whose review_result is false. Default true. */
  dropFailedReview?: boolean;
  /** Drop synthetic messages. Default false. */
  dropSynthetic?: boolean;
}

/** Parses oasst2 JSONL text (one message per line) into rows, checking the fields we rely on. */
export function parseOasst2Jsonl(text: string, source = "oasst2.jsonl"): Oasst2Row[] {
  const rows: Oasst2Row[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() === "") return;
    let row: Oasst2Row;
    try {
      row = JSON.parse(line) as Oasst2Row;
    } catch (error) {
      throw new LlmError("FILE_CORRUPT", `Line ${index + 1} of ${source} is not valid JSON.`, {
        input: `${source}:${index + 1}`,
        hint: "Each line must be one oasst2 message object.",
        cause: error,
      });
    }
    for (const field of ["message_id", "message_tree_id", "role", "text"] as const) {
      if (typeof row[field] !== "string") {
        throw new LlmError(
          "INVALID_INPUT",
          `Line ${index + 1} of ${source} lacks the string field ${field}.`,
          {
            input: `${source}:${index + 1}`,
            hint: "Rows must follow the oasst2 schema (message_id, parent_id, message_tree_id, role, text, lang, rank, deleted, ...).",
          },
        );
      }
    }
    rows.push(row);
  });
  return rows;
}

function byRank(a: Oasst2Row, b: Oasst2Row): number {
  const ra = a.rank ?? Number.POSITIVE_INFINITY;
  const rb = b.rank ?? Number.POSITIVE_INFINITY;
  return ra - rb;
}

/** Flattens oasst2 rows into conversations (see the file docstring for the rules). */
export function flattenOasst2(rows: readonly Oasst2Row[], options: Oasst2Options = {}): Conversation[] {
  const mode = options.mode ?? "all-paths";
  const languages = options.languages ? new Set(options.languages) : undefined;
  const dropFailedReview = options.dropFailedReview ?? true;
  const keep = (row: Oasst2Row) =>
    !row.deleted &&
    !(dropFailedReview && row.review_result === false) &&
    !(options.dropSynthetic && row.synthetic) &&
    (languages === undefined || languages.has(row.lang));
  const children = new Map<string, Oasst2Row[]>();
  const roots: Oasst2Row[] = [];
  for (const row of rows) {
    if (row.parent_id === null || row.parent_id === undefined) roots.push(row);
    else {
      const list = children.get(row.parent_id) ?? [];
      list.push(row);
      children.set(row.parent_id, list);
    }
  }
  const conversations: Conversation[] = [];
  const emit = (path: Oasst2Row[]) => {
    const trimmed = path[path.length - 1]?.role === "prompter" ? path.slice(0, -1) : path;
    if (trimmed.length < 2) return;
    conversations.push({
      messages: trimmed.map((row) => ({
        role: row.role === "prompter" ? "user" : "assistant",
        content: row.text,
      })),
      source: "oasst2",
      metadata: {
        treeId: trimmed[0]?.message_tree_id,
        lang: trimmed[0]?.lang,
        leafId: trimmed[trimmed.length - 1]?.message_id,
      },
    });
  };
  const walk = (row: Oasst2Row, path: Oasst2Row[]) => {
    const next = [...path, row];
    // Only alternating paths are conversations: a child must have the other role.
    const kids = (children.get(row.message_id) ?? []).filter(
      (child) => keep(child) && child.role !== row.role,
    );
    if (kids.length === 0) return emit(next);
    if (mode === "best-path") {
      const best = [...kids].sort(byRank)[0] as Oasst2Row;
      return walk(best, next);
    }
    for (const child of kids) walk(child, next);
  };
  for (const root of roots) if (keep(root) && root.role === "prompter") walk(root, []);
  return conversations;
}
