/**
 * renderHtml: a self-contained HTML page (no scripts, inline CSS) showing a Comparison: per
 * tokenizer, the text cut into coloured tokens (hover shows the id), the count and bytes per
 * token, and the jieba words for Chinese text. Reference: Tiktokenizer. Leaves out: interactivity.
 */
import type { Comparison } from "./compare-tokenizers.js";

const COLOURS = ["#c6e2ff", "#fff3b0", "#c8f7c5", "#ffd1dc", "#e0d4ff", "#ffe0b3"];

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function spans(pieces: readonly string[], titles: readonly string[]): string {
  return pieces
    .map((piece, i) => {
      const shown = escapeHtml(piece).replace(/\n/g, "↵<br>").replace(/\t/g, "→");
      return `<span class="t" style="background:${COLOURS[i % COLOURS.length]}" title="${escapeHtml(titles[i] ?? "")}">${shown}</span>`;
    })
    .join("");
}

export interface HtmlRenderOptions {
  /** Page title. Default: "Tokenizer comparison". */
  title?: string;
  /** Print the ids under each tokenizer. Default: true. */
  showIds?: boolean;
}

export function renderHtml(comparison: Comparison, options: HtmlRenderOptions = {}): string {
  const title = options.title ?? "Tokenizer comparison";
  const sections = comparison.views.map((view) => {
    const ids = (options.showIds ?? true) ? `<p class="ids">${view.ids.join(", ")}</p>` : "";
    return `<section><h2>${escapeHtml(view.name)} <small>${view.ids.length} tokens, ${view.bytesPerToken.toFixed(2)} bytes/token</small></h2>
<p class="tokens">${spans(
      view.labels,
      view.ids.map((id) => `id ${id}`),
    )}</p>${ids}</section>`;
  });
  if (comparison.words) {
    sections.push(`<section><h2>jieba words <small>${comparison.words.length} words</small></h2>
<p class="tokens">${spans(comparison.words, comparison.words)}</p></section>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}
.tokens{font-family:ui-monospace,monospace;white-space:pre-wrap;line-height:1.9}
.t{border-radius:3px;padding:1px 0;margin-right:1px}.ids{font-family:ui-monospace,monospace;color:#555;font-size:.8rem}
small{color:#666;font-weight:normal}</style></head>
<body><h1>${escapeHtml(title)}</h1>
${sections.join("\n")}
</body></html>
`;
}
