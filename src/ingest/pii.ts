/**
 * Names and phones never enter the warehouse in clear: at load they become HMAC-SHA256 of the
 * value under a secret salt, computed inside DuckDB so the clear text never lands in a table.
 * The salt comes from env `HUITOU_PII_SALT`, else from `~/.config/huitou/pii_salt` (created on
 * first use with 32 random bytes, mode 0600), never from the repository, so the same person
 * hashes the same across builds of one machine yet cannot be looked up from a phone list
 * without the salt.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** The HMAC key as its inner and outer padded blocks (RFC 2104), hex. */
export interface PiiKey {
  ipadHex: string;
  opadHex: string;
}

/** The default salt file, outside any repository. */
export function defaultSaltPath(home = homedir()): string {
  return join(home, ".config", "huitou", "pii_salt");
}

/** The salt: `explicit`, else env HUITOU_PII_SALT, else the salt file (created if absent). */
export async function resolveSalt(
  explicit?: string,
  env: NodeJS.ProcessEnv = process.env,
  path = defaultSaltPath(),
): Promise<string> {
  if (explicit) return explicit;
  if (env.HUITOU_PII_SALT) return env.HUITOU_PII_SALT;
  try {
    const text = (await readFile(path, "utf8")).trim();
    if (text) return text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const salt = randomBytes(32).toString("hex");
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFile(path, `${salt}\n`, { mode: 0o600, flag: "wx" }).catch(async (error) => {
    // Another build created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  });
  return (await readFile(path, "utf8")).trim();
}

/** The padded key blocks of HMAC-SHA256 for `salt` (block size 64 bytes). Pure. */
export function piiKey(salt: string): PiiKey {
  let key = Buffer.from(salt, "utf8");
  if (key.length > 64) key = createHash("sha256").update(key).digest();
  const block = Buffer.alloc(64);
  key.copy(block);
  return {
    ipadHex: Buffer.from(block.map((byte) => byte ^ 0x36)).toString("hex"),
    opadHex: Buffer.from(block.map((byte) => byte ^ 0x5c)).toString("hex"),
  };
}

/** SQL for the hex HMAC-SHA256 of the text expression `value` (NULL stays NULL). Pure. */
export function hmacSql(value: string, key: PiiKey): string {
  return `sha256(unhex('${key.opadHex}') || unhex(sha256(unhex('${key.ipadHex}') || encode(${value}))))`;
}
