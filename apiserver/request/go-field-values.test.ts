import { describe, expect, it } from 'vitest';
import { goDecodeFailures, type JsonPath } from './go-field-values.ts';

const unmarshal = (literal: string, field: string, type: string) => `json: cannot unmarshal number ${literal} into Go struct field ${field} of type ${type}`;
const pod = (spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({ metadata: { name: 'p', ...metadata }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } });

describe('goDecodeFailures', () => {
  it.each([
    ['apps/v1', 'Deployment', { spec: { replicas: 99999999999 } }, [{ path: ['spec', 'replicas'], aborts: false, message: unmarshal('99999999999', 'DeploymentSpec.spec.replicas', 'int32') }]],
    ['v1', 'Pod', pod({ activeDeadlineSeconds: -99999999999999999999 }), [{ path: ['spec', 'activeDeadlineSeconds'], aborts: false, message: unmarshal('-100000000000000000000', 'PodSpec.spec.activeDeadlineSeconds', 'int64') }]],
    ['v1', 'Pod', pod({ terminationGracePeriodSeconds: 1.5 }), [{ path: ['spec', 'terminationGracePeriodSeconds'], aborts: false, message: unmarshal('1.5', 'PodSpec.spec.terminationGracePeriodSeconds', 'int64') }]],
    // Embedded VolumeSource: its members are the Volume's in JSON; Go names the struct that holds the field.
    ['v1', 'Pod', pod({ volumes: [{ name: 'v', secret: { secretName: 's', defaultMode: 4.2 } }] }), [{ path: ['spec', 'volumes', 0, 'secret', 'defaultMode'], aborts: false, message: unmarshal('4.2', 'SecretVolumeSource.spec.volumes.secret.defaultMode', 'int32') }]],
    ['v1', 'Pod', pod({}, { creationTimestamp: 'yesterday' }), [{ path: ['metadata', 'creationTimestamp'], aborts: true, message: 'parsing time "yesterday" as "2006-01-02T15:04:05Z07:00": cannot parse "yesterday" as "2006"' }]],
    ['v1', 'Pod', { ...pod({}), status: { conditions: [{ type: 'Ready', lastTransitionTime: 7 }] } }, [{ path: ['status', 'conditions', 0, 'lastTransitionTime'], aborts: true, message: 'json: cannot unmarshal number into Go value of type string' }]],
  ])('%s %s %j', (apiVersion, kind, object, failures) => {
    expect(goDecodeFailures(apiVersion, kind, object)).toEqual(failures);
  });

  it.each([
    ['fitting values and valid times', 'v1', 'Pod', pod({ terminationGracePeriodSeconds: 30, priority: -2147483648 }, { creationTimestamp: '2024-01-02T03:04:05Z' })],
    ['wrong JSON types (the schema reports them)', 'v1', 'Pod', pod({ terminationGracePeriodSeconds: 'x', containers: 'c' })],
    ['quantities and IntOrStrings (their own decoders)', 'apps/v1', 'Deployment', { spec: { strategy: { rollingUpdate: { maxSurge: 1.5 } }, template: { spec: { containers: [{ name: 'c', resources: { limits: { cpu: 0.5 } } }] } } } }],
    ['unknown members', 'v1', 'Pod', pod({ bogus: 1.5 })],
    ['kinds without an upstream schema', 'example.com/v1', 'Widget', { spec: { replicas: 1.5 } }],
  ])('is empty for %s', (_name, apiVersion, kind, object) => {
    expect(goDecodeFailures(apiVersion, kind, object)).toEqual([]);
  });

  it('quotes the literal the caller finds, and takes what the literal says fits', () => {
    const at = (literals: Record<string, string>) => (path: JsonPath) => literals[path.join('.')];
    const deadline = pod({ activeDeadlineSeconds: -99999999999999999999 });
    expect(goDecodeFailures('v1', 'Pod', deadline, at({ 'spec.activeDeadlineSeconds': '-99999999999999999999' }))[0].message).toBe(unmarshal('-99999999999999999999', 'PodSpec.spec.activeDeadlineSeconds', 'int64'));
    // 9223372036854775807 reads as 2^63 in JS; its literal fits int64.
    expect(goDecodeFailures('v1', 'Pod', pod({ activeDeadlineSeconds: 9223372036854775807 }), at({ 'spec.activeDeadlineSeconds': '9223372036854775807' }))).toEqual([]);
    // A literal that is not the value (the path moved) is not trusted.
    expect(goDecodeFailures('v1', 'Pod', pod({ terminationGracePeriodSeconds: 1.5 }), at({ 'spec.terminationGracePeriodSeconds': '2.5' }))[0].message).toBe(unmarshal('1.5', 'PodSpec.spec.terminationGracePeriodSeconds', 'int64'));
  });
});
