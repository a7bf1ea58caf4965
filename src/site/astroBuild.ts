/**
 * Runs Astro's programmatic build over the compiled site: one integration injects the single
 * page route (ui/Page.astro) and a Vite plugin serves the compiled pages to it as the module
 * `virtual:huitou/site`. Astro's own settings are in astro.config.mjs at the package root;
 * each build gets its own scratch root and cache, so concurrent builds do not share state,
 * and Astro's telemetry is off (the build must not contact any host).
 */
import { fileURLToPath } from "node:url";
import type { SiteData } from "./types.ts";

const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PAGE_ROUTE = fileURLToPath(new URL("./ui/Page.astro", import.meta.url));
const MODULE_ID = "virtual:huitou/site";

/** Builds the static pages of `site` into `outDir` (which Astro empties first). */
export async function astroBuild(
  site: SiteData,
  options: { outDir: string; scratchDir: string },
): Promise<void> {
  process.env.ASTRO_TELEMETRY_DISABLED = "1";
  const { build } = await import("astro");
  const payload = `export default ${JSON.stringify(site)};`;
  await build(
    {
      root: PACKAGE_ROOT,
      // Astro joins this to the root: relative, not absolute.
      configFile: "astro.config.mjs",
      outDir: options.outDir,
      cacheDir: options.scratchDir,
      logLevel: "error",
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
}
