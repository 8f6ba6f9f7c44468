/**
 * @llm/data/testing: helpers for tests of packages that consume @llm/data.
 */
export { ByteTokenizer } from "./byte-tokenizer.js";
