import { describe, expect, it } from "vitest";
import { doc } from "./filter-test-helpers.js";
import { extractMainText, HtmlExtractFilter, isHtmlDocument } from "./html-extract-filter.js";

// Plain text that talks about tags: an HTML tutorial and already-extracted web text.
const tutorial = `Learning HTML: paragraphs and links

HTML pages are made of elements. A paragraph is written with the <p> tag and closed with </p>, and
a <div> groups other elements together. Links use <a href="https://example.com">, and a line
break inside a paragraph is a <br> element, which has no closing tag.

Here is a first example you can paste into a file:

    <div class="note">
      <p>Hello, <a href="/world">world</a>!<br>Second line.</p>
    </div>

Save it, open it in a browser, and you will see one paragraph with a link in it. In the next
lesson we look at lists and tables.`;
const extracted = `Dear readers, our newsletter moved. Old issues used <br> tags and a <font> element for the
headline, which is why some archived pages look odd. Nothing changes for subscribers: the
next issue arrives on Monday, as always. Thank you for reading.`;

const article = `<!DOCTYPE html><html><head><title>Sorting in Python - Example Docs</title></head><body>
<nav><a href="/">Home</a> <a href="/docs">Docs</a></nav>
<main><article>
<h1>Sorting in Python</h1>
<p>Python has a built-in function that returns a new sorted list from any iterable. It is stable, so items that compare equal keep their original order, which makes multi-key sorts easy to write.</p>
<h2>The key argument</h2>
<p>The key argument takes a function of one argument that is used to extract a comparison key from each element. It is called exactly once for each input record, which keeps sorting fast.</p>
<pre><code>def by_length(words):
    return sorted(words, key=len)

print(by_length(["pear", "fig", "banana"]))</code></pre>
<p>Sorting with a key function is both faster and clearer than writing a comparison function by hand, and it works the same way for lists, tuples and dictionaries alike.</p>
</article></main>
<footer>Copyright Example Docs. Privacy policy.</footer>
</body></html>`;

describe("HtmlExtractFilter: only content that is HTML", () => {
  const f = new HtmlExtractFilter();
  it("leaves unmarked text that merely mentions tags exactly as it is", async () => {
    for (const text of [tutorial, extracted]) {
      expect(isHtmlDocument(text)).toBe(false);
      const decision = await f.apply(doc(text));
      expect(decision.keep && decision.document.text).toBe(text);
    }
  });

  it("follows the declared type (JSONL/Parquet field, WARC header) over the content", async () => {
    const plain = await f.apply(doc(article, { content_type: "text/plain" }));
    expect(plain.keep && plain.document.text).toBe(article);
    for (const metadata of [
      { content_type: "text/html" },
      { "content-type": "text/html; charset=utf-8" },
      { mime_type: "application/xhtml+xml" },
      { contentType: "TEXT/HTML" },
    ]) {
      const d = await f.apply(
        doc(`<div><p>${"Marked as HTML by its field. ".repeat(3)}</p></div>`, metadata),
      );
      expect(d.keep && d.document.text).toBe("Marked as HTML by its field. ".repeat(3).trim());
      expect(d.keep && d.document.metadata.extracted_from).toBe("text/html");
    }
    const tutorialMarked = await f.apply(doc(tutorial, { content_type: "text/markdown" }));
    expect(tutorialMarked.keep && tutorialMarked.document.text).toBe(tutorial);
  });

  it("extracts unmarked text only when it is a document: doctype, html/body structure, or dense markup", async () => {
    expect(isHtmlDocument(article)).toBe(true);
    expect(isHtmlDocument("  <html><body><p>Hi there.</p></body></html>")).toBe(true);
    const email = `<div style="font-family:Arial"><table width="600"><tr><td><font size="2"><b>SPECIAL OFFER</b></font></td></tr>
<tr><td><p>Buy now and save on every order you place this week.</p><p><a href="http://x.example/buy">Click here</a></p></td></tr></table></div>`;
    expect(isHtmlDocument(email)).toBe(true);
    const decision = await f.apply(doc(email));
    expect(decision.keep && decision.document.text).toContain("Buy now and save");
    expect(decision.keep && decision.document.text).not.toContain("<");
    // A tutorial that opens with a code sample is still prose: markup is a small part of it.
    expect(isHtmlDocument(`<p>Hello</p>\n\n${tutorial}`)).toBe(false);
    await expect(new HtmlExtractFilter({ onlyMarked: true }).apply(doc(email))).resolves.toMatchObject({
      keep: true,
      document: { text: email },
    });
  });

  it("keeps headings and <pre>/code newlines and indentation (Readability and dom extractors)", async () => {
    for (const extractor of ["readability", "dom"] as const) {
      const text = await extractMainText(article, 200, extractor);
      expect(text).toMatch(/^Sorting in Python\n\n/);
      expect(text).toContain("\n\nThe key argument\n\n");
      expect(text).toContain(
        'def by_length(words):\n    return sorted(words, key=len)\n\nprint(by_length(["pear", "fig", "banana"]))',
      );
      expect(text).not.toMatch(/Privacy policy|Home Docs/);
    }
  });
});
