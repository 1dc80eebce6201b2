/**
 * get and list of core/v1 `componentstatuses` (`ResourceInfo.computed`): every component the
 * server knows is probed at once and answered as a ComponentStatus with one `Healthy`
 * condition, as upstream's componentstatus REST does; a name it does not know is upstream's
 * 500 `Component not found: <name>`. Label and field selectors filter the list.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { internalError } from '../../pkg/errors/index.ts';
import type { Storage } from '../../pkg/storage/types.ts';
import type { ReadOptions } from '../request/options.ts';
import type { HandlerResult, RequestScope } from '../handlers/context.ts';
import { selectorMatcher } from '../handlers/read.ts';
import { httpProbe, storageProbe, type Probe, type ProbeResult } from './probe.ts';

/** Where the components answer; defaults are upstream's addresses on k8ts' plain-HTTP ports. */
export interface ComponentStatusOptions {
  /** Default `http://127.0.0.1:10259/healthz` (kube-scheduler's secure port, served plainly by k8ts). */
  schedulerUrl?: string;
  /** Default `http://127.0.0.1:10257/healthz`. */
  controllerManagerUrl?: string;
  /** Per probe (default upstream's 20 s). */
  timeoutMs?: number;
}

/** The probed components of one server, by ComponentStatus name, in list order. */
export type ComponentProbes = ReadonlyMap<string, Probe>;

export function componentProbes(storage: Pick<Storage, 'currentRevision'>, options: ComponentStatusOptions = {}): ComponentProbes {
  const timeoutMs = options.timeoutMs;
  return new Map<string, Probe>([
    ['scheduler', httpProbe(options.schedulerUrl ?? 'http://127.0.0.1:10259/healthz', { timeoutMs })],
    ['controller-manager', httpProbe(options.controllerManagerUrl ?? 'http://127.0.0.1:10257/healthz', { timeoutMs })],
    ['etcd-0', storageProbe(storage, { timeoutMs })],
  ]);
}

/** The ComponentStatus of one probe's outcome (empty message and error left out, as omitempty). Pure. */
export function componentStatusOf(name: string, result: ProbeResult): KubeObject {
  return {
    kind: 'ComponentStatus',
    apiVersion: 'v1',
    metadata: { name },
    conditions: [{ type: 'Healthy', status: result.status, ...(result.message ? { message: result.message } : {}), ...(result.error ? { error: result.error } : {}) }],
  };
}

export async function componentStatusHandler(probes: ComponentProbes, scope: RequestScope, options: Pick<ReadOptions, 'labelSelector' | 'fieldSelector'>): Promise<HandlerResult> {
  if (scope.name !== undefined) {
    const probe = probes.get(scope.name);
    if (!probe) throw internalError(new Error(`Component not found: ${scope.name}`));
    return { code: 200, body: componentStatusOf(scope.name, await probe()) };
  }
  const matches = selectorMatcher(scope, options);
  const items = await Promise.all([...probes].map(async ([name, probe]) => componentStatusOf(name, await probe())));
  return { code: 200, body: { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items: items.filter(matches) }, list: true };
}
