/**
 * The resources a CustomResourceDefinition serves: one ResourceInfo per served version, all
 * stored as the storage version (conversion `None` only renames apiVersion; `Webhook` converts
 * through the CRD's conversion webhook, see `conversion-webhook.ts`). Decoding prunes
 * fields the version's schema does not specify (reported as unknown fields), defaulting applies
 * the schema's defaults, validation checks object metadata, the schema and its
 * x-kubernetes-validations rules.
 */
import { z } from 'zod';
import { storageVersionOf, type CustomResourceDefinition, type CustomResourceDefinitionVersion } from '../../pkg/api/apiextensions/v1/customresourcedefinition.ts';
import { applySchemaDefaults, pruneUnknownFields, validateCustomObject, type JSONSchemaProps } from '../../pkg/api/apiextensions/structural/index.ts';
import { validateCustomObjectRules } from '../../pkg/api/apiextensions/validation-rules/index.ts';
import { ObjectMetaSchema, type KubeObject } from '../../pkg/api/meta.ts';
import { ALL_VERBS, type ObjectConverter, type ResourceInfo } from '../../pkg/api/resource.ts';
import { conversionWebhookOf } from '../../pkg/api/apiextensions/v1/conversion.ts';
import { selectableFieldExtractors } from '../../pkg/api/apiextensions/v1/selectable-fields.ts';
import type { ConversionWebhook } from './conversion-webhook.ts';
import { validateObjectMeta } from '../../pkg/api/validation/object-meta.ts';

/** The schema a version is served with; without one (legacy v1beta1 CRDs) anything is kept. */
export function versionSchema(version: CustomResourceDefinitionVersion): JSONSchemaProps {
  return (version.schema?.openAPIV3Schema as JSONSchemaProps | undefined) ?? { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
}

/** The published OpenAPI schema: the CRD's, with apiVersion, kind and metadata as upstream adds them. */
export function publishedSchema(schema: JSONSchemaProps): Record<string, unknown> {
  const properties = { ...(schema.properties ?? {}) } as Record<string, unknown>;
  properties.apiVersion ??= { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' };
  properties.kind ??= { type: 'string', description: 'Kind is a string value representing the REST resource this object represents.' };
  properties.metadata = { type: 'object', description: 'Standard object\'s metadata.' };
  return { ...schema, type: 'object', properties };
}

function customObjectSchema(schema: JSONSchemaProps): z.ZodType<KubeObject> {
  return z
    .looseObject({ apiVersion: z.string().optional(), kind: z.string().optional(), metadata: ObjectMetaSchema.optional().default({}) })
    .transform((obj) => {
      // A copy: the members zod passes through are the input's, which must keep the pruned
      // fields for the decoder to report them as unknown (Strict refuses them, Warn warns).
      const pruned = structuredClone(obj) as Record<string, unknown>;
      pruneUnknownFields(pruned, schema);
      return pruned as KubeObject;
    }) as unknown as z.ZodType<KubeObject>;
}

/**
 * One ResourceInfo per served version of a valid CRD (empty when it has no storage version).
 * `webhookConverter` makes the converter of a CRD whose strategy is `Webhook`; without it such a
 * CRD converts as `None` does.
 */
export function resourceInfosForCrd(crd: CustomResourceDefinition, webhookConverter?: (webhook: ConversionWebhook) => ObjectConverter): ResourceInfo[] {
  const spec = crd.spec ?? {};
  const names = crd.status?.acceptedNames?.kind ? { ...spec.names, ...crd.status.acceptedNames } : (spec.names ?? {});
  const group = spec.group ?? '';
  const storageVersion = storageVersionOf(crd);
  if (!storageVersion || !names.plural || !names.kind) return [];
  const namespaced = spec.scope === 'Namespaced';
  const webhook = conversionWebhookOf(spec.conversion);
  const convertObjects = webhook && webhookConverter ? webhookConverter(webhook) : undefined;
  return (spec.versions ?? [])
    .filter((v) => v.served && v.name)
    .map((v): ResourceInfo => {
      const version = v.name!;
      const schema = versionSchema(v);
      const scale = v.subresources?.scale;
      const info: ResourceInfo = {
        group,
        version,
        kind: names.kind!,
        plural: names.plural!,
        singular: names.singular || names.kind!.toLowerCase(),
        namespaced,
        shortNames: names.shortNames ?? [],
        categories: names.categories ?? [],
        verbs: ALL_VERBS,
        schema: customObjectSchema(schema),
        subresources: { status: v.subresources?.status !== undefined, scale: scale ? { ...scale } : undefined },
        patchMeta: {},
        customResource: true,
        openApiSchema: publishedSchema(schema),
        printerColumns: v.additionalPrinterColumns ?? [],
        fieldSelectors: selectableFieldExtractors(v.selectableFields ?? []),
        applyDefaults: (obj) => applySchemaDefaults(obj as Record<string, unknown>, schema),
        validate: (obj, old) => {
          const errs = [...validateObjectMeta(obj.metadata, { namespaced }), ...validateCustomObject(obj as Record<string, unknown>, schema)];
          return [...errs, ...validateCustomObjectRules(obj as Record<string, unknown>, old as Record<string, unknown> | undefined, schema, errs)];
        },
      };
      if (convertObjects) info.convertObjects = convertObjects;
      if (crd.metadata.deletionTimestamp) info.terminating = true;
      if (version !== storageVersion) {
        info.conversion = {
          storageGroup: group,
          storageVersion,
          toStorage: (obj) => ({ ...obj, apiVersion: `${group}/${storageVersion}` }),
          fromStorage: (obj) => ({ ...obj, apiVersion: `${group}/${version}` }),
        };
      }
      return info;
    });
}
