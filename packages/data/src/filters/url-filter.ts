/**
 * URL filter: drops documents whose metadata.url is on a domain or URL blocklist, contains a
 * banned word as a token, a banned subword inside one token, or at least `softBannedThreshold`
 * soft banned words. Tokens are the URL split on every non-alphanumeric character (the word
 * boundaries of a URL), as FineWeb's filter specifies for its word lists; a subword is matched
 * inside a token (bestpornsite) but never across a separator, so help.ornithology.org and
 * top-ornaments.com are not read as "porn". Common words with innocent senses ("sex" as in
 * Sex_education, "escort" as in escort carriers) are soft words: one alone does not drop a URL.
 * Documents without a URL pass. Defaults read the lists in data/url/.
 * Reference: datatrove URLFilter (FineWeb step 1). Leaves out: the full UT1 blocklist (no npm
 * package ships an adult-domain list; pass UT1's through `blocklistFiles`) and punycode
 * normalisation.
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";
import { dataFile, readList } from "./data-files.js";

export interface UrlFilterOptions {
  /** Blocked domains (subdomains blocked too). Default: data/url/blocked-domains.txt. */
  blockedDomains?: readonly string[];
  /** Extra list files of domains to block, one per line (e.g. UT1 adult). Default none. */
  blocklistFiles?: readonly string[];
  /** Exact URLs to block. Default none. */
  blockedUrls?: readonly string[];
  /** Whole-token banned words. Default: data/url/banned-words.txt. */
  bannedWords?: readonly string[];
  /** Substrings banned inside a URL token. Default: data/url/banned-subwords.txt. */
  bannedSubwords?: readonly string[];
  /** Soft banned words. Default: data/url/soft-banned-words.txt. */
  softBannedWords?: readonly string[];
  /** How many soft banned words drop a URL. Default 2. */
  softBannedThreshold?: number;
}

export class UrlFilter implements DocumentFilter {
  readonly name = "url";
  private readonly domains: Set<string>;
  private readonly urls: Set<string>;
  private readonly words: Set<string>;
  private readonly subwords: readonly string[];
  private readonly soft: Set<string>;
  private readonly softThreshold: number;

  constructor(options: UrlFilterOptions = {}) {
    const domains = [...(options.blockedDomains ?? readList(dataFile("url/blocked-domains.txt")))];
    for (const file of options.blocklistFiles ?? []) domains.push(...readList(file));
    this.domains = new Set(domains.map((d) => d.toLowerCase()));
    this.urls = new Set((options.blockedUrls ?? []).map((u) => u.toLowerCase()));
    this.words = new Set(options.bannedWords ?? readList(dataFile("url/banned-words.txt")));
    this.subwords = options.bannedSubwords ?? readList(dataFile("url/banned-subwords.txt"));
    this.soft = new Set(options.softBannedWords ?? readList(dataFile("url/soft-banned-words.txt")));
    this.softThreshold = options.softBannedThreshold ?? 2;
  }

  apply(document: Document): FilterDecision {
    const url = typeof document.metadata.url === "string" ? document.metadata.url.toLowerCase() : "";
    if (!url) return { keep: true, document };
    const drop = (rule: string, value: string | number, threshold?: number): FilterDecision => ({
      keep: false,
      reason: { filter: this.name, rule, value, ...(threshold !== undefined ? { threshold } : {}) },
    });
    if (this.urls.has(url)) return drop("blocked_url", url);
    const host = hostOf(url);
    const parts = host.split(".");
    for (let i = 0; i < parts.length - 1; i++) {
      const domain = parts.slice(i).join(".");
      if (this.domains.has(domain)) return drop("blocked_domain", domain);
    }
    const tokens = url.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
    for (const t of tokens) if (this.words.has(t)) return drop("banned_word", t);
    for (const s of this.subwords)
      for (const t of tokens) if (t.includes(s)) return drop("banned_subword", s);
    const softHits = new Set(tokens.filter((t) => this.soft.has(t)));
    if (softHits.size >= this.softThreshold)
      return drop("soft_banned_words", softHits.size, this.softThreshold);
    return { keep: true, document };
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url.includes("://") ? url : `http://${url}`).hostname.replace(/^www\./, "");
  } catch {
    return url.split("/")[0] ?? url;
  }
}
