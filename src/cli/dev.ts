/** `huitou dev`: placeholder until its issue lands; says so instead of pretending. */
import { errors } from "../errors.ts";
import type { Command } from "./command.ts";

export const command: Command = {
  summary: "(not built yet)",
  usage: "huitou dev: not built yet",
  async run() {
    throw errors.usage("huitou dev is not built yet");
  },
};
