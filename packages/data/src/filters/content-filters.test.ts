import { describe, expect, it } from "vitest";
import { doc, fillerWords, outcome } from "./filter-test-helpers.js";
import { HarmfulContentFilter } from "./harmful-content-filter.js";
import { extractMainText, HtmlExtractFilter } from "./html-extract-filter.js";
import { LanguageFilter } from "./language-filter.js";
import { isPublicIPv4, luhnValid, PiiFilter } from "./pii-filter.js";
import { UrlFilter } from "./url-filter.js";

describe("UrlFilter", () => {
  const f = new UrlFilter();
  const at = (url: string) => outcome(f, "text", { url });
  it("blocks listed domains and their subdomains, banned words and subwords", async () => {
    expect(await at("https://en.wikipedia.org/wiki/Whale")).toBe("keep");
    expect(await at("https://www.pornhub.com/x")).toBe("blocked_domain");
    expect(await at("https://videos.xvideos.com/")).toBe("blocked_domain");
    expect(await at("https://example.com/free-porn-videos")).toBe("banned_word");
    expect(await at("https://bestpornsite.example/")).toBe("banned_subword");
    expect(await outcome(f, "no url at all")).toBe("keep");
  });
  it("soft banned words: 1 keeps, 2 drop", async () => {
    expect(await at("https://example.com/hot-weather")).toBe("keep");
    expect(await at("https://example.com/hot-girls")).toBe("soft_banned_words");
    const custom = new UrlFilter({ blockedDomains: ["bad.example"], blockedUrls: ["https://ok.example/x"] });
    expect(await outcome(custom, "t", { url: "https://sub.bad.example/" })).toBe("blocked_domain");
    expect(await outcome(custom, "t", { url: "https://ok.example/x" })).toBe("blocked_url");
  });
});

describe("HarmfulContentFilter", () => {
  const f = new HarmfulContentFilter();
  const text = (hits: number, words: number) =>
    [...Array.from({ length: hits }, () => "porn"), ...fillerWords(words - hits)].join(" ");
  it("drops at > 4 weighted hits per 1,000 words (over at least 300 words) with at least 3 hits", async () => {
    expect(await outcome(f, text(4, 1000))).toBe("keep");
    expect(await outcome(f, text(5, 1000))).toBe("adult");
    expect(await outcome(f, text(2, 10))).toBe("keep");
    expect(await outcome(f, text(3, 10))).toBe("adult");
    expect(await outcome(f, "I will kill you. ".repeat(3))).toBe("violent");
    expect(await outcome(f, "They called us subhuman, subhumans, subhuman again.")).toBe("hateful");
  });
  it("matches whole words (with plural and verb endings) only", async () => {
    expect(await outcome(f, "Porn, PORNOS and porno; porcupine is another word.")).toBe("adult");
    expect(await outcome(f, "xxxl sizes, porcupines and pornographic-sounding unnudeness")).toBe("keep");
  });
});

describe("PiiFilter", () => {
  const f = new PiiFilter();
  it("replaces emails, public IPs, phones and Luhn-valid cards with placeholders", async () => {
    const text = [
      "Mail jane.doe@corp.co.uk or <bob+news@mail.example.com>.",
      "Server 8.8.8.8 and 93.184.216.34, but 192.168.1.20, 10.0.0.1 and 127.0.0.1 are private.",
      "IPv6 2606:4700:4700::1111 is public; fe80::1 and ::1 are not.",
      "Call (415) 555-2671 or +44 20 7946 0958 today.",
      "Card 4111 1111 1111 1111 is valid; 4111 1111 1111 1112 is not.",
    ].join("\n");
    const decision = await f.apply(doc(text));
    expect(decision.keep).toBe(true);
    if (!decision.keep) return;
    const out = decision.document.text;
    expect(out).not.toMatch(
      /jane\.doe|bob\+news|8\.8\.8\.8|93\.184|2606:4700|415\) 555-2671|7946|4111 1111 1111 1111/,
    );
    expect(out).toMatch(/(email@example\.com|firstname\.lastname@example\.org)/);
    expect(out).toContain("192.168.1.20");
    expect(out).toContain("10.0.0.1");
    expect(out).toContain("fe80::1");
    expect(out).toContain("4111 1111 1111 1112");
    expect(out).toContain("0000-0000-0000-0000");
    expect(decision.document.metadata.pii).toEqual({ email: 2, ipv4: 2, ipv6: 1, phone: 2, card: 1 });
    const again = await f.apply(decision.document);
    expect(again.keep && again.document.text).toBe(out);
  });
  it("helpers: Luhn and IPv4 ranges", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(luhnValid("79927398713")).toBe(false);
    expect(isPublicIPv4("172.15.0.1")).toBe(true);
    expect(isPublicIPv4("172.16.0.1")).toBe(false);
    expect(isPublicIPv4("172.31.255.255")).toBe(false);
    expect(isPublicIPv4("172.32.0.1")).toBe(true);
  });
});

