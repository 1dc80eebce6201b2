/** Plugin registry: name → factory(args, handle) (upstream runtime.Registry). */
import type { Handle } from './handle.ts';
import type { Plugin } from './interfaces.ts';

/**
 * Builds one plugin instance for a profile. `args` is the `pluginConfig[].args` of the
 * plugin's name (undefined when not configured); the factory validates it (zod) and throws
 * an Error with a readable message on bad args.
 */
export type PluginFactory = (args: unknown, handle: Handle) => Plugin | Promise<Plugin>;

/** Name → factory. */
export type Registry = Readonly<Record<string, PluginFactory>>;

/** Merges registries; throws on a name registered twice. */
export function mergeRegistries(...registries: Registry[]): Registry {
  const out: Record<string, PluginFactory> = {};
  for (const r of registries) {
    for (const [name, factory] of Object.entries(r)) {
      if (name in out) throw new Error(`a plugin named ${name} already exists`);
      out[name] = factory;
    }
  }
  return out;
}
