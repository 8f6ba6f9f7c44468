/**
 * RERUN_HINT: what to tell a user whose checkpoint is truncated or damaged. Only the latest
 * checkpoint of a stage is kept (saves replace it atomically), so "resume from an earlier one" is
 * not possible: training that stage again is. Reference: the pipeline's `--from <stage>` flag.
 * Leaves out: nothing.
 */
export const RERUN_HINT =
  "Only the latest checkpoint of a stage is kept, so train that stage again: `pnpm pipeline --from pretrain` (or the stage that wrote it), or `llm-model train` without --resume.";
