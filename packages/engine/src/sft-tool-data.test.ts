/**
 * The contract between @llm/sft's tool-using data and this engine: the code in every generated tool
 * call runs in the ToolSandbox and gives exactly the output the conversation trains on, and the
 * knowledge conversations' search results are what the sandbox's search() returns over the same
 * documents. (Moved from @llm/sft's generators.test.ts with the engine.)
 */
import {
  decimalCompareConversations,
  decimalCompareTasks,
  entityQuestion,
  extractAnswer,
  factDocuments,
  generateKnowledgeBase,
  knowledgeConversations,
  letterCountTasks,
  letterTaskConversations,
  spellingTasks,
} from "@llm/sft";
import { describe, expect, it } from "vitest";
import { CorpusSearch } from "./corpus-search.js";
import { ToolSandbox } from "./tool-sandbox.js";

describe("letter counting, spelling and decimal comparison", () => {
  it("tool solutions hold code whose sandbox output is the injected output", async () => {
    const sandbox = await ToolSandbox.create();
    try {
      const conversations = [
        ...letterTaskConversations(letterCountTasks({ seed: 5, count: 15, evalCount: 1 }).train, "tool"),
        // unquoted words: the literal carries the question's space (" strawberry"), same count
        ...letterTaskConversations(
          letterCountTasks({ seed: 5, count: 15, evalCount: 1, paraphraseShare: 1 }).train,
          "tool",
        ),
        // the sandbox helper count(" strawberry", " r"), quoted and unquoted
        ...letterTaskConversations(
          letterCountTasks({ seed: 5, count: 15, evalCount: 1, paraphraseShare: 0.5 }).train,
          "tool",
          "count",
        ),
        ...letterTaskConversations(spellingTasks({ seed: 5, count: 5, evalCount: 1 }).train, "tool"),
        ...decimalCompareConversations(
          decimalCompareTasks({ seed: 5, count: 15, evalCount: 1 }).train,
          "tool",
        ),
      ];
      for (const c of conversations) {
        const code = c.messages[1]?.toolCalls?.[0]?.code ?? "";
        expect(code.length).toBeLessThan(60);
        const result = await sandbox.run(code);
        expect(result.isError).toBe(false);
        expect(result.output).toBe(c.messages[2]?.content);
        expect(extractAnswer(c.messages[3]?.content ?? "")).toBe(String(c.metadata?.answer));
      }
    } finally {
      await sandbox.close();
    }
  });
});

describe("knowledge and refusal", () => {
  it("with search, every answer follows the tool's result, and the engine's search gives the same result", async () => {
    const kb = generateKnowledgeBase({ seed: 3, count: 20 });
    const documents = factDocuments(kb, { copies: 6 }).map((d) => d.text);
    const search = new CorpusSearch(documents);
    const { train, eval: evalSet } = knowledgeConversations(kb, { search: (q) => search.search(q) });
    const sandbox = await ToolSandbox.create({ search: { documents } });
    try {
      for (const c of [...train, ...evalSet]) {
        const [user, call, tool, reply] = c.messages;
        const entity = kb.entities.find((e) => e.name === c.metadata?.entity);
        expect(entity).toBeDefined();
        expect(user?.content).toContain(entity?.name);
        const code = call?.toolCalls?.[0]?.code ?? "";
        // the template questions write the name after a space ("Who is Kalora?"), and so does the call
        expect(code).toBe(`search(" ${entity?.name}")`);
        const found = JSON.parse(tool?.content ?? "") as string[];
        expect((await sandbox.run(code)).output).toBe(tool?.content);
        if (entity?.split.startsWith("known")) {
          // the top result is one of the entity's documents, with the fact the answer gives
          const { answer, key } = entityQuestion(entity);
          expect(found[0]).toContain(entity.name);
          expect(found[0]).toContain(key);
          expect(reply?.content).toBe(answer);
        } else {
          expect(found).toEqual([]);
          expect(reply?.content).toMatch(/^I don't know anything about /);
        }
      }
    } finally {
      await sandbox.close();
    }
  });

  it("with search, refuses to teach answers the corpus contradicts", () => {
    const kb = generateKnowledgeBase({ seed: 3, count: 20 });
    const unknown = kb.entities.find((e) => e.split.startsWith("unknown"));
    const documents = [
      ...factDocuments(kb, { copies: 2 }).map((d) => d.text),
      `A note about ${unknown?.name}.`,
    ];
    const search = new CorpusSearch(documents);
    expect(() => knowledgeConversations(kb, { search: (q) => search.search(q) })).toThrow(
      `found the unknown entity ${unknown?.name} in the corpus`,
    );
    expect(() => knowledgeConversations(kb, { search: () => [] })).toThrow(
      /found nothing for the known entity/,
    );
  });
});
