/**
 * oasst2 (OpenAssistant Conversations 2): reads message rows in the dataset's own schema
 * (message_id, parent_id, message_tree_id, role "prompter" | "assistant", text, lang, rank,
 * deleted, review_result, synthetic, ...) from JSONL and flattens each parent_id tree into
 * conversations: every root-to-leaf path, or only the best-ranked path (the lowest `rank` among
 * siblings at each step; unranked siblings come after ranked ones). Deleted messages, messages
 * that failed review, and messages in other languages are dropped together with their subtrees.
 * A path must alternate user/assistant and end with an assistant message: a prompter message
 * nobody answered is not followed, so all-paths never emits a cut-off copy of a longer path.
 * Both published JSONL layouts are read: message rows (one message per line, as the
 * `*.messages.jsonl` files and the Hub's Parquet split) and message trees (`*.trees.jsonl`: one
 * tree per line, `{ message_tree_id, tree_state, prompt: { ..., replies: [...] } }`).
 * Reference: the OpenAssistant/oasst2 dataset card, TRL's oasst examples.
 * Leaves out: Parquet input (convert with any Parquet tool to JSONL), emoji/label metadata.
 */
import type { Conversation } from "@llm/core";
import { parseJsonl } from "@llm/core";

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

/** One node of the trees layout: a message with its nested replies. */
interface Oasst2TreeNode extends Partial<Oasst2Row> {
  replies?: Oasst2TreeNode[];
}

const ROW_HINT =
  "Each line must be one oasst2 message row (message_id, parent_id, message_tree_id, role, text, lang, rank, deleted, ...) or one message tree ({ message_tree_id, prompt: { ..., replies: [...] } }).";

/**
 * Parses oasst2 JSONL text into message rows, checking the fields we rely on. Lines may be
 * message rows or message trees (both layouts the dataset is published in); a tree becomes its
 * messages in depth-first order, parent_id and message_tree_id filled in from the nesting.
 * A bad line is @llm/core's JSONL error (FILE_CORRUPT naming `source:line`).
 */
export function parseOasst2Jsonl(text: string, source = "oasst2.jsonl"): Oasst2Row[] {
  const check = (value: unknown) => {
    const rows = lineRows(value);
    return typeof rows === "string" ? rows : undefined;
  };
  const rows: Oasst2Row[] = [];
  for (const value of parseJsonl(text, source, { check, hint: ROW_HINT })) {
    rows.push(...(lineRows(value) as Oasst2Row[]));
  }
  return rows;
}

/** The message rows of one JSONL line, or a sentence saying what is wrong with it. */
function lineRows(value: unknown): Oasst2Row[] | string {
  const object = (typeof value === "object" && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof object.prompt === "object" && object.prompt !== null) {
    const treeId = typeof object.message_tree_id === "string" ? object.message_tree_id : undefined;
    const rows: Oasst2Row[] = [];
    const visit = (node: Oasst2TreeNode, parentId: string | null): string | undefined => {
      const { replies, ...message } = node;
      const row = {
        ...message,
        parent_id: message.parent_id ?? parentId,
        message_tree_id: message.message_tree_id ?? treeId,
      } as Oasst2Row;
      const missing = missingField(row);
      if (missing)
        return `has message ${String(row.message_id)} of its tree without the string field ${missing}`;
      rows.push(row);
      if (replies !== undefined && !Array.isArray(replies)) {
        return `has message ${row.message_id} with non-array replies`;
      }
      for (const reply of replies ?? []) {
        const problem = visit(reply, row.message_id);
        if (problem) return problem;
      }
      return undefined;
    };
    return visit(object.prompt as Oasst2TreeNode, null) ?? rows;
  }
  if (!("message_id" in object) && !("text" in object)) {
    return "is neither an oasst2 message row (message_id, text, ...) nor a message tree (prompt with replies)";
  }
  const missing = missingField(object as Oasst2Row);
  return missing ? `lacks the string field ${missing}` : [object as Oasst2Row];
}

function missingField(row: Oasst2Row): string | undefined {
  return (["message_id", "message_tree_id", "role", "text"] as const).find(
    (field) => typeof row[field] !== "string",
  );
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
  const replies = (row: Oasst2Row) =>
    // Only alternating paths are conversations: a child must have the other role.
    (children.get(row.message_id) ?? []).filter((child) => keep(child) && child.role !== row.role);
  const walk = (row: Oasst2Row, path: Oasst2Row[]) => {
    const next = [...path, row];
    // A prompter message nobody answered ends nothing: following it would emit `next` cut
    // back to this assistant message, a copy of (a prefix of) another path.
    const kids =
      row.role === "assistant" ? replies(row).filter((prompt) => replies(prompt).length > 0) : replies(row);
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
