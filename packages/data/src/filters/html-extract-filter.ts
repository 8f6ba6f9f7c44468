/**
 * HTML to main text: for documents marked content_type "text/html" (or that look like HTML),
 * extracts the main content with Mozilla Readability over a linkedom DOM (boilerplate such as
 * navigation, footers and sidebars removed), falling back to the whole body without script,
 * style, nav, header, footer, aside and form when Readability finds no article. Block elements
 * become line breaks, paragraphs blank lines. Documents with no text left are dropped.
 * Reference: FineWeb step 2 (trafilatura, precision mode). Leaves out: trafilatura's
 * comment extraction and its fine-grained precision/recall modes.
 */
import type { Document, DocumentFilter, FilterDecision } from "@llm/core";

type ParseHtml = typeof import("linkedom")["parseHTML"];
type ReadabilityClass = typeof import("@mozilla/readability")["Readability"];
let libraries: Promise<{ parseHTML: ParseHtml; Readability: ReadabilityClass }> | undefined;
/** linkedom and Readability load on first use, so importing @llm/data stays fast. */
function loadLibraries(): Promise<{ parseHTML: ParseHtml; Readability: ReadabilityClass }> {
  libraries ??= Promise.all([import("linkedom"), import("@mozilla/readability")]).then(([l, r]) => ({
    parseHTML: l.parseHTML,
    Readability: r.Readability,
  }));
  return libraries;
}

export interface HtmlExtractOptions {
  /** Only run on documents marked text/html; otherwise also on text that looks like HTML. Default false. */
  onlyMarked?: boolean;
  /** Drop documents with fewer extracted characters than this. Default 1. */
  minChars?: number;
  /** Readability's minimum article length before falling back to the body. Default 200. */
  charThreshold?: number;
  /**
   * "readability" (default): Mozilla Readability finds the article, boilerplate-stripped body as
   * fallback. "dom": only the boilerplate-stripped body (no Readability; several times faster).
   */
  extractor?: "readability" | "dom";
}

const LOOKS_LIKE_HTML = /<(?:html|body|div|p|table|br|span|font|a\s)[\s>/]/i;
const BLOCK = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "dd",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "header",
  "hr",
  "li",
  "main",
  "nav",
  "ol",
  "pre",
  "section",
  "table",
  "tr",
  "ul",
  "br",
  "center",
  "title",
]);
const PARAGRAPH = new Set([
  "p",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "blockquote",
  "pre",
  "table",
  "ul",
  "ol",
]);
const SKIP = new Set(["script", "style", "noscript", "template", "svg", "head", "iframe", "object"]);
const BOILERPLATE = new Set(["nav", "header", "footer", "aside", "form", "button", "select"]);

export class HtmlExtractFilter implements DocumentFilter {
  readonly name = "html_extract";
  private readonly onlyMarked: boolean;
  private readonly minChars: number;
  private readonly charThreshold: number;
  private readonly extractor: "readability" | "dom";

  constructor(options: HtmlExtractOptions = {}) {
    this.onlyMarked = options.onlyMarked ?? false;
    this.minChars = options.minChars ?? 1;
    this.charThreshold = options.charThreshold ?? 200;
    this.extractor = options.extractor ?? "readability";
    void loadLibraries().catch(() => {}); // start loading now; apply awaits the same promise
  }

  async apply(document: Document): Promise<FilterDecision> {
    const marked =
      typeof document.metadata.content_type === "string" && /html/i.test(document.metadata.content_type);
    if (!marked && (this.onlyMarked || !LOOKS_LIKE_HTML.test(document.text))) return { keep: true, document };
    const text = await extractMainText(document.text, this.charThreshold, this.extractor);
    if (text.length < this.minChars) {
      return {
        keep: false,
        reason: { filter: this.name, rule: "no_text", value: text.length, threshold: this.minChars },
      };
    }
    const { content_type: _ct, ...metadata } = document.metadata;
    return {
      keep: true,
      document: { ...document, text, metadata: { ...metadata, extracted_from: "text/html" } },
    };
  }
}

/** Main text of an HTML page (Readability, falling back to the boilerplate-stripped body). */
export async function extractMainText(
  html: string,
  charThreshold = 200,
  extractor: "readability" | "dom" = "readability",
): Promise<string> {
  const { parseHTML, Readability } = await loadLibraries();
  const source = /<html[\s>]/i.test(html) ? html : `<!DOCTYPE html><html><body>${html}</body></html>`;
  let article: { content?: string | null } | null = null;
  if (extractor === "readability") {
    try {
      const { document } = parseHTML(source);
      article = new Readability(document as never, { charThreshold }).parse();
    } catch {
      article = null;
    }
  }
  const content = article?.content;
  if (content) {
    const text = domToText(
      parseHTML(`<!DOCTYPE html><html><body>${content}</body></html>`).document.body,
      false,
    );
    if (text.length > 0) return text;
  }
  const { document } = parseHTML(source);
  return domToText(document.body ?? document.documentElement, true);
}

interface DomNode {
  nodeType: number;
  nodeName: string;
  textContent: string | null;
  childNodes: ArrayLike<DomNode>;
}

function domToText(root: unknown, stripBoilerplate: boolean): string {
  const out: string[] = [];
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      out.push((node.textContent ?? "").replace(/\s+/g, " "));
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIP.has(tag) || (stripBoilerplate && BOILERPLATE.has(tag))) return;
    const block = BLOCK.has(tag) || PARAGRAPH.has(tag);
    if (block) out.push(PARAGRAPH.has(tag) ? "\n\n" : "\n");
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i] as DomNode);
    if (tag === "td" || tag === "th") out.push(" ");
    if (block) out.push(PARAGRAPH.has(tag) ? "\n\n" : "\n");
  };
  if (root) walk(root as DomNode);
  return out
    .join("")
    .split("\n")
    .map((l) => l.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
