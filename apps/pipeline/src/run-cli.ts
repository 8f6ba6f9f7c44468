/**
 * runCli: `pnpm pipeline` as a function: parses the command line (cli-args.ts), resolves the
 * preset, turns interrupts into an AbortSignal (first Ctrl-C: stop after the current step with a
 * checkpoint; second: quit now), shows progress, runs the stages and maps errors to exit codes
 * (2 for bad arguments, 130 when stopped). cli.ts hands it the process's arguments, stderr,
 * environment, signals and exit. Leaves out: reading the process itself.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { isLlmError, runPaths } from "@llm/core";
import { applyOverrides, helpText, parseCliArgs } from "./cli-args.js";
import { getPreset } from "./presets/index.js";
import { formatDuration, ProgressDisplay } from "./progress-display.js";
import { runPipeline } from "./run-pipeline.js";
import { backendLines, checkGpuRequirement, resolveBackends } from "./stage-backends.js";
import { createStages } from "./stages/index.js";
import { packageVersions } from "./versions.js";

/** What the pipeline's command line reads from and does to its process (cli.ts passes the real ones). */
export interface CliIo {
  /** Standard output (the --help text). */
  stdout: NodeJS.WritableStream;
  /** Progress, logs and errors. */
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** The folder --out is relative to (where the user typed the command). */
  cwd: string;
  /** Calls `handler` with a name ("Ctrl-C", "SIGTERM") on each interrupt. */
  onInterrupt: (handler: (name: string) => void) => void;
  /** Calls `handler` once when the command that started this process is gone. */
  onOrphaned: (handler: () => void) => void;
  /** Ends the process now (a second Ctrl-C, or a stop that hangs). */
  exit: (code: number) => never;
}

/** Runs `pnpm pipeline` with `argv` (without the program name); resolves to the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await pipeline(argv, io);
  } catch (error) {
    if (isLlmError(error, "ABORTED")) {
      io.stderr.write(`\n${error.message}\n`);
      return 130;
    }
    if (isLlmError(error)) {
      io.stderr.write(`\nerror [${error.code}]: ${error.message}\n`);
      return error.code === "INVALID_ARGUMENT" ? 2 : 1;
    }
    io.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

async function pipeline(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parseCliArgs(argv);
  if (options.help) {
    io.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const config = applyOverrides(getPreset(options.preset), options.set);
  // pnpm runs scripts inside apps/pipeline; resolve --out against where the user typed the command.
  const runDir = resolve(io.cwd, options.out);
  const display = new ProgressDisplay({
    stream: io.stderr,
    live: !options.plain && ProgressDisplay.detectLive(io.stderr, io.env),
  });
  const controller = new AbortController();
  let interrupts = 0;
  let firstInterrupt = 0;
  const onSignal = (name: string) => {
    // A terminal's Ctrl-C can reach this process twice at once (directly and relayed by a parent
    // such as pnpm); only a second press after a moment means "quit now".
    if (interrupts > 0 && Date.now() - firstInterrupt < 1000) return;
    interrupts++;
    if (interrupts === 1) {
      firstInterrupt = Date.now();
      display.print(
        `${name}: stopping after the current step (a checkpoint is written). Press Ctrl-C again to quit now.`,
      );
      controller.abort();
    } else {
      display.print("Quitting now; rerun the same command to resume from the last checkpoint.");
      io.exit(130);
    }
  };
  io.onInterrupt(onSignal);
  // Die with the command that started us: kill -9 of `npx pnpm pipeline` must not leave this
  // process training as an orphan (stop after the current step, with a checkpoint; quit if stuck).
  io.onOrphaned(() => {
    display.print("The command that started the pipeline is gone: stopping after the current step.");
    controller.abort();
    setTimeout(() => io.exit(130), 60_000).unref();
  });

  // Fail fast on a backend that is not installed (or a GPU preset without a GPU), before hours of data work.
  const backends = await resolveBackends(options.backend);
  const backendUsed = backends.pretrain.name;
  display.print(`pipeline: preset ${config.name} -> ${runDir} (backend ${backends.pretrain.label})`);
  for (const line of backendLines(backends)) display.print(line);
  const gpuWarning = checkGpuRequirement(config, backends, options.force || options.dryRun);
  if (gpuWarning)
    display.print(`warning: ${gpuWarning}${options.dryRun ? " (refused without --force)" : ""}`);
  const started = performance.now();
  const result = await runPipeline({
    config,
    runDir,
    backend: options.backend,
    stages: createStages(),
    signal: controller.signal,
    listeners: display,
    dryRun: options.dryRun,
    ...(options.from ? { from: options.from } : {}),
    ...(options.only ? { only: options.only } : {}),
    ...(options.until ? { until: options.until } : {}),
    environment: {
      backendUsed,
      backends: {
        pretrain: {
          name: backends.pretrain.name,
          label: backends.pretrain.label,
          adapter: backends.pretrain.adapter,
        },
        rlProbes: {
          name: backends.later.name,
          label: backends.later.label,
          adapter: backends.later.adapter,
        },
      },
      versions: packageVersions(),
      node: process.version,
      command: [...argv],
    },
    onStage: (event) => {
      switch (event.type) {
        case "plan":
          for (const d of event.decisions)
            display.print(`  ${d.stage.padEnd(10)} ${d.action.padEnd(9)} ${d.reason}`);
          break;
        case "start":
          display.print(`== ${event.stage} (${event.action === "continue" ? "resuming" : "starting"})`);
          break;
        case "skip":
          break;
        case "done":
          display.print(`== ${event.stage} done in ${formatDuration(event.seconds)}`);
          break;
      }
    },
  });
  display.close();
  if (!options.dryRun) {
    const took = formatDuration((performance.now() - started) / 1000);
    const reported = result.decisions.some((d) => d.stage === "report" && d.action !== "skip");
    display.print(
      reported || existsSync(runPaths(runDir).reportMarkdown)
        ? `Finished in ${took}. Report: ${runPaths(runDir).reportMarkdown} (and report.html)`
        : `Finished in ${took}. Run folder: ${runDir}`,
    );
  }
  return 0;
}
