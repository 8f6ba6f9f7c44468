/**
 * Demo: one web page and one spam email through the FineWeb-style cleaning chain of @llm/data
 * (URL filter, HTML to main text, language ID, Gopher repetition and quality, C4, FineWeb quality,
 * harmful content, dedup, PII). Prints, for each filter, whether the document was kept (and
 * whether its text changed) or dropped with the rule and measured value.
 */
import type { Document } from "@llm/core";
import { defaultCleaningChain } from "@llm/data";
import type { DemoOutput } from "../demo-registry.js";

const PAGE = `<!doctype html><html><head><title>Whaling in the 19th century</title></head><body>
<nav><a href="/">Home</a> | <a href="/about">About</a> | <a href="/login">Log in</a></nav>
<div class="cookie">We use cookies to improve your experience. Accept all cookies?</div>
<article>
<h1>Whaling in the nineteenth century</h1>
<p>In the nineteenth century, whaling was one of the most important industries of New England. Ships left
Nantucket and New Bedford for voyages that could last three or four years, and the crews hunted sperm whales
for the oil that lit the lamps of the world.</p>
<p>The work was dangerous and poorly paid. A young sailor might sign on for a share of the profits that
was smaller than one part in a hundred, and many men came home with almost nothing after years at sea.</p>
<p>Herman Melville sailed on the whaler Acushnet in 1841, and the voyage became the raw material for his
novel Moby-Dick, which was published ten years later and was not a success during his lifetime.</p>
<p>Questions about this article can be sent to the editor at jane.doe@example-history.org or by phone
to 617-555-0142. The museum's server is at 203.0.113.7.</p>
</article>
<footer>Copyright 2024 History Pages. All rights reserved. Privacy policy. Terms of use.</footer>
</body></html>`;

const SPAM = `CLICK HERE!!! BUY NOW!!! BEST PRICES!!!
CLICK HERE!!! BUY NOW!!! BEST PRICES!!!
CLICK HERE!!! BUY NOW!!! BEST PRICES!!!
CLICK HERE!!! BUY NOW!!! BEST PRICES!!!
Unsubscribe: http://spam.example.com`;

export async function run(_args: readonly string[], out: DemoOutput): Promise<void> {
  const documents: Document[] = [
    {
      id: "web-page",
      text: PAGE,
      metadata: { content_type: "text/html", url: "https://history.example.org/whaling" },
    },
    { id: "spam-email", text: SPAM, metadata: {} },
  ];
  for (const original of documents) {
    out.log(`=== ${original.id} (${original.text.length} characters)`);
    let doc = original;
    let dropped = false;
    for (const filter of defaultCleaningChain()) {
      const decision = await filter.apply(doc);
      if (!decision.keep) {
        const { rule, value, threshold } = decision.reason;
        const measured =
          value === undefined
            ? ""
            : ` (value ${value}${threshold === undefined ? "" : `, threshold ${threshold}`})`;
        out.log(`  ${filter.name.padEnd(18)} DROPPED: ${rule}${measured}`);
        dropped = true;
        break;
      }
      const changed = decision.document.text !== doc.text;
      out.log(
        `  ${filter.name.padEnd(18)} kept${changed ? ` (text rewritten: ${doc.text.length} -> ${decision.document.text.length} chars)` : ""}`,
      );
      doc = decision.document;
    }
    if (!dropped) {
      out.log("  --- kept text ---");
      for (const line of doc.text.split("\n")) out.log(`  ${line}`);
    }
    out.log("");
  }
}
