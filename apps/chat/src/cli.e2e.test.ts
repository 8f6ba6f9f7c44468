/**
 * The CLI as a user starts it (`pnpm chat --web`): on the tiny fixture run, with `--allow-host`,
 * it prints the model it chose and the page's address, answers allowed Host headers, refuses
 * others with 403, and stops on Ctrl-C (SIGINT).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { request } from "node:http";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const appDir = resolve(import.meta.dirname, "..");
let child: ChildProcess | undefined;
afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

function get(port: number, host: string): Promise<number> {
  return new Promise((done, fail) => {
    const req = request({ host: "127.0.0.1", port, path: "/healthz", headers: { host } }, (res) => {
      res.resume();
      done(res.statusCode ?? 0);
    });
    req.on("error", fail);
    req.end();
  });
}

describe("pnpm chat --web", () => {
  it("names the chosen model, holds the Host allow-list and stops on SIGINT", async () => {
    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "--conditions=@llm/source",
        "src/cli.ts",
        "--run",
        "src/__fixtures__/tiny-run",
        "--web",
        "--port",
        "0",
        "--backend",
        "wasm",
        "--allow-host",
        "chat.lan",
      ],
      { cwd: appDir, env: { ...process.env, INIT_CWD: appDir }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout?.on("data", (d) => {
      output += d;
    });
    child.stderr?.on("data", (d) => {
      output += d;
    });
    const port = await new Promise<number>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no address in time:\n${output}`)), 60_000);
      child?.stdout?.on("data", () => {
        const match = /Chat page: http:\/\/127\.0\.0\.1:(\d+)\//.exec(output);
        if (match) {
          clearTimeout(timer);
          done(Number(match[1]));
        }
      });
      child?.once("exit", (code) => fail(new Error(`exited ${code}:\n${output}`)));
    });
    expect(output).toContain("model sft (the run's last finished stage)");
    expect(await get(port, `127.0.0.1:${port}`)).toBe(200);
    expect(await get(port, `localhost:${port}`)).toBe(200);
    expect(await get(port, `chat.lan:${port}`)).toBe(200);
    expect(await get(port, `rebind.example:${port}`)).toBe(403);
    const exited = new Promise<number | null>((done) => child?.once("exit", (code) => done(code)));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
  }, 90_000);
});
