/**
 * Serializers (Astro's attribute escaping, linkedom's) escape only `&` and `"` inside attribute
 * values: a product named `<script>` ends up as `aria-label="<script>…"`. That is inert inside a
 * quoted value, but it reads like markup to every scanner and reviewer; this pass writes `<` and
 * `>` in attribute values as entities, leaving text, scripts and styles as they are.
 */

/** The HTML with `<` and `>` inside quoted attribute values written as `&lt;` and `&gt;`. */
export function escapeAttributeBrackets(html: string): string {
  let out = "";
  let i = 0;
  while (i < html.length) {
    const lt = html.indexOf("<", i);
    if (lt === -1) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    if (html.startsWith("<!--", lt)) {
      const end = html.indexOf("-->", lt);
      const stop = end === -1 ? html.length : end + 3;
      out += html.slice(lt, stop);
      i = stop;
      continue;
    }
    // One tag: quotes open only right after `=`, and `>` outside them ends the tag.
    let j = lt + 1;
    let quote = "";
    let tag = "<";
    while (j < html.length) {
      const ch = html[j]!;
      j++;
      if (quote) {
        if (ch === quote) quote = "";
        tag += ch === "<" ? "&lt;" : ch === ">" ? "&gt;" : ch;
        continue;
      }
      if ((ch === '"' || ch === "'") && /=\s*$/.test(tag)) quote = ch;
      tag += ch;
      if (ch === ">") break;
    }
    out += tag;
    i = j;
    // Script and style contents are not markup: copy them up to their closing tag.
    const raw = /^<(script|style)\b/i.exec(tag)?.[1];
    if (raw && !tag.endsWith("/>")) {
      const close = html.toLowerCase().indexOf(`</${raw.toLowerCase()}`, i);
      const stop = close === -1 ? html.length : close;
      out += html.slice(i, stop);
      i = stop;
    }
  }
  return out;
}
