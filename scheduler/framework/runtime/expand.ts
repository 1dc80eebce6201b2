/**
 * Which plugins run at each extension point of a profile: the MultiPoint expansion rules of
 * upstream frameworkImpl.expandMultiPointPlugins, as a pure function.
 */
import { EXTENSION_POINTS, type ExtensionPoint } from '../interfaces.ts';
import type { PluginRef, ResolvedProfile } from '../config.ts';

/** Per extension point, the ordered plugin names; plus score weights. */
export interface ExpandedPlugins {
  points: Record<ExtensionPoint, string[]>;
  scoreWeights: Map<string, number>;
  /** Every plugin name to instantiate. */
  all: string[];
}

/**
 * `implementsPoint(name, ep)` says whether a plugin implements an extension point. Order per
 * point: plugins both in MultiPoint and explicitly enabled (in their explicit order), then
 * MultiPoint plugins, then the other explicit ones. A MultiPoint plugin disabled at a point
 * (or `*`) is skipped there; registering one twice in MultiPoint is an error.
 */
export function expandPlugins(plugins: ResolvedProfile['plugins'], implementsPoint: (name: string, ep: ExtensionPoint) => boolean): ExpandedPlugins {
  const points = {} as Record<ExtensionPoint, string[]>;
  const scoreWeights = new Map<string, number>();
  const all = new Set<string>();
  const multi = plugins.multiPoint.enabled;
  for (const ep of EXTENSION_POINTS) {
    const set = plugins[ep];
    const explicit: string[] = [];
    for (const p of set.enabled) {
      if (explicit.includes(p.name)) throw new Error(`plugin "${p.name}" already registered as "${ep}"`);
      explicit.push(p.name);
    }
    const disabled = new Set(set.disabled.map((p) => p.name));
    const overrides: string[] = [];
    const multiEnabled: string[] = [];
    if (!disabled.has('*')) {
      for (const p of multi) {
        if (!implementsPoint(p.name, ep) || disabled.has(p.name)) continue;
        if (explicit.includes(p.name)) {
          overrides.push(p.name);
          continue;
        }
        if (multiEnabled.includes(p.name)) throw new Error(`plugin "${p.name}" already registered as "${ep}"`);
        multiEnabled.push(p.name);
      }
    }
    const first = explicit.filter((n) => overrides.includes(n));
    const rest = explicit.filter((n) => !overrides.includes(n));
    points[ep] = [...first, ...multiEnabled, ...rest];
    for (const n of points[ep]) all.add(n);
    if (ep === 'score') {
      for (const n of points.score) {
        const ref: PluginRef | undefined = set.enabled.find((p) => p.name === n) ?? multi.find((p) => p.name === n);
        scoreWeights.set(n, ref?.weight || 1);
      }
    }
  }
  return { points, scoreWeights, all: [...all] };
}
