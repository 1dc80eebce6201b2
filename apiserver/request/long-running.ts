/**
 * Upstream's long-running requests (`BasicLongRunningRequestCheck` with kube-apiserver's sets):
 * watches and the streaming subresources. Their responses start long before they complete, so
 * the in-flight limit does not count them and auditing writes their ResponseStarted stage.
 */

/** The subresources whose requests are long-running. */
export const LONG_RUNNING_SUBRESOURCES: ReadonlySet<string> = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

/** Whether a request with these attributes is long-running. Pure. */
export function isLongRunningRequest(attrs: { verb: string; subresource: string }): boolean {
  return attrs.verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(attrs.subresource);
}
