/**
 * apiextensions.k8s.io/v1 CustomResourceDefinition: its shape, upstream's defaults and the
 * validation of names, scope and versions. Serving the kinds it defines is the API server's
 * CRD controller (`apiserver/crd`); the schema language is `../structural`.
 */
import { z } from 'zod';
import type { FieldError } from '../../../errors/index.ts';
import { kubeObject } from '../../meta.ts';
import { child, duplicate, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validateObjectMeta } from '../../validation/object-meta.ts';
import { deepEqual } from '../../validation/common-rules.ts';
import { defineResource } from '../../core/v1/common.ts';
import { validateCrdSchema, type JSONSchemaProps } from '../structural/index.ts';
import { validateSelectableFields } from './selectable-fields.ts';
import { applyConversionDefaults, CustomResourceConversionSchema, validateCustomResourceConversion } from './conversion.ts';

const NamesSchema = z.object({
  plural: z.string().optional(),
  singular: z.string().optional(),
  kind: z.string().optional(),
  listKind: z.string().optional(),
  shortNames: z.array(z.string()).optional(),
  categories: z.array(z.string()).optional(),
});
export type CustomResourceDefinitionNames = z.infer<typeof NamesSchema>;

const ColumnSchema = z.object({
  name: z.string(),
  type: z.string(),
  format: z.string().optional(),
  description: z.string().optional(),
  priority: z.number().int().optional(),
  jsonPath: z.string(),
});

const VersionSchema = z.object({
  name: z.string().optional(),
  served: z.boolean().optional(),
  storage: z.boolean().optional(),
  deprecated: z.boolean().optional(),
  deprecationWarning: z.string().optional(),
  schema: z.object({ openAPIV3Schema: z.record(z.string(), z.unknown()).optional() }).optional(),
  subresources: z
    .object({
      status: z.object({}).loose().optional(),
      scale: z.object({ specReplicasPath: z.string(), statusReplicasPath: z.string(), labelSelectorPath: z.string().optional() }).optional(),
    })
    .optional(),
  additionalPrinterColumns: z.array(ColumnSchema).optional(),
  selectableFields: z.array(z.object({ jsonPath: z.string().optional() })).optional(),
});
export type CustomResourceDefinitionVersion = z.infer<typeof VersionSchema>;

export const CustomResourceDefinitionSchema = kubeObject({
  spec: z
    .object({
      group: z.string().optional(),
      names: NamesSchema.optional(),
      scope: z.string().optional(),
      versions: z.array(VersionSchema).optional(),
      conversion: CustomResourceConversionSchema.optional(),
      preserveUnknownFields: z.boolean().optional(),
    })
    .optional(),
  status: z
    .object({
      acceptedNames: NamesSchema.optional(),
      conditions: z.array(z.looseObject({ type: z.string(), status: z.string() })).optional(),
      storedVersions: z.array(z.string()).optional(),
    })
    .optional(),
});
export type CustomResourceDefinition = z.infer<typeof CustomResourceDefinitionSchema>;

