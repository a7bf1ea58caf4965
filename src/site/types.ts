/**
 * The shapes that flow from the page compiler to the Astro templates. Everything here is plain
 * JSON (it crosses into Astro through a virtual module), and every string meant as HTML is
 * named `html` and was escaped by the compiler; every other string is text, escaped by Astro.
 */
import type { Unit } from "./units.ts";

export type Locale = "zh" | "en";

/** A metric definition one click away: the column's label and its glossary text. */
export interface Definition {
  term: string;
  text: string;
}

export interface TableColumn {
  name: string;
  label: string;
  unit: Unit;
  definition?: Definition;
}

/** A cell as shown (`text`) and as sorted and downloaded (`raw`). */
export interface TableCell {
  text: string;
  raw: string | number | null;
  /** A relative link (already checked: no scheme, no host). */
  href?: string;
}

export interface TableData {
  columns: TableColumn[];
  rows: TableCell[][];
  /** File name of the CSV download, without extension. */
  name: string;
}

export interface BigValueNode {
  kind: "bigValue";
  title: string;
  value: string;
  comparison?: { text: string; label: string; tone: "good" | "bad" | "neutral" };
  sparkline?: string;
  definition?: Definition;
  empty?: string;
}

export interface ChartNode {
  kind: "chart";
  title: string;
  subtitle?: string;
  /** The Plot SVG, rendered at build time, normalized and escaped by the DOM serializer. */
  svg: string;
  /** The same chart drawn for a phone's width (shown below 560 px instead of scaling `svg` down). */
  svgNarrow?: string;
  /** Series names and colours, when there are several (an HTML legend). */
  swatches?: { label: string; color: string }[];
  /** A legend SVG (discrete swatches or a ramp drawn in SVG), if the chart has one. */
  legend?: string;
  table: TableData;
  definitions: Definition[];
  empty?: string;
}

export interface DataTableNode {
  kind: "dataTable";
  title?: string;
  table: TableData;
  empty?: string;
  definitions: Definition[];
}

export interface InputOption {
  value: string;
  label: string;
}

/** A filter control (Dropdown, ButtonGroup, DateRange): its options were all pre-rendered. */
export interface InputNode {
  kind: "input";
  control: "select" | "buttons";
  name: string;
  label: string;
  options: InputOption[];
  defaultValue: string;
}

/** One rendering per combination of the inputs it depends on; the page script shows one. */
export interface VariantsNode {
  kind: "variants";
  inputs: string[];
  variants: { key: string; nodes: RenderNode[] }[];
  defaultKey: string;
}

export interface HtmlNode {
  kind: "html";
  html: string;
}

export interface GridNode {
  kind: "grid";
  cols: number;
  nodes: RenderNode[];
}

export interface AlertNode {
  kind: "alert";
  status: "info" | "warning" | "positive" | "negative";
  nodes: RenderNode[];
}

export interface DetailsNode {
  kind: "details";
  title: string;
  nodes: RenderNode[];
}

export type RenderNode =
  | HtmlNode
  | BigValueNode
  | ChartNode
  | DataTableNode
  | InputNode
  | VariantsNode
  | GridNode
  | AlertNode
  | DetailsNode;

export interface NavItem {
  route: string;
  title: string;
}

/** A compiled page: its route (`/`, `/retention/`), title, and body. */
export interface CompiledPage {
  route: string;
  title: string;
  description?: string;
  /** The page file relative to the project, for errors and the footer's "source" note. */
  file: string;
  nodes: RenderNode[];
  /** Whether the page needs the filter script (inputs present). Tables always get sort/CSV. */
  hasInputs: boolean;
}

/** Everything the Astro templates need, as JSON. */
export interface SiteData {
  locale: Locale;
  demo: boolean;
  run: { id: string; refreshedAt: string; asOf: string };
  nav: NavItem[];
  pages: CompiledPage[];
  /** The page script's source (a few kilobytes), emitted once as a content-named asset. */
  script: string;
}

/** What the Astro templates receive: the site, with the page script's asset path for its source. */
export type SitePayload = Omit<SiteData, "script"> & {
  /** The script's file relative to the site root (`_assets/page.8e1d0a44.js`). */
  scriptAsset: string;
};
