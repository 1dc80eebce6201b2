/**
 * Runs admission plugins in order for one write: every `admit` (mutating), then — after the
 * kind's own validation, done by the caller — every `validate`. Collects the plugins'
 * `onFailure` / `onSuccess` callbacks; the caller settles them exactly once with
 * `commit()` or `abort()`.
 */
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

/** A plugin, or a factory that builds one (or several, in order) from the server's storage and key scheme. */
export type AdmissionPluginSource = AdmissionPlugin | ((ctx: AdmissionContext) => AdmissionPlugin | AdmissionPlugin[]);

export function instantiatePlugins(sources: readonly AdmissionPluginSource[], ctx: AdmissionContext): AdmissionPlugin[] {
  return sources.flatMap((s) => (typeof s === 'function' ? s(ctx) : [s]));
}

/** One request's pass through admission. */
export interface AdmissionRun {
  readonly attrs: AdmissionAttributes;
  admit(): Promise<void>;
  validate(): Promise<void>;
  /** Runs the onSuccess callbacks (the write committed). Errors are reported, not thrown. */
  commit(): Promise<void>;
  /** Runs the onFailure callbacks (the write did not commit). Errors are reported, not thrown. */
  abort(): Promise<void>;
}

export type AttributesInput = Omit<AdmissionAttributes, 'onFailure' | 'onSuccess'>;

export class AdmissionChain {
  constructor(
    readonly plugins: readonly AdmissionPlugin[],
    private readonly onCallbackError: (err: unknown, plugin: string) => void = () => {},
  ) {}

  has(name: string): boolean {
    return this.plugins.some((p) => p.name === name);
  }

  start(input: AttributesInput): AdmissionRun {
    const failures: Array<{ plugin: string; fn: () => Promise<void> }> = [];
    const successes: Array<{ plugin: string; fn: () => Promise<void> }> = [];
    let current = '';
    let settled = false;
    const attrs: AdmissionAttributes = {
      ...input,
      onFailure: (fn) => void failures.push({ plugin: current, fn }),
      onSuccess: (fn) => void successes.push({ plugin: current, fn }),
    };
    const runPhase = async (phase: 'admit' | 'validate'): Promise<void> => {
      for (const plugin of this.plugins) {
        const hook = plugin[phase];
        if (!hook) continue;
        current = plugin.name;
        await hook.call(plugin, attrs);
      }
    };
    const settle = async (callbacks: typeof failures): Promise<void> => {
      if (settled) return;
      settled = true;
      for (const cb of callbacks) {
        try {
          await cb.fn();
        } catch (err) {
          this.onCallbackError(err, cb.plugin);
        }
      }
    };
    return {
      attrs,
      admit: () => runPhase('admit'),
      validate: () => runPhase('validate'),
      commit: () => settle(successes),
      abort: () => settle(failures),
    };
  }
}
