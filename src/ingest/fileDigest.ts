/**
 * Content hashes of data files: a refresh compares a file's sha256 with the one recorded in
 * raw.loaded_files (content, not modification time, decides whether a file changed). Files are
 * hashed one at a time, in the order asked, so that hashing a folder of daily files neither
 * opens them all at once nor holds their buffers together; the hashing runs on the main
 * thread while DuckDB's threads load.
 */
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";

const CHUNK = 4 << 20;

/** The sha256 of a file's bytes, hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  const handle = await open(path);
  try {
    // Two buffers: the next chunk is read (on libuv's threads) while this one is hashed.
    const buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
    let position = 0;
    let turn = 0;
    let pending = handle.read(buffers[0]!, 0, CHUNK, position);
    for (;;) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) break;
      position += bytesRead;
      turn = 1 - turn;
      pending = handle.read(buffers[turn]!, 0, CHUNK, position);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return hash.digest("hex");
}

/** A hasher that queues files and remembers each result: asking twice hashes once. */
export function digester(): (path: string) => Promise<string> {
  const known = new Map<string, Promise<string>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (path) => {
    let digest = known.get(path);
    if (!digest) {
      digest = queue.then(() => sha256File(path));
      // A failed file fails its own caller, not the files queued after it.
      queue = digest.catch(() => undefined);
      known.set(path, digest);
    }
    return digest;
  };
}
