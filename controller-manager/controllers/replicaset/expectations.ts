/**
 * Controller expectations (upstream `ControllerExpectations`): before creating or deleting pods
 * the controller records how many adds/deletes it expects to observe; informer events lower the
 * counts; the controller only acts on a key again once its expectations are met or expired
 * (5 minutes), so a slow cache never makes it create or delete twice.
 */
import type { Clock } from '../../../pkg/workqueue/index.ts';

interface Expectation {
  adds: number;
  dels: number;
  since: number;
}

export const EXPECTATIONS_TTL_MS = 5 * 60_000;

/** Contract: `satisfied(key)` is true when no expectation is recorded, all were observed, or they expired. */
export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(private readonly clock: Clock) {}

  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    return (e.adds <= 0 && e.dels <= 0) || this.clock.now() - e.since > EXPECTATIONS_TTL_MS;
  }

  expect(key: string, adds: number, dels: number): void {
    this.byKey.set(key, { adds, dels, since: this.clock.now() });
  }

  /** An add was observed (or a create failed and will never be observed). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds -= 1;
  }

  deletionObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.dels -= 1;
  }

  delete(key: string): void {
    this.byKey.delete(key);
  }
}
