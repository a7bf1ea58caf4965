/**
 * Server-side rendering of Plot charts: one linkedom document for every chart (Plot's
 * `document` option), and the step that turns Plot's SVG into the site's accessible markup —
 * a `<title>` and `<desc>` referenced by `aria-labelledby`, `role="img"`, and no `<style>`
 * element or `style` attribute (the site's stylesheet styles charts, and the
 * Content-Security-Policy allows no inline styles that it did not hash).
 */
import { parseHTML } from "linkedom";
import { escapeHtml } from "../escape.ts";

const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");

/** The document Plot renders into (`Plot.plot({document: chartDocument, ...})`). */
export const chartDocument = document as unknown as Document;

export interface SvgLabels {
  /** Unique on the page: becomes the id prefix of the title and description. */
  id: string;
  title: string;
  description: string;
}

/** Serializes a chart with its accessible name and description. */
export function accessibleSvg(element: Element, labels: SvgLabels): string {
  const svg = element.tagName.toLowerCase() === "svg" ? element : element.querySelector("svg");
  if (!svg) throw new Error(`invalid chart: ${element.tagName}`);
  for (const style of Array.from(svg.querySelectorAll("style"))) style.remove();
  for (const styled of [svg, ...Array.from(svg.querySelectorAll("[style]"))]) styled.removeAttribute("style");
  svg.removeAttribute("font-family");
  // WAI-ARIA graphics roles: the chart is a graphics document, each labelled mark group an
  // object and each labelled mark a symbol, so the marks' labels are allowed and announced.
  for (const marked of Array.from(svg.querySelectorAll("[aria-label]"))) {
    if (marked.getAttribute("aria-hidden") === "true") continue;
    marked.setAttribute("role", marked.tagName.toLowerCase() === "g" ? "graphics-object" : "graphics-symbol");
    // A mark with a <title> is named by it: the same words again in aria-label only add bytes.
    if (marked.querySelector(":scope > title")) marked.removeAttribute("aria-label");
  }
  compactGeometry(svg);
  svg.setAttribute("role", "graphics-document");
  svg.setAttribute("aria-labelledby", `${labels.id}-title ${labels.id}-desc`);
  svg.setAttribute("class", "plot");
  const markup = svg.outerHTML;
  const open = markup.indexOf(">") + 1;
  const head = `<title id="${escapeHtml(labels.id)}-title">${escapeHtml(labels.title)}</title><desc id="${escapeHtml(labels.id)}-desc">${escapeHtml(labels.description)}</desc>`;
  return markup.slice(0, open) + head + markup.slice(open);
}

// Attributes that hold coordinates: a tenth of a pixel is below what a screen shows, and
// Plot's seventeen digits per number are most of a chart's bytes.
const GEOMETRY = new Set([
  "d",
  "transform",
  "x",
  "y",
  "x1",
  "x2",
  "y1",
  "y2",
  "cx",
  "cy",
  "r",
  "width",
  "height",
  "points",
  "viewBox",
  "dx",
  "dy",
]);

/** Rounds the coordinates of `svg` and its descendants to 0.1 px. */
export function compactGeometry(svg: Element): void {
  for (const element of [svg, ...Array.from(svg.querySelectorAll("*"))]) {
    for (const name of element.getAttributeNames()) {
      if (!GEOMETRY.has(name)) continue;
      const value = element.getAttribute(name) ?? "";
      const rounded = value.replace(/-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi, (number) =>
        /[.e]/i.test(number) ? String(Math.round(Number(number) * 10) / 10 || 0) : number,
      );
      if (rounded !== value) element.setAttribute(name, rounded);
    }
  }
}

/** A legend SVG (Plot's ramp) cleaned the same way, decorative next to the labelled chart. */
export function legendSvg(element: Element): string {
  const svg = element.tagName.toLowerCase() === "svg" ? element : element.querySelector("svg");
  if (!svg) return "";
  for (const style of Array.from(svg.querySelectorAll("style"))) style.remove();
  svg.removeAttribute("style");
  svg.removeAttribute("font-family");
  compactGeometry(svg);
  svg.setAttribute("class", "legend-ramp");
  svg.setAttribute("aria-hidden", "true");
  return svg.outerHTML;
}

/**
 * Normalizes SVG for snapshot comparison: numbers in attributes (coordinates, paths; not the
 * aria labels) rounded to 1 decimal — the text a reader hears or sees is kept as it is — Plot's generated class names and our
 * ids renumbered in order of appearance.
 */
export function normalizeSvg(svg: string): string {
  const ids = new Map<string, string>();
  return svg
    .replace(/(\s[\w:-]+)="([^"]*)"/g, (whole, name: string, value: string) =>
      name.trim().startsWith("aria-")
        ? whole
        : `${name}="${value.replace(/-?\d+\.\d+/g, (n) => String(Math.round(Number(n) * 10) / 10))}"`,
    )
    .replace(/plot-[0-9a-f]{6}/g, "plot")
    .replace(/\bid="([^"]+)"/g, (_, id: string) => {
      if (!ids.has(id)) ids.set(id, `id${ids.size}`);
      return `id="${ids.get(id)}"`;
    })
    .replace(/>\s*</g, ">\n<");
}
