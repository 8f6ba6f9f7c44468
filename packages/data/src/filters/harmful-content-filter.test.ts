import { describe, expect, it } from "vitest";
import { doc, outcome } from "./filter-test-helpers.js";
import { HarmfulContentFilter, obscenityTerms } from "./harmful-content-filter.js";

const f = new HarmfulContentFilter();

// Short innocent texts that the old term lists dropped (each under 1,000 words, two or more hits).
const innocent = {
  dermatology:
    "Genital warts can appear on the penis, the vulva or around the anus. Anal fissures are small tears in the lining of the anal canal; they heal within weeks. A dermatologist examines the skin and may take a biopsy.",
  art: "The reclining nude was a favourite subject of Titian. His nudes, like the Venus of Urbino, influenced Manet, whose Olympia shocked Paris in 1865. Nude figures also fill the Sistine ceiling.",
  war: "After 1991 the wars in Yugoslavia brought ethnic cleansing to Bosnia. Historians of ethnic cleansing compare it with the expulsions of 1945. The tribunal at The Hague tried those responsible for the massacre at Srebrenica.",
  pests:
    "Rats and mice are vermin that spread disease. To exterminate them, seal every hole, set traps along the walls and call a licensed exterminator; poison baits must be kept away from pets and children.",
  navy: "The destroyer escort served in the Atlantic. Escort service for convoys was the hardest duty of the war: the escort carriers and their escort groups kept the U-boats away from the merchant ships.",
  moby: "Call me Ishmael. Moby Dick was a white whale, and Captain Ahab hunted Moby Dick across the seas. Dick, the whale, took his leg; the cock crowed as the Pequod sailed from Nantucket.",
  history:
    "Nazi propaganda spoke of a master race and of racial purity. Historians trace how these myths of racial purity were taught in schools and used to justify the persecution of the Jews.",
};

describe("HarmfulContentFilter: precision and leetspeak", () => {
  it("keeps short innocent texts that mention anatomy, art, war, pests, the navy and Moby Dick", async () => {
    for (const [name, text] of Object.entries(innocent)) {
      expect(await outcome(f, text), name).toBe("keep");
    }
  });

  it("drops leetspeak and adult spam with words beyond the old 50-term lists", async () => {
    expect(await outcome(f, "Free p0rn, pr0n and s3x chat! Hot p0rn videos, 100% free, no signup.")).toBe(
      "adult",
    );
    expect(
      await outcome(
        f,
        "Horny milfs and camgirls waiting for you. Watch live cams, sexy teens and hot singles near you tonight. Click for our gangbang and cumshot videos.",
      ),
    ).toBe("adult");
  });

  it("weighs hits by length: a long article that mentions terms in passing stays", async () => {
    const filler = "The committee met on Tuesday and discussed the budget for the coming year in detail. ";
    const article = `${filler.repeat(60)} The report on online porn regulation cites porn sites and the porn industry. ${filler.repeat(60)}`;
    expect(await outcome(f, article)).toBe("keep");
    expect(await outcome(f, "porn porn porn porn")).toBe("adult");
  });

  it("takes its vocabulary from the obscenity package, with a category per word", () => {
    const terms = obscenityTerms();
    expect(terms.get("adult")?.map((t) => t.term)).toContain("blowjob");
    expect(terms.get("hateful")?.length).toBeGreaterThan(5);
    expect([...terms.values()].flat().map((t) => t.term)).not.toContain("dick");
    const hits = f.explain("Free p0rn and s3x").find((e) => e.category === "adult");
    expect(hits?.terms).toEqual(["p0rn", "s3x"]);
    expect(hits?.hits).toBe(1.5);
    expect(f.apply(doc("ok")).keep).toBe(true);
  });
});
