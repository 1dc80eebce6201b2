/**
 * A lean `AsyncResource.prototype.bind` for this process.
 *
 * Node 20 (and any later Node that still does) gives every function `bind` returns a deprecated
 * `asyncResource` accessor (DEP0172), built from two `util.deprecate` wrappers. Each wrapper
 * makes a fresh function the prototype of another, and V8 pays for that far beyond the call
 * itself (prototype maps, invalidated inline caches). `http2` binds every client stream it opens,
 * so every gRPC call (etcd from the API server, containerd from the kubelet) paid it: replacing
 * `bind` cut the API server's CPU per create by about a sixth (bench/README.md).
 *
 * The replacement keeps what callers rely on: the bound function runs `fn` in the resource's
 * async context (AsyncLocalStorage, async_hooks), with `thisArg` or else the call's `this`, and
 * has `fn`'s `length`. Only the deprecated accessor is gone.
 */
import { AsyncResource } from 'node:async_hooks';

type AnyFunction = (...args: unknown[]) => unknown;

/**
 * Installs the lean `bind` when this Node's own one still defines the deprecated accessor; a
 * Node without it is left as it is. Idempotent; returns whether the lean `bind` is in place.
 */
export function useLeanAsyncResourceBind(): boolean {
  if (AsyncResource.prototype.bind === leanBind) return true;
  const probe = new AsyncResource('k8ts-probe').bind(() => undefined);
  if (!Object.getOwnPropertyDescriptor(probe, 'asyncResource')) return false;
  AsyncResource.prototype.bind = leanBind as typeof AsyncResource.prototype.bind;
  return true;
}

function leanBind(this: AsyncResource, fn: AnyFunction, thisArg?: unknown): AnyFunction {
  if (typeof fn !== 'function') {
    throw Object.assign(new TypeError(`The "fn" argument must be of type function. Received ${fn === null ? 'null' : typeof fn}`), { code: 'ERR_INVALID_ARG_TYPE' });
  }
  const resource = this;
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return resource.runInAsyncScope(fn, this, ...args);
        }
      : (...args: unknown[]) => resource.runInAsyncScope(fn, thisArg, ...args);
  Object.defineProperty(bound, 'length', { value: fn.length });
  return bound;
}
