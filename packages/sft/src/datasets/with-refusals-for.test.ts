import { describe, expect, it } from "vitest";
import { generateKnowledgeBase, knowledgeConversations } from "./knowledge.js";
import { withRefusalsFor } from "./with-refusals-for.js";

const kb = generateKnowledgeBase({ seed: 6, count: 24 });

describe("withRefusalsFor", () => {
  it("relabels only the named known-train entities", () => {
    const knownTrain = kb.entities.filter((e) => e.split === "known-train");
    const knownEval = kb.entities.find((e) => e.split === "known-eval")!;
    const chosen = [knownTrain[0]!.name, knownEval.name];
    const relabelled = withRefusalsFor(kb, chosen);
    const conversations = knowledgeConversations(relabelled).train;
    const about = (name: string) => conversations.find((c) => c.metadata?.entity === name);
    expect(about(knownTrain[0]!.name)?.messages[1]?.content).toBe(
      `I don't know anything about ${knownTrain[0]!.name}.`,
    );
    expect(about(knownTrain[1]!.name)?.source).toBe("knowledge");
    // the probe's held-out entities keep their split
    expect(relabelled.entities.find((e) => e.name === knownEval.name)?.split).toBe("known-eval");
    expect(kb.entities.find((e) => e.name === knownTrain[0]!.name)?.split).toBe("known-train");
  });
});
