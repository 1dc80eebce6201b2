import { describe, expect, it } from 'vitest';
import { customResourceDefinitionResource as crdResource } from './customresourcedefinition.ts';
import { crdV1beta1ToV1, crdV1ToV1beta1 } from '../v1beta1/customresourcedefinition.ts';

const base = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'tunnels.conversion.example.com' },
  spec: {
    group: 'conversion.example.com',
    scope: 'Namespaced',
    names: { plural: 'tunnels', kind: 'Tunnel' },
    versions: [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      { name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } },
    ],
  },
};

/** The conversion errors of a CRD with this `spec.conversion` (and spec extras), as kubectl prints them. */
function conversionErrors(conversion: unknown, spec: Record<string, unknown> = {}): string[] {
  const crd = crdResource.schema.parse({ ...base, spec: { ...base.spec, conversion, ...spec } });
  crdResource.applyDefaults?.(crd);
  return crdResource.validate(crd).map((e) => `${e.field}: ${e.detail}`).filter((t) => t.startsWith('spec.conversion'));
}

describe('CRD spec.conversion (upstream validateCustomResourceConversion)', () => {
  it('accepts None and a complete webhook, and defaults strategy None and the Service port 443', () => {
    expect(conversionErrors(undefined)).toEqual([]);
    const crd = crdResource.schema.parse({ ...base, spec: { ...base.spec, conversion: { strategy: 'Webhook', webhook: { clientConfig: { service: { namespace: 'system', name: 'webhook-service', path: '/convert' } }, conversionReviewVersions: ['v1'] } } } });
    crdResource.applyDefaults?.(crd);
    expect(crdResource.validate(crd)).toEqual([]);
    expect(crd.spec?.conversion?.webhook?.clientConfig?.service?.port).toBe(443);
    const plain = crdResource.schema.parse(base);
    crdResource.applyDefaults?.(plain);
    expect(plain.spec?.conversion).toEqual({ strategy: 'None' });
  });

  it('refuses a webhook strategy without a webhook, with upstream internal-type paths', () => {
    expect(conversionErrors({ strategy: 'Webhook' })).toEqual([
      'spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook',
      'spec.conversion.conversionReviewVersions: Required value',
    ]);
  });

  it('checks the client config and the review versions', () => {
    expect(conversionErrors({ strategy: 'Webhook', webhook: { clientConfig: {}, conversionReviewVersions: ['v2', 'v2', 'V3'] } })).toEqual([
      'spec.conversion.webhookClientConfig: Required value: exactly one of url or service is required',
      'spec.conversion.conversionReviewVersions[1]: Invalid value: "v2": duplicate version',
      'spec.conversion.conversionReviewVersions[2]: Invalid value: "V3": a DNS-1035 label must consist of lower case alphanumeric characters or \'-\', start with an alphabetic character, and end with an alphanumeric character (e.g. \'my-name\',  or \'abc-123\', regex used for validation is \'[a-z]([-a-z0-9]*[a-z0-9])?\')',
      'spec.conversion.conversionReviewVersions: Invalid value: []string{"v2", "v2", "V3"}: must include at least one of v1, v1beta1',
    ]);
    expect(conversionErrors({ strategy: 'Webhook', webhook: { clientConfig: { url: 'http://hook.example.com/convert' }, conversionReviewVersions: ['v1'] } })).toEqual([
      'spec.conversion.webhookClientConfig.url: Invalid value: "http://hook.example.com/convert": \'https\' is the only allowed URL scheme',
    ]);
  });

  it('forbids webhook settings with strategy None, an unknown strategy, and a webhook with preserveUnknownFields', () => {
    expect(conversionErrors({ strategy: 'None', webhook: { clientConfig: { url: 'https://hook.example.com' }, conversionReviewVersions: ['v1'] } })).toEqual([
      'spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook',
      'spec.conversion.conversionReviewVersions: Forbidden: should not be set when strategy is not set to Webhook',
    ]);
    expect(conversionErrors({ strategy: 'Magic' })).toEqual(['spec.conversion.strategy: Unsupported value: "Magic": supported values: "None", "Webhook"']);
    expect(conversionErrors({ strategy: 'Webhook', webhook: { clientConfig: { url: 'https://hook.example.com' }, conversionReviewVersions: ['v1'] } }, { preserveUnknownFields: true })).toEqual([
      'spec.conversion.strategy: Invalid value: "Webhook": must be None if spec.preserveUnknownFields is true',
    ]);
  });

  it('maps v1beta1 webhookClientConfig/conversionReviewVersions (default ["v1beta1"]) to v1 webhook and back', () => {
    const v1beta1 = { ...base, apiVersion: 'apiextensions.k8s.io/v1beta1', spec: { ...base.spec, conversion: { strategy: 'Webhook', webhookClientConfig: { url: 'https://hook.example.com/convert' } } } };
    const v1 = crdV1beta1ToV1(v1beta1) as typeof base & { spec: { conversion: unknown } };
    expect(v1.spec.conversion).toEqual({ strategy: 'Webhook', webhook: { clientConfig: { url: 'https://hook.example.com/convert' }, conversionReviewVersions: ['v1beta1'] } });
    expect((crdV1ToV1beta1(v1 as never).spec as { conversion: unknown }).conversion).toEqual({ strategy: 'Webhook', webhookClientConfig: { url: 'https://hook.example.com/convert' }, conversionReviewVersions: ['v1beta1'] });
    expect((crdV1beta1ToV1({ ...v1beta1, spec: { ...v1beta1.spec, conversion: { strategy: 'None' } } }) as { spec: { conversion: unknown } }).spec.conversion).toEqual({ strategy: 'None' });
  });
});
