/**
 * Argument handling of the llm-data CLI, as pure functions so they can be tested: where the
 * rank and world size come from (flags first, then the scheduler's environment passed in by
 * cli.ts: Slurm job arrays or Kubernetes indexed Jobs). Reference: datatrove's Slurm executor
 * (SLURM_ARRAY_TASK_ID) and Kubernetes' JOB_COMPLETION_INDEX. Leaves out: MPI ranks.
 */
import { LlmError } from "@llm/core";

export interface RankSpec {
  rank: number;
  worldSize: number;
  /** Where the values came from: "flags", "slurm" or "kubernetes". */
  from: string;
}

function integer(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new LlmError("INVALID_ARGUMENT", `${name} must be a non-negative integer, got "${value}"`, {
      input: name,
    });
  }
  return n;
}

/**
 * The rank to run, or undefined to run every rank locally.
 * Flags win; then SLURM_ARRAY_TASK_ID (minus SLURM_ARRAY_TASK_MIN) with SLURM_ARRAY_TASK_COUNT;
 * then JOB_COMPLETION_INDEX with --world-size (Kubernetes does not export the completion count).
 */
export function resolveRank(
  flags: { rank?: string; worldSize?: string },
  env: Readonly<Record<string, string | undefined>>,
): RankSpec | undefined {
  const flagRank = integer(flags.rank, "--rank");
  const flagWorld = integer(flags.worldSize, "--world-size");
  const check = (spec: RankSpec): RankSpec => {
    if (spec.worldSize < 1 || spec.rank >= spec.worldSize) {
      throw new LlmError(
        "INVALID_ARGUMENT",
        `Rank ${spec.rank} is outside world size ${spec.worldSize} (from ${spec.from})`,
        {
          input: `rank=${spec.rank} worldSize=${spec.worldSize}`,
          hint: "Ranks run from 0 to world size - 1.",
        },
      );
    }
    return spec;
  };
  if (flagRank !== undefined) {
    if (flagWorld === undefined) {
      throw new LlmError("INVALID_ARGUMENT", "--rank needs --world-size", { input: "--world-size" });
    }
    return check({ rank: flagRank, worldSize: flagWorld, from: "flags" });
  }
  const slurmId = integer(env.SLURM_ARRAY_TASK_ID, "SLURM_ARRAY_TASK_ID");
  if (slurmId !== undefined) {
    const min = integer(env.SLURM_ARRAY_TASK_MIN, "SLURM_ARRAY_TASK_MIN") ?? 0;
    const count = flagWorld ?? integer(env.SLURM_ARRAY_TASK_COUNT, "SLURM_ARRAY_TASK_COUNT");
    if (count === undefined) {
      throw new LlmError("INVALID_ARGUMENT", "SLURM_ARRAY_TASK_ID is set but the array size is unknown", {
        input: "SLURM_ARRAY_TASK_COUNT",
        hint: "Pass --world-size.",
      });
    }
    return check({ rank: slurmId - min, worldSize: count, from: "slurm" });
  }
  const k8s = integer(env.JOB_COMPLETION_INDEX, "JOB_COMPLETION_INDEX");
  if (k8s !== undefined) {
    if (flagWorld === undefined) {
      throw new LlmError("INVALID_ARGUMENT", "JOB_COMPLETION_INDEX is set but --world-size is missing", {
        input: "--world-size",
        hint: "Pass the Job's completions count as --world-size.",
      });
    }
    return check({ rank: k8s, worldSize: flagWorld, from: "kubernetes" });
  }
  return undefined;
}
