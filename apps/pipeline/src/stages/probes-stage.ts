/**
 * The probes stage: loads every model the run produced (base, sft, sft-answer-first, rl) as chat
 * engines (tools through @llm/sft's sandbox) plus the base model as a raw-text generator, gives
 * the probes the run's own held-out sets (identity paraphrases, known and unknown entities,
 * arithmetic, letter counting and decimal pairs that SFT never saw; RL's held-out tasks) and
 * writes probes/results.json. Also samples each model on the report's fixed prompts
 * (probes/samples.json).
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { ChatEngine, ModelStage, ProbeContext, Task } from "@llm/core";
import { writeJsonAtomic } from "@llm/core";
import { Generator, type GPT, initBackend, loadCheckpoint } from "@llm/model";
import { createProbes, PROBE_NAMES, type ProbeOptions, runProbes } from "@llm/probes";
import { collectChat, SftChatEngine, ToolSandbox } from "@llm/sft";
import { readDocumentsJsonl } from "../documents-jsonl.js";
import type { StageContext } from "../run-pipeline.js";
import { loadRunTokenizer } from "./load-run-tokenizer.js";
import type { EvalSets } from "./sft-data.js";

const MODEL_FOLDERS = ["base", "sft", "sft-answer-first", "rl"] as const;

async function readJson<T>(path: string): Promise<T | undefined> {
  if (!existsSync(path)) return undefined;
  return JSON.parse(await readFile(path, "utf8")) as T;
}

/** Decimal tasks with the `adversarial` flag the probe reports on: the longer decimal is the smaller one. */
function withAdversarialFlag(tasks: readonly Task[]): Task[] {
  return tasks.map((task) => {
    const a = String(task.metadata?.a ?? "");
    const b = String(task.metadata?.b ?? "");
    const digits = (x: string) => (x.split(".")[1] ?? "").length;
    const adversarial =
      (digits(a) > digits(b) && Number(a) < Number(b)) || (digits(b) > digits(a) && Number(b) < Number(a));
    return { ...task, metadata: { ...task.metadata, a: Number(a), b: Number(b), adversarial } };
  });
}

async function passages(path: string, count: number, chars: number): Promise<string[]> {
  const out: string[] = [];
  for await (const doc of readDocumentsJsonl(path)) {
    if (doc.metadata?.source === "knowledge" || doc.text.length < chars) continue;
    out.push(doc.text.slice(0, chars));
    if (out.length >= count) break;
  }
  return out;
}

export async function probesStage(context: StageContext): Promise<Record<string, unknown>> {
  const { run, config } = context;
  const pc = config.probes;
  await initBackend(context.backend, { listeners: context.listeners });
  const tokenizer = await loadRunTokenizer(run);
  const sandbox = await ToolSandbox.create();
  const models = new Map<string, GPT>();
  try {
    for (const folder of MODEL_FOLDERS) {
      const dir = run.checkpointDir(folder);
      if (existsSync(join(dir, "model.safetensors"))) {
        models.set(folder, (await loadCheckpoint(dir, { vocabSize: tokenizer.vocabSize })).model);
      }
    }
    const engine = (folder: string): ChatEngine | undefined => {
      const model = models.get(folder);
      return model
        ? new SftChatEngine({ model, tokenizer, sandbox, defaults: { temperature: 0 } })
        : undefined;
    };
    const engines: Partial<Record<ModelStage, ChatEngine>> = {};
    for (const stage of ["base", "sft", "rl"] as const) {
      const e = engine(stage);
      if (e) engines[stage] = e;
    }
    const variants: Record<string, ChatEngine> = {};
    const stepsFirst = engine("sft");
    const answerFirst = engine("sft-answer-first");
    if (stepsFirst && answerFirst) {
      variants["steps-first"] = stepsFirst;
      variants["answer-first"] = answerFirst;
    }
    const base = models.get("base");
    const sets = await readJson<EvalSets>(run.evalPath("sft"));
    const rlHeldOut = await readJson<Task[]>(run.evalPath("rl"));
    const n = pc.itemsPerProbe;
    const inputs: Record<string, unknown> = {
      "base-model-as-repeater": {
        trainingText: await passages(run.path("data", "train.jsonl"), n, 400),
        heldOutText: await passages(run.path("data", "val.jsonl"), n, 400),
      },
    };
    if (sets) {
      inputs.identity = {
        name: config.sft.identity.name,
        prompts: sets.identity.map((t) => ({ prompt: t.prompt, lang: String(t.metadata?.lang ?? "en") })),
      };
      inputs["knowledge-and-refusal"] = {
        known: sets.knowledge.filter((t) => t.metadata?.known === true).slice(0, n),
        unknown: sets.knowledge.filter((t) => t.metadata?.known !== true).slice(0, n),
      };
      inputs["letter-counting"] = sets.letterCount.slice(0, n);
      inputs["decimal-comparison"] = withAdversarialFlag(sets.decimalCompare.slice(0, n));
      inputs["reasoning-order"] = sets.arithmetic.slice(0, n);
    }
    if (rlHeldOut) inputs["rl-gain"] = { tasks: rlHeldOut.slice(0, n) };
    const probeContext: ProbeContext = {
      tokenizer,
      engines,
      variants,
      inputs,
      seed: config.seed,
      ...(base ? { generators: { base: new Generator(base) } } : {}),
    };
    const maxTokens = pc.maxNewTokens;
    // Tool use is an SFT/RL skill; identity and refusal compare base with SFT (the claims' contrasts).
    const options: ProbeOptions = {
      "letter-counting": { maxTokens, stages: ["sft", "rl"] },
      "decimal-comparison": { maxTokens, stages: ["sft", "rl"] },
      "reasoning-order": { maxTokens },
      identity: { maxTokens, stages: ["base", "sft"] },
      "knowledge-and-refusal": { maxTokens, stages: ["base", "sft"] },
      "base-model-as-repeater": { maxPassages: n },
      "rl-gain": { maxTokens, samples: 4, temperature: 1 },
    };
    const names = pc.names.length > 0 ? pc.names : [...PROBE_NAMES];
    const results = await runProbes(probeContext, createProbes(options, names), context.listeners);
    await writeJsonAtomic(run.probesPath, results);

    const samples: Array<{ prompt: string; outputs: Record<string, string> }> = [];
    for (const prompt of config.report.samplePrompts) {
      const outputs: Record<string, string> = {};
      if (base) {
        const ids = [tokenizer.specialId("<|bos|>"), ...tokenizer.encode(prompt)];
        const out = await new Generator(base).generateAll(ids, {
          maxTokens: config.report.maxNewTokens,
          temperature: 0,
        });
        outputs["base (continues the text)"] = prompt + tokenizer.decode(out);
      }
      for (const stage of ["sft", "rl"] as const) {
        const e = engines[stage];
        if (!e) continue;
        const turn = await collectChat(e, [{ role: "user", content: prompt }], {
          maxTokens: config.report.maxNewTokens,
          temperature: 0,
        });
        outputs[stage] = turn.text;
      }
      samples.push({ prompt, outputs });
    }
    await writeJsonAtomic(run.path("probes", "samples.json"), samples);
    const metrics: Record<string, unknown> = { probes: results.length };
    for (const r of results) for (const [k, v] of Object.entries(r.metrics)) metrics[`${r.name}.${k}`] = v;
    return metrics;
  } finally {
    await sandbox.close();
    for (const model of models.values()) model.dispose();
  }
}
