// The compiled site, handed to Astro by buildSite's Vite plugin.
declare module "virtual:huitou/site" {
  const site: import("../types.ts").SitePayload;
  export default site;
}
