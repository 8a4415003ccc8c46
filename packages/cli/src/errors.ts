/** Exit codes a pipeline can branch on. */
export const EXIT = {
  ok: 0,
  error: 1,
  /** diff: something differs. */
  differs: 2,
  /** rollout wait: the rollout was rolled back or aborted. */
  rolledBack: 3,
  /** rollout wait: the timeout passed first. */
  timeout: 4,
  usage: 64,
} as const;

/** An error the CLI reports as one clear message (no stack) and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
  ) {
    super(message);
    this.name = "CliError";
  }
}
