/**
 * HTML to main text, only for content that is HTML: a document whose declared type (metadata
 * `content_type`, `content-type`, `contentType` or `mime_type`, as set by the WARC, text-file and
 * corpus readers or carried over from a JSONL/Parquet field) is HTML, or, with no declared type,
 * text that is an HTML document (isHtmlDocument: a doctype or an opening html/head/body element,
 * or markup that starts the text and makes up much of it). Text that only mentions tags (an HTML
 * tutorial, already-extracted web text) is never touched, and a declared non-HTML type wins.
 * Extraction: Mozilla Readability over a linkedom DOM (boilerplate such as navigation, footers
 * and sidebars removed), falling back to the whole body without script, style, nav, header,
 * footer, aside and form when Readability finds no article. Block elements become line breaks,
 * paragraphs and headings blank lines; `<pre>` keeps its newlines and indentation; the page's
 * first heading is kept when Readability took it for the title. Documents with no text left are
 * dropped. Reference: FineWeb step 2 (trafilatura, precision mode). Leaves out: trafilatura's
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
  /**
   * Only run on documents whose declared type is HTML. Default false: also on unmarked text that
   * is an HTML document (isHtmlDocument); never on text with a declared non-HTML type.
   */
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

/** Metadata fields that declare a document's type. */
const TYPE_FIELDS = ["content_type", "content-type", "contentType", "mime_type", "mimetype"] as const;
const HTML_TYPE = /^\s*(?:text\/html|application\/xhtml\+xml)\b/i;
/** Doctype or an opening html/head/body element, after optional BOM, whitespace, XML declaration and comments. */
const DOCUMENT_START =
  /^(?:\uFEFF)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]/i;
const TAG = /<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi;
/** Share of characters inside tags above which text that starts with a tag is markup. */
const MARKUP_DENSITY = 0.2;
const MIN_TAGS = 6;

/** The declared type of a document, if any of the type fields holds a string. */
function declaredType(metadata: Record<string, unknown>): string | undefined {
  for (const field of TYPE_FIELDS) {
    const value = metadata[field];
    if (typeof value === "string" && value.trim() !== "") return value;
  }
  return undefined;
}

/**
 * True when unmarked text is an HTML document rather than text about HTML: it opens with a
 * doctype or an html/head/body element, or it opens with a tag and at least 6 tags make up at least
 * 20% of its characters (an HTML email body or a page fragment). A tag name in prose or in an
 * indented code sample of a tutorial is neither.
 */
export function isHtmlDocument(text: string): boolean {
  if (DOCUMENT_START.test(text)) return true;
  if (!/^\s*</.test(text)) return false;
  let tags = 0;
  let tagChars = 0;
  for (const match of text.matchAll(TAG)) {
    tags++;
    tagChars += match[0].length;
  }
  return tags >= MIN_TAGS && tagChars / text.length >= MARKUP_DENSITY;
}
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
    const type = declaredType(document.metadata);
    const html =
      type !== undefined ? HTML_TYPE.test(type) : !this.onlyMarked && isHtmlDocument(document.text);
    if (!html) return { keep: true, document };
    const text = await extractMainText(document.text, this.charThreshold, this.extractor);
    if (text.length < this.minChars) {
      return {
        keep: false,
        reason: { filter: this.name, rule: "no_text", value: text.length, threshold: this.minChars },
      };
    }
    const metadata = { ...document.metadata };
    for (const field of TYPE_FIELDS) delete metadata[field];
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
    if (text.length > 0) {
      // Readability moves the heading it takes for the title out of the content: put it back.
      const heading = firstHeading(html);
      return heading && !text.includes(heading) ? `${heading}\n\n${text}` : text;
    }
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

/** Text of the page's first h1 (else h2), tags stripped and whitespace collapsed; no second DOM parse. */
function firstHeading(html: string): string | undefined {
  for (const level of ["1", "2"]) {
    const m = new RegExp(`<h${level}(?:\\s[^>]*)?>([\\s\\S]*?)</h${level}\\s*>`, "i").exec(html);
    const text = m?.[1]
      ?.replace(/<[^>]*>/g, "")
      .replace(/&nbsp;/g, " ")
      .replace(/&amp;/g, "&")
      .replace(/\s+/g, " ")
      .trim();
    if (text) return text;
  }
  return undefined;
}

function domToText(root: unknown, stripBoilerplate: boolean): string {
  const out: string[] = [];
  // <pre> blocks keep their text as written; a placeholder stands in for them while the rest is normalised.
  const preformatted: string[] = [];
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      out.push((node.textContent ?? "").replace(/\s+/g, " "));
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const tag = node.nodeName.toLowerCase();
    if (SKIP.has(tag) || (stripBoilerplate && BOILERPLATE.has(tag))) return;
    if (tag === "pre") {
      const text = (node.textContent ?? "")
        .replace(/\r\n?/g, "\n")
        .replace(/^\n+|\s+$/g, "")
        .replace(/\u0000/g, "");
      if (text.trim()) {
        out.push(`\n\n\u0000${preformatted.length}\u0000\n\n`);
        preformatted.push(text);
      }
      return;
    }
    const block = BLOCK.has(tag) || PARAGRAPH.has(tag);
    if (block) out.push(PARAGRAPH.has(tag) ? "\n\n" : "\n");
    for (let i = 0; i < node.childNodes.length; i++) walk(node.childNodes[i] as DomNode);
    if (tag === "td" || tag === "th") out.push(" ");
    if (block) out.push(PARAGRAPH.has(tag) ? "\n\n" : "\n");
  };
  if (root) walk(root as DomNode);
  const text = out
    .join("")
    .split("\n")
    .map((l) => l.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  return preformatted.length === 0
    ? text
    : text.replace(/\u0000(\d+)\u0000/g, (_, i: string) => preformatted[Number(i)] as string);
}
