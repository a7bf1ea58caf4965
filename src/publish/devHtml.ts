/**
 * What the dev server changes in a page it serves, and only there (never in the built files):
 * a small script that listens to the server's events and reloads the page after a rebuild
 * (or shows why a rebuild failed), allowed by the page's Content-Security-Policy through its
 * hash, with `connect-src 'self'` so the script may open the event stream.
 */
import { createHash } from "node:crypto";

/** The path of the server-sent event stream. */
export const EVENTS_PATH = "/__huitou/events";

/** The injected script: reload on `reload`, a banner on `failure`, the banner gone on the next reload. */
export const RELOAD_SCRIPT = `(() => {
  const events = new EventSource(${JSON.stringify(EVENTS_PATH)});
  events.addEventListener("reload", () => location.reload());
  events.addEventListener("failure", (event) => {
    let banner = document.getElementById("huitou-dev-failure");
    if (!banner) {
      banner = document.createElement("pre");
      banner.id = "huitou-dev-failure";
      banner.style.cssText = "position:fixed;inset:auto 0 0 0;margin:0;padding:1rem;max-height:50vh;overflow:auto;background:#fff0f0;color:#900;border-top:2px solid #c00;z-index:9999;white-space:pre-wrap";
      document.body.append(banner);
    }
    banner.textContent = JSON.parse(event.data).message;
  });
})();`;

const hash = `'sha256-${createHash("sha256").update(RELOAD_SCRIPT, "utf8").digest("base64")}'`;

/** The page with the reload script before `</body>` and its policy widened just for it. */
export function devHtml(html: string): string {
  const withPolicy = html.replace(
    /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")([^"]*)(")/i,
    (_, open: string, policy: string, close: string) => `${open}${widen(policy)}${close}`,
  );
  const tag = `<script>${RELOAD_SCRIPT}</script>`;
  const at = withPolicy.lastIndexOf("</body>");
  return at === -1 ? `${withPolicy}${tag}` : `${withPolicy.slice(0, at)}${tag}${withPolicy.slice(at)}`;
}

/** A policy that also allows the reload script and the event stream. */
export function widen(policy: string): string {
  const parts = policy.split(";").map((part) => part.trim());
  const script = parts.findIndex((part) => part.startsWith("script-src"));
  if (script === -1) parts.push(`script-src ${hash}`);
  else parts[script] = `${parts[script]!.replace(/\s*'none'/, "")} ${hash}`;
  const connect = parts.findIndex((part) => part.startsWith("connect-src"));
  if (connect === -1) parts.push("connect-src 'self'");
  else parts[connect] = `${parts[connect]!.replace(/\s*'none'/, "")} 'self'`;
  return parts.filter(Boolean).join("; ");
}
