/** What every command file in src/cli exports. Only the CLI decides exit codes. */
export interface Command {
  /** One line for `huitou --help`. */
  summary: string;
  /** The full `--help` text of the command. */
  usage: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}
