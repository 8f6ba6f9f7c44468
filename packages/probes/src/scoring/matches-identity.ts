/**
 * matchesIdentity: whether an answer to "who are you?" gives the configured identity.
 * The rule, documented in README.md: the answer contains the identity's name or one of its
 * aliases (case-insensitive; Latin names must stand as a whole word, so "nanochatty" does not
 * count), and it does not also claim one of `otherNames` (ChatGPT, Claude, ...), the identities a
 * model picks up from web text. Reference: nanochat's identity conversations. Leaves out: checking
 * the creator or other facts of the identity.
 */

export interface IdentityConfig {
  /** The assistant's configured name, e.g. "nanochat". */
  name: string;
  /** Other spellings that count, e.g. a Chinese transliteration. Default none. */
  aliases?: readonly string[];
  /** Names that disqualify an answer. Default: DEFAULT_OTHER_IDENTITIES. */
  otherNames?: readonly string[];
}

/** Identities a model may claim from its pretraining text. */
export const DEFAULT_OTHER_IDENTITIES: readonly string[] = [
  "ChatGPT",
  "GPT-4",
  "GPT-3",
  "OpenAI",
  "Claude",
  "Anthropic",
  "Gemini",
  "Bard",
  "LLaMA",
  "Llama",
  "Qwen",
  "通义千问",
  "DeepSeek",
  "文心一言",
];

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function mentions(text: string, name: string): boolean {
  if (name.trim() === "") return false;
  const latin = /^[\p{Script=Latin}\d\s._-]+$/u.test(name);
  const pattern = latin
    ? new RegExp(`(?<![\\p{Script=Latin}\\d])${escapeRegex(name)}(?![\\p{Script=Latin}\\d])`, "iu")
    : new RegExp(escapeRegex(name), "iu");
  return pattern.test(text);
}

export function matchesIdentity(text: string, identity: IdentityConfig): boolean {
  const names = [identity.name, ...(identity.aliases ?? [])];
  if (!names.some((n) => mentions(text, n))) return false;
  const own = new Set(names.map((n) => n.toLowerCase()));
  const others = (identity.otherNames ?? DEFAULT_OTHER_IDENTITIES).filter((n) => !own.has(n.toLowerCase()));
  return !others.some((n) => mentions(text, n));
}
