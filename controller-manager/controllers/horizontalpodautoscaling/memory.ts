/**
 * What the autoscaler remembers between reconciles of one HPA, in process memory as upstream
 * keeps it (lost on restart, by design): the recent unstabilized recommendations, the scale-up
 * and scale-down events of the behavior policies, and the last selector of each HPA (to spot
 * pods claimed by two HPAs). Keyed by `ns/name`; forgotten when the HPA goes.
 *
 * One writer per key: the runtime never reconciles one key on two workers at once.
 */
import { parseLabelSelector, type LabelSelectorMatcher } from '../../../pkg/api/selectors/index.ts';
import type { Recommendation, ScaleEvent } from './behavior.ts';

interface Entry {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
  selector?: { text: string; matcher: LabelSelectorMatcher };
}

export class AutoscalerMemory {
  private readonly entries = new Map<string, Entry>();

  private entry(key: string): Entry {
    let e = this.entries.get(key);
    if (!e) {
      e = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };
      this.entries.set(key, e);
    }
    return e;
  }

  /** The first recommendation of an HPA is the current count (no scale-down right after a restart). */
  recordInitialRecommendation(key: string, replicas: number, nowMs: number): void {
    const e = this.entry(key);
    if (!e.recommendations.length) e.recommendations = [{ replicas, timestampMs: nowMs }];
  }

  recommendations(key: string): readonly Recommendation[] {
    return this.entry(key).recommendations;
  }

  setRecommendations(key: string, recommendations: Recommendation[]): void {
    this.entry(key).recommendations = recommendations;
  }

  scaleEvents(key: string): { up: readonly ScaleEvent[]; down: readonly ScaleEvent[] } {
    const e = this.entry(key);
    return { up: e.scaleUpEvents, down: e.scaleDownEvents };
  }

  setScaleEvents(key: string, direction: 'up' | 'down', events: ScaleEvent[]): void {
    if (direction === 'up') this.entry(key).scaleUpEvents = events;
    else this.entry(key).scaleDownEvents = events;
  }

  /** Remembers the selector an HPA's target uses now. */
  setSelector(key: string, text: string): void {
    const e = this.entry(key);
    if (e.selector?.text !== text) e.selector = { text, matcher: parseLabelSelector(text) };
  }

  /** The HPAs of `namespace` (by key, sorted) whose last known selector picks any of these labels. */
  hpasSelecting(namespace: string, podLabels: ReadonlyArray<Readonly<Record<string, string>>>): string[] {
    const out: string[] = [];
    for (const [key, e] of this.entries) {
      if (!key.startsWith(`${namespace}/`) || !e.selector) continue;
      if (podLabels.some((labels) => e.selector!.matcher.matches(labels))) out.push(key);
    }
    return out.sort();
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
