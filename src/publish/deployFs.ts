/**
 * The file operations a deploy needs, as an effects object, so a test can make the disk fill
 * up half-way through a copy or a folder refuse writes without root or a special mount.
 */
import { cp, mkdir, readdir, readFile, readlink, rename, rm, stat, symlink } from "node:fs/promises";

export interface DeployFs {
  /** Copies a folder recursively (`to` must not exist). */
  copyDir(from: string, to: string): Promise<void>;
  mkdir(path: string): Promise<void>;
  /** Names of the entries of `dir`; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  exists(path: string): Promise<boolean>;
  readText(path: string): Promise<string>;
  /** Where the symbolic link `path` points; undefined when there is no link there. */
  readLink(path: string): Promise<string | undefined>;
  /** Creates the symbolic link `path` pointing to `target`. */
  symlink(target: string, path: string): Promise<void>;
  /** rename(2): atomic on one file system, replacing a file or a link at `to`. */
  rename(from: string, to: string): Promise<void>;
  /** Removes a file, link or folder; no error when absent. */
  remove(path: string): Promise<void>;
}

export const nodeDeployFs: DeployFs = {
  copyDir: (from, to) => cp(from, to, { recursive: true, errorOnExist: true, force: false }),
  mkdir: async (path) => {
    await mkdir(path, { recursive: true });
  },
  async list(dir) {
    try {
      return (await readdir(dir)).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw error;
    }
  },
  async exists(path) {
    try {
      await stat(path);
      return true;
    } catch {
      return false;
    }
  },
  readText: (path) => readFile(path, "utf8"),
  async readLink(path) {
    try {
      return await readlink(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: nothing there; EINVAL: something that is not a link (reported by the caller).
      if (code === "ENOENT" || code === "EINVAL") return undefined;
      throw error;
    }
  },
  symlink: (target, path) => symlink(target, path),
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { recursive: true, force: true }),
};
