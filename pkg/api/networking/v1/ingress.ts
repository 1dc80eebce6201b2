/**
 * networking.k8s.io/v1 Ingress: HTTP routing rules (host + path → Service backend) for an ingress
 * controller to implement. Upstream strategy: status reset on create, generation bumped on spec
 * changes (generic), validation in `ingress-validation.ts`. No v1 defaults (`pathType` is required).
 * Nothing in k8ts serves Ingresses: as upstream, that is an add-on's job.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';
import { defineResource, TypedLocalObjectReferenceSchema } from '../../core/v1/common.ts';
import { validateIngress } from './ingress-validation.ts';

export { TypedLocalObjectReferenceSchema };

export const IngressBackendSchema = z.object({
  service: z.object({
    name: z.string().default(''),
    port: z.object({ name: z.string().optional(), number: z.number().int().optional() }).optional(),
  }).optional(),
  resource: TypedLocalObjectReferenceSchema.optional(),
});
export type IngressBackend = z.infer<typeof IngressBackendSchema>;

export const IngressSpecSchema = z.object({
  ingressClassName: z.string().optional(),
  defaultBackend: IngressBackendSchema.optional(),
  tls: z.array(z.object({ hosts: z.array(z.string()).optional(), secretName: z.string().optional() })).optional(),
  rules: z.array(z.object({
    host: z.string().optional(),
    http: z.object({
      paths: z.array(z.object({
        path: z.string().optional(),
        pathType: z.string().optional(),
        backend: IngressBackendSchema.default({}),
      })).default([]),
    }).optional(),
  })).optional(),
});
export type IngressSpec = z.infer<typeof IngressSpecSchema>;

export const IngressStatusSchema = z.object({
  loadBalancer: z.object({
    ingress: z.array(z.object({
      ip: z.string().optional(),
      hostname: z.string().optional(),
      ports: z.array(z.object({ port: z.number().int().default(0), protocol: z.string().default(''), error: z.string().optional() })).optional(),
    })).optional(),
  }).optional(),
});

export const IngressSchema = kubeObject({
  spec: IngressSpecSchema.optional(),
  status: IngressStatusSchema.optional(),
});
export type Ingress = z.infer<typeof IngressSchema>;

/** The deprecated annotation naming an Ingress's class (before `spec.ingressClassName`). */
export const INGRESS_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export const ingressResource = defineResource<Ingress>({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'Ingress',
  plural: 'ingresses',
  singular: 'ingress',
  namespaced: true,
  shortNames: ['ing'],
  schema: IngressSchema,
  subresources: { status: true },
  applyDefaults(ing) {
    ing.spec ??= {};
    ing.status ??= { loadBalancer: {} };
    ing.status.loadBalancer ??= {};
  },
  validate: validateIngress,
  prepareForCreate(ing) {
    ing.status = { loadBalancer: {} };
  },
});
