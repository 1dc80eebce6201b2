/**
 * The outcome of running a plugin: a {@link Code} plus human-readable reasons. Expected
 * outcomes (a pod does not fit a node) are Status values, never exceptions.
 */

/** Upstream framework.Code values (numbers as in upstream, names as users see them in logs). */
export const Code = {
  /** The plugin ran correctly and found the pod schedulable (or did its job). */
  Success: 0,
  /** An internal error; the pod is retried with back-off, reasons are not shown per node. */
  Error: 1,
  /** The pod does not fit now; preemption may help. */
  Unschedulable: 2,
  /** The pod does not fit and preemption cannot help (e.g. node affinity mismatch). */
  UnschedulableAndUnresolvable: 3,
  /** Permit only: hold the pod until allowed, rejected or timed out. */
  Wait: 4,
  /** PreFilter/PreScore: this plugin has nothing to do for this pod; skip its Filter/Score. */
  Skip: 5,
  /** The pod waits for something outside the scheduler; requeued on an event, not by back-off. */
  Pending: 6,
} as const;
export type Code = (typeof Code)[keyof typeof Code];

const CODE_NAMES: Record<Code, string> = {
  0: 'Success',
  1: 'Error',
  2: 'Unschedulable',
  3: 'UnschedulableAndUnresolvable',
  4: 'Wait',
  5: 'Skip',
  6: 'Pending',
};

/** The name of a code (`Unschedulable`). */
export function codeName(code: Code): string {
  return CODE_NAMES[code];
}

/**
 * An immutable plugin outcome. `reasons` are shown to users (joined with ", " by
 * {@link Status.message}); `plugin` names the plugin that produced a non-success status;
 * `error` carries the cause of a {@link Code.Error}.
 */
export class Status {
  private constructor(
    readonly code: Code,
    readonly reasons: readonly string[],
    readonly plugin: string,
    readonly error: Error | undefined,
  ) {}

  static readonly SUCCESS = new Status(Code.Success, [], '', undefined);

  /** A status with `code` and reasons. */
  static of(code: Code, ...reasons: string[]): Status {
    if (code === Code.Success && reasons.length === 0) return Status.SUCCESS;
    return new Status(code, reasons, '', undefined);
  }

  static success(): Status {
    return Status.SUCCESS;
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status(Code.Unschedulable, reasons, '', undefined);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status(Code.UnschedulableAndUnresolvable, reasons, '', undefined);
  }

  static skip(): Status {
    return new Status(Code.Skip, [], '', undefined);
  }

  /** An Error status wrapping `err` (its message becomes the reason). */
  static asStatus(err: unknown): Status {
    const error = err instanceof Error ? err : new Error(String(err));
    return new Status(Code.Error, [error.message], '', error);
  }

  /** The same status attributed to `plugin`. */
  withPlugin(plugin: string): Status {
    if (this.plugin === plugin) return this;
    return new Status(this.code, this.reasons, plugin, this.error);
  }

  /** Reasons joined with ", " (upstream Status.Message). */
  message(): string {
    return this.reasons.join(', ');
  }

  isSuccess(): boolean {
    return this.code === Code.Success;
  }

  isSkip(): boolean {
    return this.code === Code.Skip;
  }

  isWait(): boolean {
    return this.code === Code.Wait;
  }

  /** Unschedulable, UnschedulableAndUnresolvable or Pending: the pod was rejected, not an error. */
  isRejected(): boolean {
    return this.code === Code.Unschedulable || this.code === Code.UnschedulableAndUnresolvable || this.code === Code.Pending;
  }

  /** An Error that is the cause of this status (for Error codes) or describes it. */
  asError(): Error {
    return this.error ?? new Error(this.message());
  }

  toString(): string {
    return `${codeName(this.code)}${this.plugin ? ` (${this.plugin})` : ''}: ${this.message()}`;
  }
}
