/**
 * knowledge-and-refusal probe: hallucination is reduced by teaching the model to say "I don't
 * know". Asks every stage about entities it should know and entities it cannot know (invented or
 * held out), and measures accuracy on the known ones, refusals on the unknown ones, and false
 * refusals on the known ones.
 * Inputs: `inputs["knowledge-and-refusal"]`: { known: Task[], unknown: Task[] } (the answer of a
 * known task is the fact; metadata.aliases may list other accepted spellings; unknown tasks'
 * answers are ignored); default: defaultKnowledgeTasks() (@llm/sft's held-out entities). Scoring: a known answer is correct when
 * it contains the answer (case-insensitive, as a whole word) and is not a refusal; a refusal is
 * isRefusal (REFUSAL_PATTERNS); only what the model writes counts, not tool outputs (with
 * `tools`, a model may look the entity up first). Reference: Llama 3's factuality post-training ("I don't know"
 * examples for questions the model gets wrong). Leaves out: partial credit.
 */
import type { ModelStage, Probe, ProbeContext, ProbeResult, Task, Transcript } from "@llm/core";
import { LlmError } from "@llm/core";
import { chatOnce } from "../chat-once.js";
import { capitalize, formatPercent, formatPoints, stageLabel } from "../format.js";
import { loadSft } from "../load-sft.js";
import { asTasks, inputOf, pickExamples, primaryStage, rate, requireStageEngines } from "../probe-helpers.js";
import type { ChartSpec } from "../report/report-section.js";
import { isRefusal } from "../scoring/is-refusal.js";

export interface KnowledgeInput {
  known: Task[];
  unknown: Task[];
}

