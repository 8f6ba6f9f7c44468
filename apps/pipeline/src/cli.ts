#!/usr/bin/env node
/**
 * `pnpm pipeline`: parses the command line, resolves the preset, wires Ctrl-C to an AbortSignal
 * (first press: stop after the current step with a checkpoint; second press: quit now), shows
 * progress, and runs the stages. The only file of the app that reads argv, env or prints.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { isLlmError, runPaths, watchParent } from "@llm/core";
import { applyOverrides, helpText, parseCliArgs } from "./cli-args.js";
import { getPreset } from "./presets/index.js";
import { formatDuration, ProgressDisplay } from "./progress-display.js";
import { runPipeline } from "./run-pipeline.js";
import { backendLines, checkGpuRequirement, resolveBackends } from "./stage-backends.js";
import { createStages } from "./stages/index.js";
import { packageVersions } from "./versions.js";

async function main(): Promise<number> {
  const options = parseCliArgs(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  const config = applyOverrides(getPreset(options.preset), options.set);
  // pnpm runs scripts inside apps/pipeline; resolve --out against where the user typed the command.
  const runDir = resolve(process.env.INIT_CWD ?? process.cwd(), options.out);
  const display = new ProgressDisplay({
    live: !options.plain && ProgressDisplay.detectLive(process.stderr, process.env),
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
      process.exit(130);
    }
  };
  process.on("SIGINT", () => onSignal("Ctrl-C"));
  process.on("SIGTERM", () => onSignal("SIGTERM"));
  // Die with the command that started us: kill -9 of `npx pnpm pipeline` must not leave this
  // process training as an orphan (stop after the current step, with a checkpoint; quit if stuck).
  watchParent(() => {
    display.print("The command that started the pipeline is gone: stopping after the current step.");
    controller.abort();
    setTimeout(() => process.exit(130), 60_000).unref();
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
      command: process.argv.slice(2),
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (isLlmError(error, "ABORTED")) {
      process.stderr.write(`\n${error.message}\n`);
      process.exit(130);
    }
    if (isLlmError(error)) {
      process.stderr.write(`\nerror [${error.code}]: ${error.message}\n`);
      process.exit(error.code === "INVALID_ARGUMENT" ? 2 : 1);
    }
    process.stderr.write(`\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
