/**
 * The `small` preset: the README default. At most 20 minutes end to end on a 2-core CPU, and big
 * enough that the probes show the seed's claims with numbers (identity, tools for letters and
 * decimals, steps-first over answer-first, refusal on unknown entities, an RL gain).
 * The measured time and probe numbers are in apps/pipeline/README.md.
 */
import type { PipelineConfig } from "../pipeline-config.js";

export const small: PipelineConfig = {
  name: "small",
  description: "README default: ~20 minutes on 2 CPU cores; the probes show the seed's claims with numbers.",
  seed: 42,
  data: {
    corpora: [
      { name: "moby-dick", maxDocuments: 150 },
      { name: "sotu", maxDocuments: 40 },
      { name: "spam-assassin", maxDocuments: 600 },
    ],
    // 250 paraphrases per known entity, of which 600 pretraining steps see about a quarter.
    facts: { knownEntities: 40, unknownEntities: 40, documentsPerEntity: 250 },
    letterWords: { source: "corpus", minCount: 3, maxWords: 3000 },
    // Task documents (letter and decimal problems with their code) are the copying the tool calls
    // need: 10,000 instead of 4,000 took SFT letter counting from 66% to 88% (docs/lab-notes/).
    // The task documents on the templates only: with 30% in the learners' phrasings
    // (copyCurriculum.paraphraseShare 0.3) SFT answered "which is smaller" with Math.max (8%) and
    // the repeater's curve fell to 75% at 64 times (docs/lab-notes/2026-12-02-natural-tool-copying.md).
    copyCurriculum: { repeatDocuments: 8000, taskDocuments: 10000 },
    // The repeater probe's curve: 3 prose passages seen 1, 2, ..., 128 times each in pretraining
    // (765 rows, 6% of the training tokens), 16 never. With 1-64 times and 4 per count, verbatim
    // for 16 tokens was 0% held out and up to 16 times, 25% at 32, and at 64 100% on one base model
    // and 75% (15.5 of 16 tokens) on the next: 128 makes the top of the curve clear of that edge.
    // They cost copying: copy score 1.58 -> 1.95 nats on the second copy at 4% (README, "Measured
    // quality"; docs/lab-notes/2026-12-01-memorization-curve.md).
    memorization: {
      repeats: [1, 2, 4, 8, 16, 32, 64, 128],
      passagesPerCount: 3,
      heldOutPassages: 16,
      passageChars: 240,
      passageTokens: 48,
      sources: ["moby-dick", "sotu"],
    },
    dedup: true,
    validationFraction: 0.03,
  },
  // One token per digit: every number uses the same ten tokens, so the arithmetic steps are
  // lookups on digits (with 1-2 digit runs this vocabulary had "11" but "7 5").
  tokenizer: { vocabSize: 1024, maxTrainingChars: 2_000_000, splitDigits: true },
  pretrain: {
    // Copying from the context (README, "Copying"): tied embeddings, smeared keys and learned
    // attention gains, and synthetic copy rows (all rows for 100 steps, then 1 in 10).
    // 6 layers x 160 (2.0M parameters in the blocks): the faster CPU kernels of 2026-12-02 paid for
    // it. Against 4 x 128 from scratch on the same idle machine: 10m00s vs 5m32s for the whole
    // pipeline; template identity 96% vs 87%, natural letters 55% vs 45%, decimals 85% vs 79%,
    // refusal 80% / 13% false vs 88% / 23% (docs/lab-notes/2026-12-02-final-preset.md).
    model: {
      nLayer: 6,
      nEmbd: 160,
      nHead: 5,
      seqLen: 128,
      smearKeys: true,
      tieEmbeddings: true,
      qkGain: true,
    },
    copyRows: { warmupSteps: 100, share: 0.1 },
    // More, smaller steps: copying appears after a number of updates more than of tokens.
    steps: 600,
    batchSize: 8,
    learningRate: 3e-3,
    warmupSteps: 40,
    weightDecay: 0.01,
    evalEvery: 100,
    checkpointEvery: 50,
  },
  sft: {
    // 800 steps (1.6 epochs of the 4,000 rows): natural decimals 79/86/81% -> 84/90/88%, greetings
    // 45% -> 80%, letters 40% -> 45% against 500, ~1.5 minutes more on an idle machine
    // (docs/lab-notes/2026-12-02-natural-tool-copying.md).
    // 900 with the 2026-12-03d mixture below (5,200 rows, ~1.4 epochs): SFT 6m44s for both variants,
    // the pipeline from scratch 11m29s idle (docs/lab-notes/2026-12-03d-preset.md).
    steps: 900,
    batchSize: 8,
    learningRate: 3e-3,
    warmupSteps: 20,
    weightDecay: 0,
    evalEvery: 200,
    checkpointEvery: 50,
    // 4,350 rows (letters 1,050 -> 1,400 with letterCall below). Arithmetic is not probed here
    // (the reasoning task is word counting),
    // so it has none. Greetings and small talk answered as such: 300 rows; decimals 300 -> 600 for
    // the yes/no and "which is smaller" phrasings (natural decimals 58/43/25% -> 79/86/81% against
    // 400 rows), paid for by word counting (1200 -> 850) and letters (1200 -> 1050)
    // (docs/lab-notes/2026-12-02-natural-tool-copying.md).
    // Small talk 300 -> 500 and decimals 600 -> 800 rows, with composed identity questions below, at
    // the same 800 steps: natural (RL, 40 prompts a set) greetings 75% -> 83%, decimals 89/81/81% ->
    // 89/90/88%, identity 85% -> 88%, letters 72% -> 63% (72%: a run without the answer-first twin), refusal
    // 88% / 20% -> 85% / 20%; every template claim holds (docs/lab-notes/2026-12-02c-preset.md).
    // 2026-12-03d: identity 600, knowledge 800, decimals 900, small talk 650 with short lines
    // (smallTalk.shortShare, identity.shortShare/yesNoShare/greetBack) and word-count texts whose first
    // word comes back or that open with "I": natural (RL, 100 prompts) greetings 80% -> 90%, identity
    // 90% -> 95%, decimals 100/98/98% -> 100/100/100%, letters 88% -> 92%, refusal 85/13% -> 82/12%,
    // word counting 59% -> 62%; templates: identity SFT 96% -> 100%, small talk 93% -> 100%, false
    // refusal 13% (docs/lab-notes/2026-12-03d-preset.md).
    mixture: {
      identity: 600,
      knowledge: 800,
      arithmetic: 0,
      letterCount: 1400,
      decimalCompare: 900,
      wordCount: 850,
      smallTalk: 650,
    },
    smallTalk: { areYouShare: 0.2, howAreYouNameShare: 0.5, openerShare: 0.2, shortShare: 0.25 },
    decimalCompare: { morePhrasingShare: 0.3 },
    // Learners' phrasings in training (@llm/sft paraphrase banks through varyTemplate): half the
    // letter and decimal questions, and 4 more phrasings per knowledge entity. The tool calls copy
    // the question's chunks (copyLiteral: `" strawberry".split(" r".trim())`, `search(" Name")`):
    // natural letters 8% -> 29% at SFT with the letter copied too (docs/lab-notes/2026-12-02-natural-tool-copying.md).
    phrasing: { share: 0.5, knowledgeParaphrases: 4 },
    reasoningOrderVariants: true,
    // Steps-first vs answer-first on word counting: each step is a copy and a "+1", which this
    // model learns; two-digit arithmetic needs addition facts it does not learn in 20 minutes.
    reasoningTask: "word-count",
    // 5-15 of the 100 most frequent corpus words (mostly one token each): one pass cannot count
    // to 15, one copy and one "+1" at a time can.
    // paraphraseShare: 70% of the lists asked in other phrasings, about sentence-like texts.
    wordCount: {
      minWords: 5,
      maxWords: 15,
      pool: 100,
      paraphraseShare: 0.7,
      repeatShare: 0.15,
      firstRepeatShare: 0.4,
      firstPersonShare: 0.15,
    },
    // Letter counting taught two ways, 60% with the tool and 40% spelled out: SFT picks either,
    // and RL learns which one pays (docs/lab-notes/).
    letterToolShare: 0.6,
    // The letter call as the sandbox helper count(" strawberry", " r") (fewer tokens, no .trim()),
    // 70% of the letter questions in learners' phrasings (23 more of them), every one of those with
    // the tool, and 1,400 letter rows instead of 1,050: natural letters (RL, 100 prompts) 73%
    // against 59% with the helper alone (share 0.6, 1,050 rows) and 58% before; unclosed
    // calls 16% -> 7%; template RL 98% with the tool vs 3% directly
    // (docs/lab-notes/2026-12-02b-natural-letters.md).
    letterCall: "count",
    letterPhrasing: { share: 0.7, more: true, toolOnly: true },
    // Knowledge questions go through the tool: search("Name") over the run's corpus, then the
    // answer from the result or "I don't know" when it is empty. From memory alone, with Llama 3's
    // recipe (`{ source: "memory", refusalFromBase: 0.9 }`), SFT refused 75% of unknown and 63% of
    // known held-out entities (README, "Measured quality").
    knowledge: { source: "search" },
    // greetingShare: 20% of the identity questions come after a greeting ("Hi! Who are you?");
    // composedShare: half of them composed from parts (a lead-in, the question, a tail; @llm/sft
    // composeIdentityQuestion) instead of the paraphrase bank.
    identity: {
      name: "Nano",
      maker: "the llm-from-scratch project",
      greetingShare: 0.2,
      composedShare: 0.5,
      yesNoShare: 0.15,
      greetBack: true,
      shortShare: 0.1,
    },
    arithmetic: { ops: ["+", "-"], maxOperand: 99 },
  },
  rl: {
    // Letter counting, which SFT taught two ways: at temperature 0.7 the tool is right ~90% of the
    // time and spelling out ~30%, so the reward teaches the model to call the tool.
    task: "letter-count",
    // RL on letter questions moves every other chat answer too (identity, refusal, decimals in
    // natural phrasing): 40 steps at 2e-4 with a KL term keep them closer to SFT's than 60 at 5e-4
    // and gave more held-out pass@1 (59% -> 70% vs 67%; docs/lab-notes/2026-12-02-natural-tool-copying.md).
    steps: 40,
    promptsPerStep: 4,
    groupSize: 8,
    learningRate: 2e-4,
    // a spelled-out 12-letter word and the answer take ~40 tokens
    maxNewTokens: 64,
    evalPrompts: 32,
    temperature: 0.7,
    // One completion per group decoded greedily, as the probes decode: its copy loops are paths
    // sampling rarely takes. +2 to +5 points of greedy letter counting on 150 held-out words,
    // on three SFT models (docs/lab-notes/).
    greedyPerGroup: 1,
    passes: 1,
    // GRPO's per-completion mean penalises a long wrong completion less per token, and wrong
    // completions grew into loops; Dr. GRPO's constant denominator does not.
    lossType: "dr_grpo",
    // KL to the SFT model (k3): with beta 0 the policy drifted into "#### 1" for every question.
    beta: 0.1,
    // RL's letter questions on the templates only: in the learners' phrasings (50%), RL's update
    // reached every chat prompt (identity 71% -> 46%, tool-call code in its replies).
    phrasingShare: 0,
    // SFT replay in every update (InstructGPT's PPO-ptx): 8 of the run's own SFT rows, their loss
    // added at weight 1. Without it RL turned "hello" into tool-call loops (natural identity
    // 84% -> 68%, greetings 65% -> 51%); with it 90% and 66%, pass@1 still rising
    // (docs/lab-notes/2026-12-02-rl-replay.md).
    replay: { coefficient: 1, batchSize: 8 },
  },
  // 150 letter words: at ~90%, one word of 32 is 3 points (~40 s more on two cores).
  // natural: every chat probe asked again in the learner's own words (@llm/probes' eval sets), of
  // the RL model, 40 prompts of each set; experiments/natural-eval.ts asks all of them.
  probes: {
    names: [],
    itemsPerProbe: 32,
    letterItems: 150,
    maxNewTokens: 96,
    natural: { items: 40, rlGainItems: 16 },
    // Tool-call strings decoded as copies of the question's words (@llm/engine's copyGuard): no
    // copy loop (" bananananan..."), no word the question lacks. Natural letters with the tool (RL,
    // 100 prompts) 68% -> 88%; natural rl-gain SFT -> RL 56% -> 53% before, 91% -> 92% with it;
    // template claims hold (letters RL 100% with the tool vs 26% directly). In count() calls only: guarding search()
    // too moved natural refusal 80% -> 77% (docs/lab-notes/2026-12-02c-natural-letters.md).
    copyGuard: true,
    copyGuardCalls: ["count"],
    // No piece of 1-32 characters repeated more than twice in a row in a tool call or the reply,
    // and tool-call strings closed at 40 characters (@llm/engine's loopGuard); which words are
    // searched stays the model's. Natural knowledge (RL, 100 + 100 prompts): loops 20 -> 0 of 200,
    // refusal 80% -> 84%, false refusal 11% -> 13%, template claims hold
    // (docs/lab-notes/2026-12-03-search-loops.md).
    loopGuard: true,
    // The numbers of Math.max / Math.min calls decoded as copies of the question's numbers, each a
    // different one, and the "####" number after a tool output as a copy of the output
    // (@llm/engine's numberGuardCalls, answerGuard): natural decimals with the tool (RL, 100
    // prompts) 91 / 91 / 87% -> 100 / 96 / 96% (first / second / "which is smaller"), no copy of
    // 15.15 for 15.1 or "#### 13.8" for 13.88 (docs/lab-notes/2026-12-03-natural-chat.md).
    numberGuardCalls: ["Math.max", "Math.min"],
    answerGuard: true,
    // Word-counting steps decoded as a contiguous copy of the question's words (@llm/engine's
    // wordStepGuard "run"): once a reply is steps (" the 1 cat 2 ..."), the next step word is the
    // word after the previous one's place in the text, so a repeated "the" no longer jumps to its
    // other occurrence; where the steps start and stop and every number stay the model's. Natural
    // word counting (RL, 100 prompts) 34% -> 59%, template steps first vs answer first 100% vs
    // 31% unchanged, every other claim as without it (docs/lab-notes/2026-12-03-natural-word-count.md).
    wordStepGuard: "run",
    toolGrammar: true,
  },
  report: {
    samplePrompts: [
      "Who are you?",
      'How many "r" are in "strawberry"?',
      "Which is larger, 9.11 or 9.9?",
      "Call me Ishmael.",
    ],
    maxNewTokens: 40,
  },
};
