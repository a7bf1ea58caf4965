/** Escaping for text placed in HTML and for links from data. */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);
}

/**
 * A link from a page or from data, made relative to the page at `depth` (0 for `/`); undefined
 * for anything that would leave the site (a scheme, a host, `//`), which is then shown as text.
 */
export function siteHref(href: string, depth: number): string | undefined {
  const trimmed = href.trim();
  if (
    trimmed === "" ||
    /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ||
    trimmed.startsWith("//") ||
    trimmed.includes("\\")
  ) {
    return undefined;
  }
  if (trimmed.startsWith("#") || trimmed.startsWith("?")) return trimmed;
  if (!trimmed.startsWith("/")) return trimmed;
  const [path, rest = ""] = splitSuffix(trimmed);
  const withSlash = path.endsWith("/") || /\.[a-z0-9]+$/i.test(path) ? path : `${path}/`;
  const prefix = depth === 0 ? "./" : "../".repeat(depth);
  return `${prefix}${withSlash.slice(1)}${rest}`;
}

function splitSuffix(href: string): [string, string] {
  const at = href.search(/[?#]/);
  return at === -1 ? [href, ""] : [href.slice(0, at), href.slice(at)];
}

/** Depth of a route: `/` → 0, `/retention/` → 1, `/campaigns/c1/` → 2. */
export function routeDepth(route: string): number {
  return route.split("/").filter(Boolean).length;
}
