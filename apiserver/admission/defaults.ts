/**
 * The admission plugins this server enables by default, in upstream's order
 * (NamespaceLifecycle first, LimitRanger before ServiceAccount, … , DefaultStorageClass, StorageObjectInUseProtection and
 * PersistentVolumeClaimResize after DefaultTolerationSeconds, then RuntimeClass, the Service registry's allocation
 * last so that kind validation sees allocated values; MutatingAdmissionWebhook, ValidatingAdmissionPolicy,
 * ValidatingAdmissionWebhook, then ResourceQuota at the very end).
 */
import { createDefaultStorageClassPlugin } from './default-storage-class.ts';
import { createDefaultTolerationSecondsPlugin } from './default-toleration-seconds.ts';
import { createPersistentVolumeClaimResizePlugin } from './persistent-volume-claim-resize.ts';
import { createStorageObjectInUseProtectionPlugin } from './storage-object-in-use-protection.ts';
import { createDefaultIngressClassPlugin } from './default-ingress-class.ts';
import { createLimitRangerPlugin } from './limit-ranger.ts';
import { createPodSecurityPlugin } from './pod-security/plugin.ts';
import { createNamespaceLifecyclePlugin, type NamespaceLifecycleOptions } from './namespace-lifecycle.ts';
import { createNamespaceReader } from './namespace-reader.ts';
import { createPriorityPlugin } from './priority.ts';
import { createResourceQuotaPlugin } from './resource-quota.ts';
import { createRuntimeClassPlugin } from './runtime-class.ts';
import { createServiceAccountPlugin } from './service-account.ts';
import { servicePluginFor } from './service-allocation.ts';
import { createServiceAllocators, type ServiceAllocationOptions, type ServiceAllocators } from './service-allocators.ts';
import type { AdmissionContext, AdmissionPlugin } from './types.ts';
import type { AdmissionPluginConfigs } from './config/plugin-configs.ts';
import { createWebhookAdmissionPlugins } from './webhook/index.ts';
import { createWebhookConfigCache } from './webhook/config-cache.ts';
import { celPolicyCompiler } from './policy/cel-compiler.ts';
import { createValidatingAdmissionPolicyPlugin } from './policy/plugin.ts';

export interface DefaultAdmissionOptions extends ServiceAllocationOptions {
  namespaceLifecycle?: NamespaceLifecycleOptions;
  /** Share allocators already built (e.g. for bootstrap/repair); built from the flags otherwise. */
  allocators?: ServiceAllocators;
  /** Plugin configurations from `--admission-control-config-file` (default: each plugin's defaults). */
  pluginConfigs?: AdmissionPluginConfigs;
}

export function defaultAdmissionPlugins(ctx: AdmissionContext, options: DefaultAdmissionOptions = {}): AdmissionPlugin[] {
  const allocators = options.allocators ?? createServiceAllocators(ctx, options);
  // One namespace cache for the plugins that read a write's namespace; NamespaceLifecycle evicts it.
  const namespaces = createNamespaceReader(ctx, options.namespaceLifecycle);
  const [mutatingWebhook, validatingWebhook] = createWebhookAdmissionPlugins(ctx);
  const policies = createValidatingAdmissionPolicyPlugin(ctx, { compiler: celPolicyCompiler, cache: createWebhookConfigCache(ctx) });
  return [createNamespaceLifecyclePlugin(ctx, { namespaces }),
    createLimitRangerPlugin(ctx),
    createServiceAccountPlugin(ctx), createPodSecurityPlugin(ctx, { namespaces, config: options.pluginConfigs?.podSecurity, log: options.logger?.child({ component: 'pod-security' }) }), createPriorityPlugin(ctx), createDefaultTolerationSecondsPlugin(), createDefaultIngressClassPlugin(ctx),
    createDefaultStorageClassPlugin(ctx), createStorageObjectInUseProtectionPlugin(), createPersistentVolumeClaimResizePlugin(ctx),
    createRuntimeClassPlugin(ctx),
    servicePluginFor(ctx, allocators), mutatingWebhook, policies, validatingWebhook,
    // ResourceQuota is upstream's last plugin: it charges what every other plugin admitted.
    createResourceQuotaPlugin(ctx)];
}
