import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { command } from "../../src/cli/demo.ts";
import { HuitouError } from "../../src/errors.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "huitou-demo-cli-"));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function usageError(argv: string[]): Promise<HuitouError> {
  const error = await command.run(argv).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HuitouError);
  return error as HuitouError;
}

describe("huitou demo", () => {
  it("writes the shop and prints a summary of counts", async () => {
    const out = join(root, "shop");
    const printed: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((text) => {
      printed.push(String(text));
      return true;
    });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(
        await command.run(["--out", out, "--customers", "300", "--seed", "5", "--format", "parquet"]),
      ).toBe(0);
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
    expect((await readdir(out)).sort()).toContain("orders.parquet");
    const text = printed.join("");
    expect(text).toContain(`demo shop written to ${out} (parquet, seed 5,`);
    expect(text).toMatch(/ {2}customers {8}\d+ in the CRM export/);
    expect(text).toContain("synthetic");
  });

  it("rejects bad options as usage errors (exit 2) that say what is allowed", async () => {
    const customers = await usageError(["--customers", "many"]);
    expect(customers.kind).toBe("usage");
    expect(customers.message).toBe("--customers must be a whole number from 1 to 50,000,000, got 'many'");
    expect((await usageError(["--customers", "0"])).message).toMatch(/from 1 to/);
    expect((await usageError(["--seed=-3"])).message).toMatch(
      /--seed must be a whole number from 0 to 2,147,483,647/,
    );
    expect((await usageError(["--format", "xlsx"])).message).toBe(
      "--format must be csv or parquet, got 'xlsx'",
    );
    expect((await usageError(["--rows", "5"])).message).toMatch(/Unknown option '--rows'/);
  });

  it("reports a folder it cannot write as a run error naming the folder", async () => {
    const file = join(root, "a-file");
    await writeFile(file, "not a folder");
    const error = await usageError(["--out", join(file, "shop"), "--customers", "10"]);
    expect(error.name).toBe("demo-output");
    expect(error.kind).toBe("run");
    expect(error.location).toEqual({ file: join(file, "shop") });
  });
});
