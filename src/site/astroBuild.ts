/**
 * Runs Astro's programmatic build over the compiled site: one integration injects the single
 * page route (ui/Page.astro) and a Vite plugin serves the compiled pages to it as the module
 * `virtual:huitou/site`. Astro's own settings are in astro.config.mjs at the package root;
 * each build gets its own scratch root and cache, so concurrent builds do not share state,
 * and Astro's telemetry is off (the build must not contact any host). After Astro, the page
 * script and the stylesheet become content-named files (emitAssets.ts).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { emitAssets, scriptAsset } from "./emitAssets.ts";
import type { SiteData, SitePayload } from "./types.ts";

const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PAGE_ROUTE = fileURLToPath(new URL("./ui/Page.astro", import.meta.url));
const MODULE_ID = "virtual:huitou/site";

/**
 * Builds the static pages of `site` into `outDir` (which Astro empties first), with their
 * assets in `outDir/_assets/`; resolves to the assets' paths relative to `outDir`.
 */
export async function astroBuild(
  site: SiteData,
  options: { outDir: string; scratchDir: string },
): Promise<string[]> {
  process.env.ASTRO_TELEMETRY_DISABLED = "1";
  const { build } = await import("astro");
  const { script, ...rest } = site;
  const data: SitePayload = { ...rest, scriptAsset: scriptAsset(script) };
  // The pages reach the bundle as a file read when Astro prerenders, not as module source:
  // Rollup would otherwise parse, scope and tree-shake megabytes of chart data (a quarter of
  // the Astro step's CPU time at a million orders), and write it all into the bundle too.
  const dataFile = join(options.scratchDir, "site-data.json");
  await mkdir(options.scratchDir, { recursive: true });
  await writeFile(dataFile, JSON.stringify(data));
  const payload = `import { readFileSync } from "node:fs";\nexport default JSON.parse(readFileSync(${JSON.stringify(dataFile)}, "utf8"));`;
  await build(
    {
      root: PACKAGE_ROOT,
      // Astro joins this to the root: relative, not absolute.
      configFile: "astro.config.mjs",
      outDir: options.outDir,
      cacheDir: options.scratchDir,
      logLevel: "error",
      // emitAssets moves the stylesheet out of each page's head: Astro must put it there,
      // never in a file of its own under a root-absolute URL (which breaks under a sub-path).
      build: { inlineStylesheets: "always" },
      integrations: [
        {
          name: "huitou-pages",
          hooks: {
            "astro:config:setup": ({ injectRoute, updateConfig }) => {
              injectRoute({ pattern: "/[...slug]", entrypoint: PAGE_ROUTE, prerender: true });
              updateConfig({
                vite: {
                  logLevel: "error",
                  // Astro prerenders by importing its build output from outDir, which may lie
                  // outside the package (a project elsewhere, a temporary folder) where bare
                  // imports of Astro's own packages would not resolve: bundle them in.
                  resolve: { noExternal: true },
                  plugins: [
                    {
                      name: "huitou-site-data",
                      resolveId: (id: string) => (id === MODULE_ID ? `\0${MODULE_ID}` : undefined),
                      load: (id: string) => (id === `\0${MODULE_ID}` ? payload : undefined),
                    },
                  ],
                },
              });
            },
          },
        },
      ],
    },
    { teardownCompiler: true },
  );
  return emitAssets(options.outDir, script);
}
