/**
 * Browser test: Debian's Chromium (installed by .ci/system-packages) driven by playwright-core
 * opens the chat page, sends a message, watches the reply stream in, sees the tool call rendered
 * as code with its output, opens the token view, and saves a screenshot.
 */
import { existsSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ByteTokenizer, ScriptedEngine } from "./__fixtures__/scripted-engine.js";
import { ChatServer } from "./chat-server.js";

const CHROMIUM = "/usr/bin/chromium";
const outDir = resolve(import.meta.dirname, "../test-output");
let server: ChatServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run .ci/system-packages (apt-get install chromium) first.`);
  }
  server = new ChatServer({
    engine: new ScriptedEngine(150),
    tokenizer: new ByteTokenizer(),
    staticDir: resolve(import.meta.dirname, "../public"),
    info: { run: "runs/e2e", stage: "sft", parameters: 1234 },
  });
  const address = await server.listen(0, "127.0.0.1");
  url = `http://127.0.0.1:${address.port}/`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("chat page in Chromium", () => {
  it("streams a reply, renders the tool call and output, and shows tokens", async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await page.goto(url);
    await expect.poll(() => page.textContent("#info")).toContain("stage sft");

    await page.fill("#input", "count the r in strawberry");
    await page.click("#send");
    const assistant = page.locator(".msg.assistant").first();
    // Streaming: text appears before the reply is finished.
    await expect.poll(() => assistant.textContent(), { timeout: 10_000 }).toContain("Let me");
    expect(await assistant.getAttribute("data-done")).toBeNull();
    await page.waitForSelector(".msg.assistant[data-done=true]", { timeout: 10_000 });
    expect(await page.textContent(".tool-call code")).toBe('"strawberry".split("r").length - 1');
    expect(await page.textContent(".tool-output")).toBe("3");
    expect(await assistant.textContent()).toContain("There are 3 r's.");

    await page.locator(".msg.user .tok-btn").click();
    await page.waitForSelector("#token-view:not([hidden])");
    expect(await page.locator("#tokens span").count()).toBe("count the r in strawberry".length);

    mkdirSync(outDir, { recursive: true });
    await page.screenshot({ path: resolve(outDir, "chat.png") });
    expect(existsSync(resolve(outDir, "chat.png"))).toBe(true);
    await page.close();
  });
});
