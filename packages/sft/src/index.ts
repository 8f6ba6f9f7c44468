/**
 * @llm/sft: supervised fine-tuning. Chat rendering with assistant-only loss masks and a Jinja
 * template; conversation datasets (identity, knowledge and refusal, arithmetic, letter counting,
 * decimal comparison, oasst2, mixtures) with tasks for RL and probes; an SFT trainer on
 * @llm/model's trainer. The chat engine and tool sandbox are in @llm/engine. See README.md.
 */

export type { BuiltinDataset } from "./builtin-datasets.js";
export { BUILTIN_DATASETS, builtinConversations } from "./builtin-datasets.js";
export type { TemplateMessage } from "./chat/chat-template.js";
export { CHAT_TEMPLATE, toTemplateMessages } from "./chat/chat-template.js";
export { completionMask } from "./chat/completion-mask.js";
export { formatMaskedConversation } from "./chat/mask-spans.js";
export type { RenderedConversation, RenderOptions } from "./chat/render-conversation.js";
export {
  renderConversation,
  renderPrompt,
  renderPromptWithin,
  renderToolOutput,
} from "./chat/render-conversation.js";
export type { ArithmeticConfig, ArithmeticForm, ArithmeticOp } from "./datasets/arithmetic.js";
export { arithmeticConversations, arithmeticSteps, arithmeticTasks } from "./datasets/arithmetic.js";
export { copyLiteral } from "./datasets/copy-literal.js";
export type { CorpusSentenceOptions } from "./datasets/corpus-sentences.js";
export { corpusSentences } from "./datasets/corpus-sentences.js";
export type { CorpusWordsOptions } from "./datasets/corpus-words.js";
export { countCorpusWords, SYNTHETIC_SOURCES } from "./datasets/corpus-words.js";
export type { DecimalCompareConfig } from "./datasets/decimal-compare.js";
export {
  closePair,
  DECIMAL_COMPARE_PARAPHRASES,
  decimalCompareConversations,
  decimalCompareTasks,
  MORE_DECIMAL_COMPARE_PARAPHRASES,
} from "./datasets/decimal-compare.js";
export { ANSWER_MARKER, extractAnswer, normalizeAnswer, taskReward } from "./datasets/extract-answer.js";
export type { IdentityConfig, IdentityDatasetConfig, IdentityQuestion } from "./datasets/identity.js";
export {
  casualForm,
  GREETING_REPLIES,
  IDENTITY_PARAPHRASES,
  identityConversations,
  identityQuestionKey,
  identityTasks,
} from "./datasets/identity.js";
export { composeIdentityQuestion } from "./datasets/identity-phrases.js";
export { SHORT_IDENTITY_LINES, shortIdentityLine } from "./datasets/identity-short.js";
export type { YesNoIdentity } from "./datasets/identity-yes-no.js";
export { yesNoIdentityConversation } from "./datasets/identity-yes-no.js";
export type {
  Entity,
  EntityKind,
  KnowledgeBase,
  KnowledgeConfig,
  KnowledgeConversationOptions,
} from "./datasets/knowledge.js";
export {
  entityQuestion,
  entitySearchCode,
  factDocuments,
  generateKnowledgeBase,
  KNOWLEDGE_MORE_PARAPHRASES,
  KNOWLEDGE_PARAPHRASES,
  knowledgeConversations,
  knowledgeTasks,
  NAME_SYLLABLES,
  refusal,
} from "./datasets/knowledge.js";
export type { LetterCallForm, LetterTaskConfig, SolutionStyle } from "./datasets/letter-count.js";
export {
  LETTER_COUNT_MORE_PARAPHRASES,
  LETTER_COUNT_PARAPHRASES,
  letterCountTasks,
  letterTaskConversations,
  letterTaskMessages,
  spellingTasks,
} from "./datasets/letter-count.js";
export type { Mixture, MixtureOptions, MixtureSource } from "./datasets/mixture.js";
export { mixConversations } from "./datasets/mixture.js";
export type { Oasst2Options, Oasst2Row } from "./datasets/oasst2.js";
export { flattenOasst2, parseOasst2Jsonl } from "./datasets/oasst2.js";
export type { VariationOptions } from "./datasets/question-variation.js";
export { CONTEXT_SENTENCES, varyTemplate } from "./datasets/question-variation.js";
export { readConversations } from "./datasets/read-conversations.js";
export type { SmallTalkConfig, SmallTalkKind } from "./datasets/small-talk.js";
export { SMALL_TALK_PROMPTS, smallTalkConversations, smallTalkTasks } from "./datasets/small-talk.js";
export type { ShortLine } from "./datasets/small-talk-short.js";
export { ACKNOWLEDGEMENT_REPLIES, composeShortLine, shortLines } from "./datasets/small-talk-short.js";
export type { StandardMixture, StandardMixtureConfig } from "./datasets/standard-mixture.js";
export { standardMixture } from "./datasets/standard-mixture.js";
export { taskDocuments } from "./datasets/task-documents.js";
export { withRefusalsFor } from "./datasets/with-refusals-for.js";
export type { WordCountConfig } from "./datasets/word-count.js";
export { WORD_COUNT_PARAPHRASES, wordCountConversations, wordCountTasks } from "./datasets/word-count.js";
export { WORDS } from "./datasets/words.js";
export type { ReasoningForm } from "./datasets/worked-answer.js";
export type { ConversationBatchOptions } from "./train/conversation-batch-source.js";
export { ConversationBatchSource } from "./train/conversation-batch-source.js";
export type { SftConfig, SftResult } from "./train/train-sft.js";
export { trainSft } from "./train/train-sft.js";
