/**
 * The data stage: reads the preset's slices of the offline corpora (Moby Dick, State of the
 * Union, SpamAssassin email), runs them through @llm/data's FineWeb-style cleaning chain
 * (exclusions with reasons in data/excluded/, per-filter counts in data/stats.json), holds out a
 * share of the kept natural text for validation, and mixes the knowledge documents of @llm/sft
 * (facts about fictional entities, repeated so that a small model can learn them) into the
 * training text, with the copy curriculum (@llm/data's repeatDocuments, @llm/sft's
 * taskDocuments). Writes
 * data/train.jsonl, data/val.jsonl, data/knowledge.json (the entities, which SFT and the
 * probes reuse), data/letter-words.json (the letter tasks' corpus words) and, with
 * data.memorization, data/memorization.json (passages cut out of the corpus, which pretraining
 * sees a chosen number of times or never: @llm/data's selectMemorizationPassages).
 */
import type { Document } from "@llm/core";
import { Rng, writeJsonAtomic } from "@llm/core";
import {
  CleaningRun,
  type CleaningStats,
  defaultCleaningChain,
  mergeStats,
  readCorpus,
  repeatDocuments,
  selectMemorizationPassages,
} from "@llm/data";
import { countCorpusWords, factDocuments, generateKnowledgeBase, taskDocuments } from "@llm/sft";
import { writeDocumentsJsonl } from "../documents-jsonl.js";
import type { StageContext } from "../run-pipeline.js";
import { letterWordsPath } from "./letter-words.js";
import { knowledgeBasePath } from "./load-knowledge-base.js";
import { memorizationPath } from "./memorization-file.js";

export async function dataStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config } = context;
  const d = config.data;
  const sources: Array<Record<string, unknown>> = [];
  const kept: Document[] = [];
  let total: CleaningStats | undefined;
  const perSource: Record<string, CleaningStats> = {};
  for (const corpus of d.corpora) {
    const cleaning = new CleaningRun(
      defaultCleaningChain(d.dedup ? {} : { exactDedup: false, minhash: false }),
      {
        exclusionsPath: run.paths.excludedDocuments(corpus.name),
        onDocument: (document) => {
          kept.push(document);
        },
        listeners: context.listeners,
      },
    );
    try {
      for await (const document of readCorpus(corpus.name, { limit: corpus.maxDocuments })) {
        if (context.signal.aborted) break;
        await cleaning.process(document);
      }
    } catch (error) {
      await cleaning.abort();
      throw error;
    }
    const stats = await cleaning.finish();
    perSource[corpus.name] = stats;
    total = total ? mergeStats(total, stats) : stats;
    sources.push({
      name: corpus.name,
      documents: stats.documentsIn,
      kept: stats.documentsKept,
      dropped: stats.documentsIn - stats.documentsKept,
      bytes: stats.bytesKept,
    });
    context.listeners.onLog?.({
      stage: "data",
      level: "info",
      message: `${corpus.name}: kept ${stats.documentsKept} of ${stats.documentsIn} documents`,
    });
  }
  const droppedByReason: Record<string, number> = {};
  for (const f of total?.filters ?? []) {
    for (const [rule, count] of Object.entries(f.droppedByRule)) droppedByReason[`${f.name}.${rule}`] = count;
  }
  for (const [rule, count] of Object.entries(total?.sourceIssues ?? {}))
    droppedByReason[`source.${rule}`] = count;

  const rng = new Rng(`data:${config.seed}`);
  rng.shuffle(kept);
  const valCount = Math.max(1, Math.round(kept.length * d.validationFraction));
  const val = kept.slice(0, valCount);
  // the memorization passages leave the corpus before anything else reads it
  const memorization = d.memorization
    ? selectMemorizationPassages(kept.slice(valCount), d.memorization, config.seed)
    : undefined;
  const natural = memorization?.documents ?? kept.slice(valCount);

  const kb = generateKnowledgeBase({
    seed: config.seed,
    count: d.facts.knownEntities + d.facts.unknownEntities,
    knownShare: d.facts.knownEntities / (d.facts.knownEntities + d.facts.unknownEntities),
  });
  const facts = factDocuments(kb, { copies: d.facts.documentsPerEntity, seed: config.seed });
  const cc = d.copyCurriculum;
  const repeats = repeatDocuments(natural, cc.repeatDocuments, config.seed);
  // Counted once here; SFT and RL read data/letter-words.json.
  const words = d.letterWords.source === "corpus" ? countCorpusWords(natural, d.letterWords) : undefined;
  const tasks = taskDocuments(cc.taskDocuments, config.seed, words, cc.paraphraseShare ?? 0);
  const train = rng.shuffle([...natural, ...facts, ...repeats, ...tasks]);

  const trainFile = await writeDocumentsJsonl(run.paths.trainDocuments, train);
  const valFile = await writeDocumentsJsonl(run.paths.valDocuments, val);
  await writeJsonAtomic(knowledgeBasePath(run), kb);
  if (words) await writeJsonAtomic(letterWordsPath(run), words);
  if (memorization) await writeJsonAtomic(memorizationPath(run), memorization.set);
  const factChars = facts.reduce((sum, doc) => sum + doc.text.length, 0);
  const summary = {
    documentsIn: sources.reduce((sum, s) => sum + Number(s.documents), 0),
    documentsKept: kept.length,
    trainDocuments: trainFile.documents,
    trainChars: trainFile.chars,
    valDocuments: valFile.documents,
    valChars: valFile.chars,
    factDocuments: facts.length,
    factShareOfTrainChars: factChars / Math.max(1, trainFile.chars),
    repeatDocuments: repeats.length,
    taskDocuments: tasks.length,
    copyShareOfTrainChars:
      [...repeats, ...tasks].reduce((sum, doc) => sum + doc.text.length, 0) / Math.max(1, trainFile.chars),
    ...(memorization
      ? {
          memorizationPassages: memorization.set.groups.reduce((sum, g) => sum + g.texts.length, 0),
          memorizationHeldOut: memorization.set.heldOut.length,
        }
      : {}),
    knownEntities: kb.entities.filter((e) => e.split.startsWith("known")).length,
    unknownEntities: kb.entities.filter((e) => e.split.startsWith("unknown")).length,
    sources,
    filters: (total?.filters ?? []).map((f) => ({
      name: f.name,
      in: f.in,
      kept: f.kept,
      dropped: f.dropped,
      modified: f.modified,
    })),
    droppedByReason,
  };
  await writeJsonAtomic(run.paths.dataStats, { ...summary, total, perSource });
  return summary;
}
