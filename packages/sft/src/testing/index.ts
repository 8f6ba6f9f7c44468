/**
 * @llm/sft/testing: small real helpers for tests (no mocks pretending to work).
 */
export { ByteTokenizer } from "./byte-tokenizer.js";
