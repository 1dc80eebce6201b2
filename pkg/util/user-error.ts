/**
 * A failure the user caused and can fix — a file they named that cannot be read, a state file
 * that is not one — as opposed to a bug. `k8ts` (cli/main.ts) prints its message as
 * `k8ts <command>: <message>` and exits 1, without a stack.
 */
export class UserError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UserError';
  }
}
