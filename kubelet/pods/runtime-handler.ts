/**
 * The CRI runtime handler of a pod (upstream kubelet `runtimeclass.Manager.LookupRuntimeHandler`):
 * none for a pod without `spec.runtimeClassName`, else the named RuntimeClass's `handler`.
 * The class is read from the API once per sandbox creation (upstream keeps an informer; sandboxes
 * are created rarely enough that a GET each time costs nothing and is never stale). A missing
 * class fails with upstream's lister message, so the `FailedCreatePodSandBox` event reads as
 * upstream's.
 */
import type { Client, ResourceClient } from '../../pkg/client/index.ts';
import { BUILTIN_COORDINATES } from '../../pkg/client/index.ts';
import { isNotFound } from '../../pkg/errors/index.ts';

/** Why a pod's runtime handler could not be resolved; the message is upstream's. */
export class RuntimeHandlerError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeHandlerError';
  }
}

/** Resolves RuntimeClass names to handlers. */
export interface RuntimeHandlerLookup {
  /** `''` without a class name; the class's handler; throws {@link RuntimeHandlerError} otherwise. */
  lookup(runtimeClassName: string | undefined): Promise<string>;
}

/** A lookup through the kubelet's API client (`system:node` may get runtimeclasses). */
export function apiRuntimeHandlerLookup(client: Client): RuntimeHandlerLookup {
  // Made on first use: most pods name no RuntimeClass.
  let classes: ResourceClient<{ apiVersion?: string; kind?: string; metadata: { name?: string }; handler?: string }> | undefined;
  return {
    async lookup(name) {
      if (!name) return '';
      classes ??= client.resource(BUILTIN_COORDINATES.runtimeClasses);
      try {
        return (await classes.get(name)).handler ?? '';
      } catch (err) {
        if (isNotFound(err)) throw new RuntimeHandlerError(`runtimeclass.node.k8s.io "${name}" not found`, { cause: err });
        throw new RuntimeHandlerError(`failed to lookup RuntimeClass ${name}: ${(err as Error).message}`, { cause: err });
      }
    },
  };
}
