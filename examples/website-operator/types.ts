/**
 * The shapes the Website operator reads and writes: the Website custom resource and the few
 * Deployment and Service fields it owns. Only what the operator needs, typed locally so the
 * example depends on nothing but the public `k8ts/*` packages.
 */
import type { StatusCondition } from 'k8ts/runtime';
import type { KubeObject } from 'k8ts/api';
import type { ResourceCoordinates } from 'k8ts/client';

/** `example.k8ts.dev/v1` — the Website API version. */
export const WEBSITE_API_VERSION = 'example.k8ts.dev/v1';

/** Where Websites are served (the CRD in `crd.yaml`). */
export const WEBSITES: ResourceCoordinates = { group: 'example.k8ts.dev', version: 'v1', plural: 'websites', namespaced: true, kind: 'Website' };

/** One entry of `status.conditions` (the `metav1.Condition` shape). */
export type Condition = StatusCondition;

/** `Website.spec`; the server defaults `replicas` to 1 and `port` to 80. */
export interface WebsiteSpec {
  image: string;
  replicas?: number;
  port?: number;
}

/** `Website.status`, written by the operator through the status subresource. */
export interface WebsiteStatus {
  availableReplicas?: number;
  url?: string;
  conditions?: Condition[];
}

/** The Website custom resource. */
export interface Website extends KubeObject {
  spec: WebsiteSpec;
  status?: WebsiteStatus;
}

/** The Deployment fields the operator sets and reads. */
export interface DeploymentLike extends KubeObject {
  spec?: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    template?: {
      metadata?: { labels?: Record<string, string> };
      spec?: { containers?: Array<{ name: string; image?: string; ports?: Array<{ name?: string; containerPort: number; protocol?: string }> }> };
    };
  };
  status?: { availableReplicas?: number; replicas?: number; readyReplicas?: number };
}

/** The Service fields the operator sets. */
export interface ServiceLike extends KubeObject {
  spec?: {
    selector?: Record<string, string>;
    ports?: Array<{ name?: string; port: number; targetPort?: number | string; protocol?: string }>;
    clusterIP?: string;
  };
}
