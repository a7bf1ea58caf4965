/**
 * A fingerprint of how a table's files are read: the contract table, the load settings that
 * change the rows (format, encoding, delimiter, sheet, column and value mappings, mode), the
 * shop time zone, the PII key and the loader's version. raw.loaded_files records it; a table
 * whose fingerprint changed is reloaded even when its files did not. Pure.
 */
import { createHash } from "node:crypto";
import type { LoadSettings } from "./api.ts";
import type { ContractTable } from "./contract.ts";
import type { PiiKey } from "./pii.ts";

/** Bump when a change to parsing or validation makes rows loaded before differ from a reload. */
export const LOADER_VERSION = 1;

/** sha256 (hex) of what decides a table's rows besides its files' contents. */
export function loadFingerprint(
  contract: ContractTable,
  settings: LoadSettings,
  timezone: string,
  pii: PiiKey,
): string {
  const described = {
    loader: LOADER_VERSION,
    contract,
    format: settings.format,
    encoding: settings.encoding,
    delimiter: settings.delimiter,
    sheet: settings.sheet ?? null,
    columns: settings.columns,
    values: settings.values,
    mode: settings.mode,
    timezone,
    // The key itself is a secret: its digest tells a changed salt without storing the salt.
    pii: createHash("sha256").update(pii.ipadHex).digest("hex"),
  };
  return createHash("sha256").update(canonical(described)).digest("hex");
}

/** JSON with object keys sorted, so reordering keys in the YAML is not a change. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${canonical(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
