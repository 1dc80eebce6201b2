/**
 * The Kubernetes version k8ts implements, as every component reports it: the API server's
 * `/version` and OpenAPI documents, the kubelet's `nodeInfo.kubeletVersion`. Build metadata
 * (`+k8ts`, as k3s' `+k3s1`) keeps it a release under semantic versioning, not a pre-release.
 */
export const KUBERNETES_VERSION = { major: '1', minor: '33', gitVersion: 'v1.33.0+k8ts' } as const;
