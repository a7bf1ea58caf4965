/**
 * `npm test`'s first step: the browser tests drive Debian's Chromium and screenshot Chinese
 * text, so both must be on the machine. Installs them with apt when missing and running as
 * root (as on this project's machines and in CI); otherwise says what to install.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const PACKAGES = ["chromium", "fonts-noto-cjk"];

function hasCjkFont(): boolean {
  const fonts = spawnSync("fc-list", [":lang=zh"], { encoding: "utf8" });
  return fonts.status === 0 && fonts.stdout.trim().length > 0;
}

if (!existsSync("/usr/bin/chromium") || !hasCjkFont()) {
  if (process.getuid?.() !== 0) {
    console.error(`The browser tests need Debian packages: sudo apt-get install -y ${PACKAGES.join(" ")}`);
    process.exit(1);
  }
  console.log(`Installing ${PACKAGES.join(", ")} for the browser tests (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-qq", ...PACKAGES], { stdio: "inherit", env });
}
