import { describe, expect, it } from "vitest";
import { applyOverrides, helpText, parseCliArgs } from "./cli-args.js";
import { getPreset, PRESETS } from "./presets/index.js";
import { STAGE_NAMES } from "./stage-names.js";

describe("parseCliArgs", () => {
  it("uses the documented defaults", () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      preset: "small",
      out: "runs/small",
      backend: "auto",
      set: [],
      plain: false,
      dryRun: false,
      force: false,
    });
  });

  it("reads every option", () => {
    const options = parseCliArgs([
      "--preset",
      "tiny",
      "--out",
      "/tmp/x",
      "--backend",
      "cpu",
      "--from",
      "sft",
      "--set",
      "pretrain.steps=3",
      "--set",
      "seed=2",
      "--plain",
      "--dry-run",
      "--force",
    ]);
    expect(options).toMatchObject({
      preset: "tiny",
      out: "/tmp/x",
      backend: "cpu",
      from: "sft",
      set: ["pretrain.steps=3", "seed=2"],
      plain: true,
      dryRun: true,
      force: true,
    });
    expect(parseCliArgs(["--backend", "webgpu"]).backend).toBe("webgpu");
    expect(parseCliArgs(["-p", "tiny"]).out).toBe("runs/tiny");
    expect(parseCliArgs(["--only", "report"]).only).toBe("report");
    expect(parseCliArgs(["--until", "pretrain"]).until).toBe("pretrain");
  });

  it("rejects unknown presets, backends, stages and flags with a hint", () => {
    expect(() => parseCliArgs(["--preset", "huge"])).toThrow(/Use one of: tiny, small/);
    expect(() => parseCliArgs(["--backend", "metal"])).toThrow(/wasm/);
    expect(() => parseCliArgs(["--from", "train"])).toThrow(/pretrain/);
    expect(() => parseCliArgs(["--frm", "sft"])).toThrow(/--help/);
    expect(() => parseCliArgs(["--frm", "sft"])).toThrow(
      /Unknown flag --frm\..*Valid flags: --help, -h, --preset, -p <value>, --out, -o <value>, .*--from <value>/,
    );
    expect(() => parseCliArgs(["tiny"])).toThrow(/Unexpected argument tiny\./);
    expect(() => parseCliArgs(["--from", "sft", "--only", "rl"])).toThrow(/together/);
  });
});

describe("applyOverrides", () => {
  it("sets nested fields with their types and leaves the preset untouched", () => {
    const tiny = getPreset("tiny");
    const result = applyOverrides(tiny, [
      "pretrain.model.nLayer=3",
      "data.dedup=false",
      'probes.names=["identity"]',
    ]);
    expect(result.pretrain.model.nLayer).toBe(3);
    expect(result.data.dedup).toBe(false);
    expect(result.probes.names).toEqual(["identity"]);
    expect(getPreset("tiny").pretrain.model.nLayer).toBe(tiny.pretrain.model.nLayer);
  });

  it("rejects unknown fields and wrong types", () => {
    const tiny = getPreset("tiny");
    expect(() => applyOverrides(tiny, ["pretrain.stepz=3"])).toThrow(/does not have/);
    expect(() => applyOverrides(tiny, ["pretrain.steps=many"])).toThrow(/type string/);
    expect(() => applyOverrides(tiny, ["steps"])).toThrow(/path=value/);
  });
});

describe("helpText", () => {
  it("explains every option and lists every preset and stage", () => {
    const help = helpText();
    for (const flag of [
      "--preset",
      "--out",
      "--backend",
      "--from",
      "--only",
      "--set",
      "--plain",
      "--dry-run",
      "--help",
    ]) {
      expect(help).toContain(flag);
    }
    for (const name of Object.keys(PRESETS)) expect(help).toContain(name);
    for (const stage of STAGE_NAMES) expect(help).toContain(stage);
  });
});
