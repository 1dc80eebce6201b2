/**
 * Admission plugin `DefaultTolerationSeconds` (upstream plugin/pkg/admission/defaulttolerationseconds):
 * on pod CREATE and UPDATE, a pod that does not already tolerate the
 * `node.kubernetes.io/not-ready:NoExecute` taint (a toleration with that key or an empty key, and
 * effect NoExecute or empty) gets `{key: node.kubernetes.io/not-ready, operator: Exists, effect:
 * NoExecute, tolerationSeconds: 300}`, and likewise for `node.kubernetes.io/unreachable`, so
 * pods leave a dead node after five minutes instead of never. The seconds are upstream's
 * `--default-not-ready-toleration-seconds` / `--default-unreachable-toleration-seconds`.
 */
import type { AdmissionAttributes, AdmissionPlugin } from './types.ts';

export const DEFAULT_TOLERATION_SECONDS_PLUGIN = 'DefaultTolerationSeconds';

const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';

/** The toleration fields the plugin reads and writes. */
export interface PodToleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** Options of {@link createDefaultTolerationSecondsPlugin} (both default 300). */
export interface DefaultTolerationSecondsOptions {
  notReadyTolerationSeconds?: number;
  unreachableTolerationSeconds?: number;
}

function tolerates(tolerations: readonly PodToleration[], key: string): boolean {
  return tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
}

/**
 * The pod's tolerations with the default ones appended where missing, or undefined when the pod
 * already tolerates both taints (pure).
 */
export function withDefaultTolerations(tolerations: readonly PodToleration[] | undefined, options: DefaultTolerationSecondsOptions = {}): PodToleration[] | undefined {
  const current = tolerations ?? [];
  const added: PodToleration[] = [];
  if (!tolerates(current, TAINT_NODE_NOT_READY)) added.push({ key: TAINT_NODE_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.notReadyTolerationSeconds ?? 300 });
  if (!tolerates(current, TAINT_NODE_UNREACHABLE)) added.push({ key: TAINT_NODE_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: options.unreachableTolerationSeconds ?? 300 });
  return added.length ? [...current, ...added] : undefined;
}

export function createDefaultTolerationSecondsPlugin(options: DefaultTolerationSecondsOptions = {}): AdmissionPlugin {
  return {
    name: DEFAULT_TOLERATION_SECONDS_PLUGIN,
    admit(attrs: AdmissionAttributes) {
      if (attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') return;
      if (attrs.subresource || attrs.info.group !== '' || attrs.info.plural !== 'pods' || !attrs.object) return;
      const spec = (attrs.object.spec ??= {}) as { tolerations?: PodToleration[] };
      const tolerations = withDefaultTolerations(spec.tolerations, options);
      if (tolerations) spec.tolerations = tolerations;
    },
  };
}
