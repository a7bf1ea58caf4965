/**
 * Markdown to HTML for page prose (CommonMark + GFM tables via micromark). Raw HTML in a page
 * is escaped, never passed through; values and inline components are spliced in after the
 * Markdown pass through private-use placeholders, so a value's text is never read as Markdown
 * or HTML. Links must stay on the site: a link to another host or scheme renders as text.
 */
import { micromark } from "micromark";
import { gfmTable, gfmTableHtml } from "micromark-extension-gfm-table";
import { escapeHtml } from "./escape.ts";

const OPEN = "\uE000";
const CLOSE = "\uE001";
const PLACEHOLDER = new RegExp(`${OPEN}(\\d+)${CLOSE}`, "g");
// micromark percent-encodes the placeholder characters inside a link destination.
const ENCODED = /%EE%80%80(\d+)%EE%80%81/g;

/** One spliced piece: `html` for inline markup, `text` for a value (escaped here, URL-encoded in hrefs). */
export type Splice = { html: string } | { text: string };

/** Collects the placeholders of one Markdown run. */
export class MarkdownRun {
  readonly #source: string[] = [];
  readonly #splices: Splice[] = [];

  text(markdown: string): void {
    // A loop repeats its body's leading newline: keep list items of `{#each}` in one tight list.
    const previous = this.#source[this.#source.length - 1] ?? "";
    this.#source.push(previous.endsWith("\n") && markdown.startsWith("\n") ? markdown.slice(1) : markdown);
  }

  splice(piece: Splice): void {
    this.#source.push(`${OPEN}${this.#splices.length}${CLOSE}`);
    this.#splices.push(piece);
  }

  get empty(): boolean {
    return this.#source.join("").trim() === "";
  }

  /** Renders the run; `rewriteHref` maps a site-relative link (`/retention`) for the page's depth. */
  render(rewriteHref: (href: string) => string | undefined): string {
    return renderMarkdown(this.#source.join(""), this.#splices, rewriteHref);
  }
}

/** Renders Markdown with placeholders replaced by `splices`. */
export function renderMarkdown(
  source: string,
  splices: Splice[],
  rewriteHref: (href: string) => string | undefined,
): string {
  let html = micromark(source, { extensions: [gfmTable()], htmlExtensions: [gfmTableHtml()] });
  html = html.replace(
    /<a href="([^"]*)"(?: title="[^"]*")?>([\s\S]*?)<\/a>/g,
    (whole, href: string, inner: string) => {
      const decoded = href
        .replace(ENCODED, (_, n: string) => encodeURIComponent(valueText(splices[Number(n)])))
        .replace(PLACEHOLDER, (_, n: string) => encodeURIComponent(valueText(splices[Number(n)])))
        .replaceAll("&amp;", "&");
      const target = rewriteHref(decoded);
      if (target === undefined) return `<span class="offsite">${inner}</span>`;
      return whole.replace(`href="${href}"`, `href="${escapeHtml(target)}"`);
    },
  );
  html = html.replace(/<img [^>]*>/g, "");
  return html.replace(PLACEHOLDER, (_, n: string) => {
    const piece = splices[Number(n)];
    if (!piece) return "";
    return "html" in piece ? piece.html : escapeHtml(piece.text);
  });
}

function valueText(piece: Splice | undefined): string {
  if (!piece) return "";
  return "text" in piece ? piece.text : "";
}
