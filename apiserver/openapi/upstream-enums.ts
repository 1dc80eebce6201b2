/**
 * The `enum` values upstream Kubernetes 1.33 publishes in its OpenAPI v3 documents for
 * enum-typed string fields of the named definitions k8ts publishes (from the Go types marked
 * `+enum`: every constant of the field's type, sorted). For an array field the values apply
 * to its items. Upstream's Swagger 2.0 document carries no `enum`, so neither does ours
 * (`swagger-form.ts`). Documents only: decoding and validation never read this table.
 */

/** Upstream 1.33's enum values by definition name, then field name. */
export const UPSTREAM_ENUMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'io.k8s.api.admissionregistration.v1.MutatingWebhook': {
    failurePolicy: ['Fail', 'Ignore'],
    matchPolicy: ['Equivalent', 'Exact'],
    reinvocationPolicy: ['IfNeeded', 'Never'],
    sideEffects: ['None', 'NoneOnDryRun', 'Some', 'Unknown'],
  },
  'io.k8s.api.admissionregistration.v1.RuleWithOperations': {
    operations: ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'],
  },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhook': {
    failurePolicy: ['Fail', 'Ignore'],
    matchPolicy: ['Equivalent', 'Exact'],
    sideEffects: ['None', 'NoneOnDryRun', 'Some', 'Unknown'],
  },
  'io.k8s.api.apps.v1.DeploymentStrategy': {
    type: ['Recreate', 'RollingUpdate'],
  },
  'io.k8s.api.apps.v1.StatefulSetSpec': {
    podManagementPolicy: ['OrderedReady', 'Parallel'],
  },
  'io.k8s.api.batch.v1.CronJobSpec': {
    concurrencyPolicy: ['Allow', 'Forbid', 'Replace'],
  },
  'io.k8s.api.batch.v1.JobSpec': {
    completionMode: ['Indexed', 'NonIndexed'],
    podReplacementPolicy: ['Failed', 'TerminatingOrFailed'],
  },
  'io.k8s.api.batch.v1.PodFailurePolicyRule': {
    action: ['Count', 'FailIndex', 'FailJob', 'Ignore'],
  },
  'io.k8s.api.core.v1.AppArmorProfile': {
    type: ['Localhost', 'RuntimeDefault', 'Unconfined'],
  },
  'io.k8s.api.core.v1.Container': {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['FallbackToLogsOnError', 'File'],
  },
  'io.k8s.api.core.v1.ContainerPort': {
    protocol: ['SCTP', 'TCP', 'UDP'],
  },
  'io.k8s.api.core.v1.ContainerStatus': {
    stopSignal: ['SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO', 'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGRTMAX', 'SIGRTMAX-1', 'SIGRTMAX-10', 'SIGRTMAX-11', 'SIGRTMAX-12', 'SIGRTMAX-13', 'SIGRTMAX-14', 'SIGRTMAX-2', 'SIGRTMAX-3', 'SIGRTMAX-4', 'SIGRTMAX-5', 'SIGRTMAX-6', 'SIGRTMAX-7', 'SIGRTMAX-8', 'SIGRTMAX-9', 'SIGRTMIN', 'SIGRTMIN+1', 'SIGRTMIN+10', 'SIGRTMIN+11', 'SIGRTMIN+12', 'SIGRTMIN+13', 'SIGRTMIN+14', 'SIGRTMIN+15', 'SIGRTMIN+2', 'SIGRTMIN+3', 'SIGRTMIN+4', 'SIGRTMIN+5', 'SIGRTMIN+6', 'SIGRTMIN+7', 'SIGRTMIN+8', 'SIGRTMIN+9', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ'],
  },
  'io.k8s.api.core.v1.EndpointPort': {
    protocol: ['SCTP', 'TCP', 'UDP'],
  },
  'io.k8s.api.core.v1.HTTPGetAction': {
    scheme: ['HTTP', 'HTTPS'],
  },
  'io.k8s.api.core.v1.HostPathVolumeSource': {
    type: ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
  },
  'io.k8s.api.core.v1.ImageVolumeSource': {
    pullPolicy: ['Always', 'IfNotPresent', 'Never'],
  },
  'io.k8s.api.core.v1.Lifecycle': {
    stopSignal: ['SIGABRT', 'SIGALRM', 'SIGBUS', 'SIGCHLD', 'SIGCLD', 'SIGCONT', 'SIGFPE', 'SIGHUP', 'SIGILL', 'SIGINT', 'SIGIO', 'SIGIOT', 'SIGKILL', 'SIGPIPE', 'SIGPOLL', 'SIGPROF', 'SIGPWR', 'SIGQUIT', 'SIGRTMAX', 'SIGRTMAX-1', 'SIGRTMAX-10', 'SIGRTMAX-11', 'SIGRTMAX-12', 'SIGRTMAX-13', 'SIGRTMAX-14', 'SIGRTMAX-2', 'SIGRTMAX-3', 'SIGRTMAX-4', 'SIGRTMAX-5', 'SIGRTMAX-6', 'SIGRTMAX-7', 'SIGRTMAX-8', 'SIGRTMAX-9', 'SIGRTMIN', 'SIGRTMIN+1', 'SIGRTMIN+10', 'SIGRTMIN+11', 'SIGRTMIN+12', 'SIGRTMIN+13', 'SIGRTMIN+14', 'SIGRTMIN+15', 'SIGRTMIN+2', 'SIGRTMIN+3', 'SIGRTMIN+4', 'SIGRTMIN+5', 'SIGRTMIN+6', 'SIGRTMIN+7', 'SIGRTMIN+8', 'SIGRTMIN+9', 'SIGSEGV', 'SIGSTKFLT', 'SIGSTOP', 'SIGSYS', 'SIGTERM', 'SIGTRAP', 'SIGTSTP', 'SIGTTIN', 'SIGTTOU', 'SIGURG', 'SIGUSR1', 'SIGUSR2', 'SIGVTALRM', 'SIGWINCH', 'SIGXCPU', 'SIGXFSZ'],
  },
  'io.k8s.api.core.v1.NodeSelectorRequirement': {
    operator: ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
  },
  'io.k8s.api.core.v1.NodeStatus': {
    phase: ['Pending', 'Running', 'Terminated'],
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimSpec': {
    accessModes: ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'],
    volumeMode: ['Block', 'Filesystem'],
  },
  'io.k8s.api.core.v1.PersistentVolumeClaimStatus': {
    accessModes: ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'],
    phase: ['Bound', 'Lost', 'Pending'],
  },
  'io.k8s.api.core.v1.PersistentVolumeSpec': {
    accessModes: ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'],
    persistentVolumeReclaimPolicy: ['Delete', 'Recycle', 'Retain'],
    volumeMode: ['Block', 'Filesystem'],
  },
  'io.k8s.api.core.v1.PersistentVolumeStatus': {
    phase: ['Available', 'Bound', 'Failed', 'Pending', 'Released'],
  },
  'io.k8s.api.core.v1.PodSecurityContext': {
    fsGroupChangePolicy: ['Always', 'OnRootMismatch'],
    supplementalGroupsPolicy: ['Merge', 'Strict'],
  },
  'io.k8s.api.core.v1.PodSpec': {
    dnsPolicy: ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
    preemptionPolicy: ['Never', 'PreemptLowerPriority'],
    restartPolicy: ['Always', 'Never', 'OnFailure'],
  },
  'io.k8s.api.core.v1.PodStatus': {
    phase: ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
    qosClass: ['BestEffort', 'Burstable', 'Guaranteed'],
  },
  'io.k8s.api.core.v1.ResourceQuotaSpec': {
    scopes: ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'],
  },
  'io.k8s.api.core.v1.ScopedResourceSelectorRequirement': {
    operator: ['DoesNotExist', 'Exists', 'In', 'NotIn'],
    scopeName: ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating', 'VolumeAttributesClass'],
  },
  'io.k8s.api.core.v1.SeccompProfile': {
    type: ['Localhost', 'RuntimeDefault', 'Unconfined'],
  },
  'io.k8s.api.core.v1.SecurityContext': {
    procMount: ['Default', 'Unmasked'],
  },
  'io.k8s.api.core.v1.ServicePort': {
    protocol: ['SCTP', 'TCP', 'UDP'],
  },
  'io.k8s.api.core.v1.ServiceSpec': {
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    ipFamilies: ['', 'IPv4', 'IPv6'],
    ipFamilyPolicy: ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
    sessionAffinity: ['ClientIP', 'None'],
    type: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  },
  'io.k8s.api.core.v1.Taint': {
    effect: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  },
  'io.k8s.api.core.v1.Toleration': {
    effect: ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
    operator: ['Equal', 'Exists'],
  },
  'io.k8s.api.core.v1.TopologySpreadConstraint': {
    nodeAffinityPolicy: ['Honor', 'Ignore'],
    nodeTaintsPolicy: ['Honor', 'Ignore'],
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
  },
  'io.k8s.api.core.v1.VolumeMount': {
    mountPropagation: ['Bidirectional', 'HostToContainer', 'None'],
  },
  'io.k8s.api.discovery.v1.EndpointSlice': {
    addressType: [],
  },
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': {
    unhealthyPodEvictionPolicy: ['AlwaysAllow', 'IfHealthyBudget'],
  },
  'io.k8s.api.storage.v1.StorageClass': {
    volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'],
  },
};
