// Astro's static settings for the huitou site. `buildSite` (src/site/buildSite.ts) builds
// programmatically with this file and adds, per build, the integration that injects the
// compiled pages; `src/site` is Astro's srcDir so the engine code in src/ is never a page.
import { defineConfig } from "astro/config";

export default defineConfig({
  srcDir: "./src/site",
  publicDir: "./src/site/public",
  output: "static",
  trailingSlash: "always",
  build: { format: "directory", inlineStylesheets: "always" },
  compressHTML: true,
  devToolbar: { enabled: false },
  prefetch: false,
  scopedStyleStrategy: "class",
});
