/**
 * segmentChinese: word segmentation of Chinese text with jieba (@node-rs/jieba, default
 * dictionary, HMM on for unknown words), shown beside token splits: words are what a reader
 * sees, tokens what the model sees. jieba is a native addon and an optional peer of
 * @llm/tokenizer, loaded on first use only (MISSING_DEPENDENCY when it is not installed).
 * Reference: jieba. Leaves out: custom dictionaries.
 */
import { importOptionalPeer } from "@llm/core";
import type { Jieba } from "@node-rs/jieba";

let jieba: Promise<Jieba> | undefined;

async function loadJieba(): Promise<Jieba> {
  const [{ Jieba }, { dict }] = await importOptionalPeer("@node-rs/jieba", "Chinese word segmentation", () =>
    Promise.all([import("@node-rs/jieba"), import("@node-rs/jieba/dict.js")]),
  );
  return Jieba.withDict(dict);
}

/** Splits `text` into words (non-Chinese runs come back as they are). */
export async function segmentChinese(text: string): Promise<string[]> {
  jieba ??= loadJieba();
  return (await jieba).cut(text, true);
}

/** True when `text` contains CJK ideographs. */
export function hasChinese(text: string): boolean {
  return /\p{Script=Han}/u.test(text);
}