/** The finalizer that makes the API server delete a CRD's objects before the CRD itself goes. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';

/** Upstream SetDefaults: conversion None (a webhook Service on 443), singular = lower-case kind, listKind = kind + List. */
export function applyCustomResourceDefinitionDefaults(crd: CustomResourceDefinition): void {
  const spec = (crd.spec ??= {});
  applyConversionDefaults((spec.conversion ??= {}));
  const names = (spec.names ??= {});
  if (names.kind) {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
}

/** The version objects are stored in (the one marked `storage: true`). */
export function storageVersionOf(crd: CustomResourceDefinition): string | undefined {
  return crd.spec?.versions?.find((v) => v.storage)?.name;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function validateNames(names: CustomResourceDefinitionNames | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const n = names ?? {};
  if (!n.plural) errs.push(required(child(path, 'plural')));
  else if (!DNS_LABEL.test(n.plural)) errs.push(invalidValue(child(path, 'plural'), n.plural, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
  if (n.singular && !DNS_LABEL.test(n.singular)) errs.push(invalidValue(child(path, 'singular'), n.singular, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
  if (!n.kind) errs.push(required(child(path, 'kind')));
  if (n.kind && n.listKind && n.kind === n.listKind) errs.push(invalidValue(child(path, 'listKind'), n.listKind, 'kind and listKind may not be the same'));
  (n.shortNames ?? []).forEach((s, i) => {
    if (!DNS_LABEL.test(s)) errs.push(invalidValue(index(child(path, 'shortNames'), i), s, "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"));
  });
  return errs;
}

function validateVersions(crd: CustomResourceDefinition): FieldError[] {
  const errs: FieldError[] = [];
  const versions = crd.spec?.versions ?? [];
  if (versions.length === 0) return [required('spec.versions', 'must have exactly one version marked as storage version')];
  const storage = versions.filter((v) => v.storage).length;
  if (storage !== 1) errs.push(invalidValue('spec.versions', versions, 'must have exactly one version marked as storage version'));
  if (!versions.some((v) => v.served)) errs.push(invalidValue('spec.versions', versions, 'must have at least one version marked as served'));
  const seen = new Set<string>();
  // Upstream converts a v1 CRD whose versions all have the same schema to one top-level
  // `spec.validation`, so its schema errors are reported there (once).
  const shared = versions.every((v) => v.schema?.openAPIV3Schema && deepEqual(v.schema.openAPIV3Schema, versions[0]!.schema?.openAPIV3Schema));
  if (shared) errs.push(...validateCrdSchema(versions[0]!.schema!.openAPIV3Schema as JSONSchemaProps, 'spec.validation.openAPIV3Schema'));
  versions.forEach((v, i) => {
    const path = index('spec.versions', i);
    if (!v.name) errs.push(required(child(path, 'name')));
    else if (!DNS_LABEL.test(v.name)) errs.push(invalidValue(child(path, 'name'), v.name, 'a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character'));
    else if (seen.has(v.name)) errs.push(duplicate(child(path, 'name'), v.name));
    if (v.name) seen.add(v.name);
    const schema = v.schema?.openAPIV3Schema as JSONSchemaProps | undefined;
    const schemaPath = child(child(path, 'schema'), 'openAPIV3Schema');
    if (!schema) {
      if (!crd.spec?.preserveUnknownFields) errs.push(required(schemaPath, 'schemas are required'));
    } else if (!shared) errs.push(...validateCrdSchema(schema, schemaPath));
    if (schema && v.selectableFields?.length) errs.push(...validateSelectableFields(v.selectableFields, schema, child(path, 'selectableFields')));
    (v.additionalPrinterColumns ?? []).forEach((c, j) => {
      const cp = index(child(path, 'additionalPrinterColumns'), j);
      if (!['integer', 'number', 'string', 'boolean', 'date'].includes(c.type)) errs.push(notSupported(child(cp, 'type'), c.type, ['boolean', 'date', 'integer', 'number', 'string']));
      if (!c.jsonPath) errs.push(required(child(cp, 'jsonPath')));
    });
  });
  return errs;
}

export function validateCustomResourceDefinition(crd: CustomResourceDefinition, old?: CustomResourceDefinition): FieldError[] {
  const errs = validateObjectMeta(crd.metadata, { namespaced: false });
  const spec = crd.spec ?? {};
  if (!spec.group) errs.push(required('spec.group'));
  else if (!spec.group.includes('.')) errs.push(invalidValue('spec.group', spec.group, 'should be a domain with at least one dot'));
  errs.push(...validateNames(spec.names, 'spec.names'));
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errs.push(notSupported('spec.scope', spec.scope ?? '', ['Cluster', 'Namespaced']));
  else if (old?.spec?.scope && old.spec.scope !== spec.scope) errs.push(invalidValue('spec.scope', spec.scope, 'field is immutable'));
  errs.push(...validateVersions(crd));
  const expected = `${spec.names?.plural ?? ''}.${spec.group ?? ''}`;
  if (crd.metadata.name && spec.group && spec.names?.plural && crd.metadata.name !== expected) {
    errs.push(invalidValue('metadata.name', crd.metadata.name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...validateCustomResourceConversion(spec.conversion, spec.preserveUnknownFields));
  return errs;
}

export const customResourceDefinitionResource = defineResource<CustomResourceDefinition>({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  singular: 'customresourcedefinition',
  namespaced: false,
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  schema: CustomResourceDefinitionSchema,
  subresources: { status: true },
  applyDefaults: applyCustomResourceDefinitionDefaults,
  validate: validateCustomResourceDefinition,
  prepareForCreate(crd) {
    const storage = storageVersionOf(crd);
    crd.status = { storedVersions: storage ? [storage] : [] };
  },
  prepareForUpdate(crd, old) {
    const stored = new Set(old.status?.storedVersions ?? []);
    const storage = storageVersionOf(crd);
    if (storage) stored.add(storage);
    crd.status = { ...(old.status ?? {}), storedVersions: [...stored] };
  },
});
