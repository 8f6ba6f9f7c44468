/**
 * @llm/probes/evaluations: measurements of a base model the probes' report and the pipeline use,
 * each a function over a model that returns numbers: whether it copies from its context
 * (copyScore), whether it completes the facts it read (factRecall), and whether it has read a name
 * at all (nameFamiliarity, unfamiliarEntities). A subpath of its own because these load the model
 * stack (TensorFlow.js), which the main entry loads only when a probe needs it.
 */
export type { CopyScore } from "./copy-score.js";
export { copyScore } from "./copy-score.js";
export type { EvaluateRunOptions, RunEvaluation } from "./evaluate-run.js";
export { evaluateRun } from "./evaluate-run.js";
export type { FactRecall } from "./fact-recall.js";
export { factCompletion, factRecall, recallsFact } from "./fact-recall.js";
export type { Unfamiliar } from "./name-familiarity.js";
export { nameFamiliarity, unfamiliarEntities } from "./name-familiarity.js";