describe("LanguageFilter", () => {
  const english =
    "The whale is the largest animal that has ever lived, and it sings songs to its family in the deep sea.";
  it("keeps English above the score threshold and drops other languages", async () => {
    const f = new LanguageFilter();
    const decision = await f.apply(doc(english));
    expect(decision.keep).toBe(true);
    if (decision.keep) expect(decision.document.metadata.language).toBe("en");
    expect(
      await outcome(
        f,
        "Der Wal ist das größte Tier, das je gelebt hat, und er singt Lieder für seine Familie.",
      ),
    ).toBe("language");
    expect(
      await outcome(
        new LanguageFilter({ languages: ["de"] }),
        "Der Wal ist das größte Tier, das je gelebt hat.",
      ),
    ).toBe("keep");
  });
  it("score threshold: just under keeps, at the score drops", async () => {
    const { score } = await new LanguageFilter().detect(english);
    expect(await outcome(new LanguageFilter({ minScore: score - 0.001 }), english)).toBe("keep");
    expect(await outcome(new LanguageFilter({ minScore: score }), english)).toBe("language_score");
  });
});

describe("HtmlExtractFilter", () => {
  const page = `<!DOCTYPE html><html><head><title>Whales</title><style>p{color:red}</style></head><body>
    <nav><a href="/">Home</a> | <a href="/about">About us</a> | <a href="/shop">Shop</a></nav>
    <article><h1>Whales</h1>
    <p>Whales are a widespread group of fully aquatic placental marine mammals. They are an informal grouping within the infraorder Cetacea.</p>
    <p>Whales, dolphins and porpoises belong to the order Cetartiodactyla, which consists of even-toed ungulates. Their closest living relatives are the hippopotamuses.</p>
    <p>Whales range in size from the 2.6 metres dwarf sperm whale to the 29.9 metres blue whale, which is the largest known animal that has ever lived.</p>
    </article>
    <footer>Copyright 2024 Example Corp. All rights reserved. Privacy policy.</footer>
    <script>var tracking = 1;</script></body></html>`;
  it("keeps the main text, drops navigation, footer, script and style", async () => {
    const f = new HtmlExtractFilter();
    const decision = await f.apply(doc(page, { content_type: "text/html" }));
    expect(decision.keep).toBe(true);
    if (!decision.keep) return;
    const text = decision.document.text;
    expect(text).toContain("Whales are a widespread group");
    expect(text).toContain("largest known animal");
    expect(text).not.toMatch(/About us|Copyright|tracking|color:red/);
    expect(text.split("\n\n").length).toBeGreaterThanOrEqual(3);
    expect(decision.document.metadata.content_type).toBeUndefined();
  });
  it("the dom extractor strips boilerplate without Readability", async () => {
    const decision = await new HtmlExtractFilter({ extractor: "dom" }).apply(
      doc(page, { content_type: "text/html" }),
    );
    expect(decision.keep).toBe(true);
    if (!decision.keep) return;
    expect(decision.document.text).toContain("largest known animal");
    expect(decision.document.text).not.toMatch(/About us|Copyright|tracking|color:red/);
  });

  it("falls back to the body, leaves plain text alone and drops empty pages", async () => {
    expect(await extractMainText("<div>Short <b>note</b></div><footer>foot</footer>")).toBe("Short note");
    const f = new HtmlExtractFilter();
    const plain = await f.apply(doc("Just plain text with a < sign."));
    expect(plain.keep && plain.document.text).toBe("Just plain text with a < sign.");
    expect(
      await outcome(f, "<html><body><script>x()</script></body></html>", { content_type: "text/html" }),
    ).toBe("no_text");
  });
});
