import { describe, expect, it } from "vitest";
import { outcome } from "./filter-test-helpers.js";
import { UrlFilter } from "./url-filter.js";

const f = new UrlFilter();
const at = (url: string) => outcome(f, "text", { url });

describe("UrlFilter: word boundaries", () => {
  it("does not read words across separators or inside innocent names", async () => {
    for (const url of [
      "https://help.ornithology.org/birds/owls",
      "https://www.top-ornaments.com/christmas",
      "https://www.xxxlutz.de/wohnzimmer",
      "https://en.wikipedia.org/wiki/Sex_education",
      "https://en.wikipedia.org/wiki/Escort_carrier",
      "https://www.history.navy.mil/research/escort-service-in-the-atlantic.html",
      "https://www.sussex.ac.uk/",
      "https://www.metmuseum.org/art/nude-in-renaissance-painting",
    ]) {
      expect(await at(url), url).toBe("keep");
    }
  });

  it("still drops adult URLs by word, subword inside a token, soft words and domains", async () => {
    expect(await at("https://example.com/free-porn-videos")).toBe("banned_word");
    expect(await at("https://bestpornsite.example/")).toBe("banned_subword");
    expect(await at("https://example.com/xxx/videos")).toBe("banned_word");
    expect(await at("https://example.com/hot-sex-cams")).toBe("soft_banned_words");
    expect(await at("https://www.spankbang.com/x")).toBe("blocked_domain");
  });
});