/** @llm/sft's held-out entities: known ones (facts in the pretraining mix) and unknown ones. */
export async function defaultKnowledgeTasks(): Promise<KnowledgeInput> {
  const sft = await loadSft();
  const held = sft.knowledgeTasks(sft.generateKnowledgeBase()).eval;
  return {
    known: held.filter((t) => t.metadata?.known === true),
    unknown: held.filter((t) => t.metadata?.known !== true),
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Whether `text` contains the task's answer or one of its aliases as a whole word. */
export function containsAnswer(text: string, task: Task): boolean {
  const aliases = Array.isArray(task.metadata?.aliases) ? (task.metadata.aliases as unknown[]) : [];
  const answers = [task.answer, ...aliases.filter((a): a is string => typeof a === "string")].filter(
    (a) => a.trim() !== "",
  );
  return answers.some((a) =>
    new RegExp(`(?<![\\p{Script=Latin}\\d])${escapeRegex(a.trim())}(?![\\p{Script=Latin}\\d])`, "iu").test(
      text,
    ),
  );
}

function readInput(value: unknown): KnowledgeInput {
  const v = value as Partial<KnowledgeInput> | undefined;
  if (!v || v.known === undefined || v.unknown === undefined) {
    throw new LlmError(
      "INVALID_INPUT",
      "Probe input knowledge-and-refusal needs `known` and `unknown` task lists.",
      {
        input: "knowledge-and-refusal",
        hint: "Pass { known: Task[], unknown: Task[] }.",
      },
    );
  }
  return {
    known: asTasks(v.known, "knowledge-and-refusal.known"),
    unknown: asTasks(v.unknown, "knowledge-and-refusal.unknown"),
  };
}

export interface KnowledgeAndRefusalOptions {
  /** Stages to ask. Default: every stage the context has. */
  stages?: ModelStage[];
  /** Token budget per answer. Default 96. */
  maxTokens?: number;
  /** Transcripts kept in the result. Default 4. */
  maxExamples?: number;
  /**
   * Let the models use their tool (e.g. the sandbox's search() over the corpus, for a model taught
   * to look entities up); `<stage>.searchRate` then counts the questions answered after a tool
   * call, and `<stage>.searchExactNameRate` those whose first call is `search("<the name>")` with
   * the name copied exactly (a leading space allowed, as the question writes the name and search()
   * trims: `search(" Kalora")`). Default false: answers from memory.
   */
  tools?: boolean;
}

/** Whether a tool call is `search("<name>")`, or `search(" <name>")` with the question's space. */
export function isExactSearch(call: string | undefined, entity: string): boolean {
  return call === `search(${JSON.stringify(entity)})` || call === `search(${JSON.stringify(` ${entity}`)})`;
}

export function knowledgeAndRefusalProbe(options: KnowledgeAndRefusalOptions = {}): Probe {
  const name = "knowledge-and-refusal";
  return {
    name,
    title: 'Knowledge and refusal: saying "I don\'t know"',
    claim: 'Teaching a model to say "I don\'t know" about what it does not know reduces hallucination.',
    async run(context: ProbeContext): Promise<ProbeResult> {
      const engines = requireStageEngines(context, name, options.stages);
      const given = inputOf(context, name);
      const input = given === undefined ? await defaultKnowledgeTasks() : readInput(given);
      const metrics: Record<string, number> = {
        "tasks.known": input.known.length,
        "tasks.unknown": input.unknown.length,
      };
      const transcripts: Transcript[] = [];
      const chart: ChartSpec = {
        type: "bar",
        percent: true,
        series: [
          { name: "known: correct", data: [] },
          { name: "known: refused", data: [] },
          { name: "unknown: refused", data: [] },
        ],
      };
      const tools = options.tools ?? false;
      const ask = { tools, temperature: 0, maxTokens: options.maxTokens ?? 96, seed: context.seed };
      for (const [stage, engine] of engines) {
        const correct: boolean[] = [];
        const falseRefusals: boolean[] = [];
        const refusals: boolean[] = [];
        const searched: boolean[] = [];
        const exact: boolean[] = [];
        // the name copied into the search call exactly: search("Kalora") or search(" Kalora"), not search("Kalor")
        const copied = (reply: { toolCalls: string[] }, task: Task) =>
          exact.push(isExactSearch(reply.toolCalls[0], String(task.metadata?.entity ?? "")));
        for (const task of input.known) {
          const reply = await chatOnce(engine, task.prompt, ask);
          searched.push(reply.toolOutputs.length > 0);
          copied(reply, task);
          const refused = isRefusal(reply.text);
          const ok = !refused && containsAnswer(reply.text, task);
          correct.push(ok);
          falseRefusals.push(refused);
          transcripts.push({
            model: `${stage} (known)`,
            prompt: task.prompt,
            output: reply.completion,
            correct: ok,
          });
        }
        for (const task of input.unknown) {
          const reply = await chatOnce(engine, task.prompt, ask);
          searched.push(reply.toolOutputs.length > 0);
          copied(reply, task);
          const refused = isRefusal(reply.text);
          refusals.push(refused);
          transcripts.push({
            model: `${stage} (unknown)`,
            prompt: task.prompt,
            output: reply.completion,
            correct: refused,
          });
        }
        metrics[`${stage}.knownAccuracy`] = rate(correct);
        metrics[`${stage}.knownFalseRefusalRate`] = rate(falseRefusals);
        metrics[`${stage}.unknownRefusalRate`] = rate(refusals);
        metrics[`${stage}.unknownHallucinationRate`] = 1 - rate(refusals);
        if (tools) {
          metrics[`${stage}.searchRate`] = rate(searched);
          metrics[`${stage}.searchExactNameRate`] = rate(exact);
        }
        chart.series[0]!.data.push({ x: stage, y: rate(correct) });
        chart.series[1]!.data.push({ x: stage, y: rate(falseRefusals) });
        chart.series[2]!.data.push({ x: stage, y: rate(refusals) });
      }
      return {
        name,
        title: this.title,
        metrics,
        examples: pickExamples(transcripts, options.maxExamples ?? 4),
        finding: knowledgeAndRefusalFinding(metrics),
        details: { chart },
      };
    },
  };
}

/** The finding sentence, from the metrics alone. */
export function knowledgeAndRefusalFinding(metrics: Record<string, number>): string {
  const stages = (["base", "sft", "rl"] as const).filter(
    (s) => metrics[`${s}.unknownRefusalRate`] !== undefined,
  );
  const stage = primaryStage(stages);
  if (stage === undefined) return "No model stage was measured.";
  const refuse = metrics[`${stage}.unknownRefusalRate`]!;
  const known = metrics[`${stage}.knownAccuracy`]!;
  const falseRefuse = metrics[`${stage}.knownFalseRefusalRate`]!;
  const who = capitalize(stageLabel(stage));
  const says =
    refuse > 0
      ? `says it doesn't know for ${formatPercent(refuse)} of unknown entities`
      : "never says it doesn't know about unknown entities";
  let sentence = `${who} ${says}`;
  if (stage !== "base" && metrics["base.unknownRefusalRate"] !== undefined) {
    const base = metrics["base.unknownRefusalRate"];
    sentence += ` vs ${formatPercent(base)} for the base model (${formatPoints(refuse - base)})`;
  }
  sentence +=
    refuse > 0
      ? `, while answering ${formatPercent(known)} of known ones correctly and refusing ${formatPercent(falseRefuse)} of them`
      : `; it answers ${formatPercent(known)} of known ones correctly and refuses ${formatPercent(falseRefuse)} of them`;
  const searchRate = metrics[`${stage}.searchRate`];
  const exact = metrics[`${stage}.searchExactNameRate`];
  if (searchRate !== undefined)
    sentence += ` (tools on: it looked ${formatPercent(searchRate)} of the entities up${exact !== undefined ? `, the name copied exactly for ${formatPercent(exact)}` : ""})`;
  return `${sentence}.`;
}
