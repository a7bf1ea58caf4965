/** `huitou deploy`: placeholder until its issue lands; says so instead of pretending. */
import { errors } from "../errors.ts";
import type { Command } from "./command.ts";

export const command: Command = {
  summary: "(not built yet)",
  usage: "huitou deploy: not built yet",
  async run() {
    throw errors.usage("huitou deploy is not built yet");
  },
};
