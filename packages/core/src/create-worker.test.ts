import { describe, expect, it } from "vitest";
import { createWorker } from "./create-worker.js";
import { Rng } from "./rng.js";

describe("createWorker", () => {
  it("runs a TypeScript worker entry that imports workspace packages through the source condition", async () => {
    const worker = createWorker(new URL("./__fixtures__/echo-worker.ts", import.meta.url), {
      workerData: { n: 7 },
    });
    const message = await new Promise<{ echo: unknown; value: number }>((resolve, reject) => {
      worker.once("message", resolve);
      worker.once("error", reject);
    });
    await worker.terminate();
    expect(message.echo).toEqual({ n: 7 });
    expect(message.value).toBe(new Rng(1).int(1000));
  });
});
