/**
 * Content-named assets, the pure half (src/site/assets.ts) and the policy that lets a page load
 * them (src/site/csp.ts): names from SHA-256 (checked against FIPS 180-2's published vectors),
 * relative URLs back to the site's root, the stylesheet moved out of a page's head.
 */
import { describe, expect, it } from "vitest";
import { assetPath, externalizeStyles, loadedUrls, rootPrefix } from "../../src/site/assets.ts";
import { policyFor } from "../../src/site/csp.ts";

// FIPS 180-2, appendix B.1: SHA-256("abc") = ba7816bf 8f01cfea 4141 40de 5dae2223 ...;
// the empty message's digest is e3b0c442 98fc1c14 ... (NIST's example values).
const ABC_HEX = "ba7816bf";
const EMPTY_HEX = "e3b0c442";
// The same "abc" digest in base64, as CSP writes hashes: ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=.
const ABC_CSP = "'sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0='";

describe("assetPath", () => {
  it("names a file by the first 8 hex digits of the SHA-256 of its content", () => {
    expect(assetPath("page", "js", "abc")).toBe(`_assets/page.${ABC_HEX}.js`);
    expect(assetPath("site", "css", "")).toBe(`_assets/site.${EMPTY_HEX}.css`);
  });

  it("changes the name when one byte of the content changes", () => {
    expect(assetPath("page", "js", "abd")).not.toBe(assetPath("page", "js", "abc"));
  });
});

describe("rootPrefix", () => {
  it("climbs one folder per level of the page's file", () => {
    expect(rootPrefix("index.html")).toBe("./");
    expect(rootPrefix("retention/index.html")).toBe("../");
    expect(rootPrefix("campaigns/C1/index.html")).toBe("../../");
  });

  it("resolves to the same asset from every level under a sub-path (a GitHub Pages project site)", () => {
    const base = "https://shop.github.io/huitou/";
    for (const output of ["index.html", "retention/index.html", "campaigns/C1/index.html"]) {
      const page = new URL(output, base);
      expect(new URL(`${rootPrefix(output)}_assets/site.x.css`, page).href).toBe(
        "https://shop.github.io/huitou/_assets/site.x.css",
      );
    }
  });
});

describe("externalizeStyles", () => {
  const page =
    "<html><head><title>t</title><style>a{}</style><style>b{}</style></head>" +
    '<body><style>c{}</style><svg><style media="print">d{}</style></svg></body></html>';

  it("moves the head's styles into one stylesheet, linked where the first was", () => {
    const seen: string[] = [];
    const { html, css } = externalizeStyles(page, (text) => {
      seen.push(text);
      return "../_assets/site.x.css";
    });
    // Joined in document order with a newline: "a{}" + "\n" + "b{}".
    expect(css).toBe("a{}\nb{}");
    expect(seen).toEqual(["a{}\nb{}"]);
    expect(html).toBe(
      '<html><head><title>t</title><link rel="stylesheet" href="../_assets/site.x.css"></head>' +
        '<body><style>c{}</style><svg><style media="print">d{}</style></svg></body></html>',
    );
  });

  it("leaves a page without head styles alone", () => {
    const bare = "<html><head><title>t</title></head><body><style>c{}</style></body></html>";
    expect(externalizeStyles(bare, () => "x")).toEqual({ html: bare, css: undefined });
  });
});

describe("loadedUrls", () => {
  it("lists stylesheets, scripts and images, not links a reader follows nor data: URLs", () => {
    const html =
      '<link rel="icon" href="data:,"><link rel="stylesheet" href="../_assets/site.a.css">' +
      '<a href="../retention/">r</a><script src="../_assets/page.b.js"></script><script>x()</script>' +
      '<img src="data:image/png;base64,AA"><img src="logo.png">';
    expect(loadedUrls(html)).toEqual(["../_assets/site.a.css", "../_assets/page.b.js", "logo.png"]);
  });
});

describe("policyFor", () => {
  const policy = (html: string) =>
    Object.fromEntries(
      policyFor(html)
        .split("; ")
        .map((part) => [part.split(" ")[0], part.slice(part.indexOf(" ") + 1)]),
    );

  it("allows the site's own files when the page loads them, and nothing from elsewhere", () => {
    const html =
      '<head><link rel="stylesheet" href="./_assets/site.a.css"></head><body><script src="./_assets/page.b.js"></script></body>';
    expect(policy(html)).toEqual({
      "default-src": "'none'",
      "script-src": "'self'",
      "style-src": "'self'",
      "img-src": "data:",
      "base-uri": "'none'",
      "form-action": "'none'",
    });
  });

  it("adds the hash of an inline script or style, not of an external script's empty body", () => {
    const html = '<style>abc</style><script src="./_assets/page.b.js"></script><script>abc</script>';
    const parts = policy(html);
    expect(parts["script-src"]).toBe(`'self' ${ABC_CSP}`);
    // No stylesheet file: only the inline style's hash.
    expect(parts["style-src"]).toBe(ABC_CSP);
  });

  it("allows no script and no style on a page that has none", () => {
    const parts = policy("<head></head><body><p>x</p></body>");
    expect([parts["script-src"], parts["style-src"]]).toEqual(["'none'", "'none'"]);
  });
});
