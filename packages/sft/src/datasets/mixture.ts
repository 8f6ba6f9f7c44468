/**
 * mixConversations: combines conversation sources into one seeded, shuffled SFT set with a
 * validation split. Each source has `epochs` (how many passes over it; fractional passes take a
 * seeded subset) or a `weight` (its share of a requested total size). The validation split is
 * taken per source from distinct conversations *before* repetition, so no validation
 * conversation ever appears in training.
 * Reference: nanochat's TaskMixture, TRL's dataset mixing. Leaves out: streaming very large sources.
 */
import type { Conversation } from "@llm/core";
import { LlmError, Rng } from "@llm/core";

export interface MixtureSource {
  name: string;
  conversations: readonly Conversation[];
  /** Passes over the source's training part; 0.5 takes half. Default 1 (ignored when `weight` and `size` are set). */
  epochs?: number;
  /** Relative share of the mixture when MixtureOptions.size is set. */
  weight?: number;
}

export interface MixtureOptions {
  /** Seed of the split and the shuffle. Default 0. */
  seed?: number;
  /** Share of each source held out for validation. Default 0.05. */
  valFraction?: number;
  /** Total training conversations, shared by weight among sources that have one. Default: by epochs. */
  size?: number;
}

export interface Mixture {
  train: Conversation[];
  val: Conversation[];
  /** Training conversations per source name. */
  counts: Record<string, number>;
}

function take(rng: Rng, items: readonly Conversation[], count: number): Conversation[] {
  const out: Conversation[] = [];
  const whole = Math.floor(count / Math.max(1, items.length));
  for (let e = 0; e < whole; e++) out.push(...items);
  const rest = count - out.length;
  if (rest > 0) out.push(...rng.shuffle([...items]).slice(0, rest));
  return out;
}

export function mixConversations(sources: readonly MixtureSource[], options: MixtureOptions = {}): Mixture {
  const rng = new Rng(`mixture:${options.seed ?? 0}`);
  const valFraction = options.valFraction ?? 0.05;
  if (!(valFraction >= 0 && valFraction < 1)) {
    throw new LlmError("INVALID_CONFIG", "valFraction must be in [0, 1).", {
      input: String(valFraction),
      hint: "Use e.g. 0.05.",
    });
  }
  const totalWeight = sources.reduce((sum, s) => sum + (s.weight ?? 0), 0);
  const train: Conversation[] = [];
  const val: Conversation[] = [];
  const counts: Record<string, number> = {};
  for (const source of sources) {
    const epochs = source.epochs ?? 1;
    if (!(epochs >= 0) || (source.weight !== undefined && !(source.weight >= 0))) {
      throw new LlmError("INVALID_CONFIG", `Mixture source ${source.name} has a negative epochs or weight.`, {
        input: source.name,
        hint: "Use epochs >= 0 and weight >= 0.",
      });
    }
    const shuffled = rng.fork(source.name).shuffle([...source.conversations]);
    const nVal = source.conversations.length > 1 ? Math.round(shuffled.length * valFraction) : 0;
    val.push(...shuffled.slice(0, nVal));
    const pool = shuffled.slice(nVal);
    const count =
      options.size !== undefined && source.weight !== undefined && totalWeight > 0
        ? Math.round((options.size * source.weight) / totalWeight)
        : Math.round(pool.length * epochs);
    const taken = pool.length === 0 ? [] : take(rng.fork(`${source.name}:take`), pool, count);
    counts[source.name] = taken.length;
    train.push(...taken);
  }
  rng.shuffle(train);
  return { train, val, counts };
}
