/**
 * Admission plugin `DefaultIngressClass` (upstream plugin/pkg/admission/network/defaultingressclass):
 * an Ingress created with neither `spec.ingressClassName` nor the deprecated
 * `kubernetes.io/ingress.class` annotation gets the default IngressClass — the one annotated
 * `ingressclass.kubernetes.io/is-default-class: "true"`; with several, the newest (then the first
 * by name), as upstream. Updates and other kinds are left alone.
 */
import type { KubeObject } from '../../pkg/api/meta.ts';
import { INGRESS_CLASS_ANNOTATION } from '../../pkg/api/networking/v1/ingress.ts';
import { DEFAULT_INGRESS_CLASS_ANNOTATION } from '../../pkg/api/networking/v1/ingressclass.ts';
import type { AdmissionAttributes, AdmissionContext, AdmissionPlugin } from './types.ts';

export const DEFAULT_INGRESS_CLASS_PLUGIN = 'DefaultIngressClass';

const INGRESS_CLASSES = { group: 'networking.k8s.io', plural: 'ingressclasses', namespaced: false } as const;

/** The default class among `classes`, or undefined (pure). */
export function pickDefaultIngressClass(classes: readonly KubeObject[]): KubeObject | undefined {
  const defaults = classes.filter((c) => c.metadata.annotations?.[DEFAULT_INGRESS_CLASS_ANNOTATION] === 'true');
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata.creationTimestamp ?? '') || 0;
    return ta === tb ? (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '') : tb - ta;
  });
  return defaults[0];
}

export function createDefaultIngressClassPlugin(ctx: AdmissionContext): AdmissionPlugin {
  return {
    name: DEFAULT_INGRESS_CLASS_PLUGIN,
    admit(attrs: AdmissionAttributes) {
      if (attrs.operation !== 'CREATE' || attrs.subresource || attrs.info.group !== 'networking.k8s.io' || attrs.info.plural !== 'ingresses' || !attrs.object) return;
      const ingress = attrs.object as KubeObject & { spec?: { ingressClassName?: string } };
      if (ingress.spec?.ingressClassName !== undefined) return;
      if (ingress.metadata.annotations?.[INGRESS_CLASS_ANNOTATION] !== undefined) return;
      return (async () => {
        const classes = (await ctx.storage.list(ctx.keyFor(INGRESS_CLASSES, undefined, ''))).items;
        const chosen = pickDefaultIngressClass(classes);
        if (chosen) (ingress.spec ??= {}).ingressClassName = chosen.metadata.name;
      })();
    },
  };
}
