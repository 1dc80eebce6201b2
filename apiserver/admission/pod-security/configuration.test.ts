import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadPodSecurityConfig, PodSecurityConfigError } from './configuration.ts';

const doc = (extra: Record<string, unknown>, apiVersion = 'pod-security.admission.config.k8s.io/v1') => ({ apiVersion, kind: 'PodSecurityConfiguration', ...extra });
const privileged = { level: 'privileged', version: 'latest' };

describe('loadPodSecurityConfig', () => {
  it('no configuration (or an empty one): everything privileged:latest, no exemptions', () => {
    for (const raw of [undefined, null, '']) {
      const config = loadPodSecurityConfig(raw);
      expect(config.defaults).toEqual({ enforce: privileged, audit: privileged, warn: privileged });
      expect([...config.exemptions.namespaces, ...config.exemptions.usernames, ...config.exemptions.runtimeClasses]).toEqual([]);
    }
  });

  it.each(['v1', 'v1beta1', 'v1alpha1'])('%s: unset modes default to privileged:latest', (version) => {
    const config = loadPodSecurityConfig(doc({ defaults: { enforce: 'baseline' } }, `pod-security.admission.config.k8s.io/${version}`));
    expect(config.defaults).toEqual({ enforce: { level: 'baseline', version: 'latest' }, audit: privileged, warn: privileged });
  });

  it('YAML as the docs task writes it, with exemptions', () => {
    const config = loadPodSecurityConfig(parseYaml(`
apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: baseline
  enforce-version: v1.7
  warn: restricted
  warn-version: latest
  audit: ""
exemptions:
  usernames: ["alice", "bob"]
  namespaces: ["kube-system"]
  runtimeClasses: ["special"]
`));
    expect(config.defaults).toEqual({ enforce: { level: 'baseline', version: 'v1.7' }, audit: privileged, warn: { level: 'restricted', version: 'latest' } });
    expect([...config.exemptions.usernames]).toEqual(['alice', 'bob']);
    expect([...config.exemptions.namespaces]).toEqual(['kube-system']);
    expect([...config.exemptions.runtimeClasses]).toEqual(['special']);
  });

  it.each([
    ['missing kind', { apiVersion: 'pod-security.admission.config.k8s.io/v1' }, `Object 'Kind' is missing in '{"apiVersion":"pod-security.admission.config.k8s.io/v1"}'`],
    ['missing apiVersion', { kind: 'PodSecurityConfiguration' }, `Object 'apiVersion' is missing in '{"kind":"PodSecurityConfiguration"}'`],
    ['unknown version', doc({}, 'pod-security.admission.config.k8s.io/v99'), 'no kind "PodSecurityConfiguration" is registered for version "pod-security.admission.config.k8s.io/v99"'],
    ['unknown group', doc({}, 'apps/v1alpha1'), 'no kind "PodSecurityConfiguration" is registered for version "apps/v1alpha1"'],
    ['unknown kind', { ...doc({}), kind: 'SomeConfiguration' }, 'no kind "SomeConfiguration" is registered for version "pod-security.admission.config.k8s.io/v1"'],
    ['unknown field (strict)', doc({ deflaults: { enforce: 'baseline' } }), 'strict decoding error: unknown field "deflaults"'],
    ['unknown nested field', doc({ defaults: { enforcee: 'baseline' } }), 'strict decoding error: unknown field "defaults.enforcee"'],
    ['wrong type', doc({ exemptions: { usernames: 'alice' } }), 'json: cannot unmarshal string into Go struct field PodSecurityConfiguration.exemptions.usernames of type array'],
    ['bad default level', doc({ defaults: { enforce: 'strict' } }), 'PodSecurity configuration error: enforce: must be one of privileged, baseline, restricted'],
    ['bad default level and version', doc({ defaults: { audit: 'x', 'warn-version': '1.2' } }), 'PodSecurity configuration error: [audit: must be one of privileged, baseline, restricted, warn-version: must be "latest" or "v1.x"]'],
    ['bad exempt namespace', doc({ exemptions: { namespaces: ['Kube_System'] } }), `PodSecurity invalid: exemptions.namespaces[0]: Invalid value: "Kube_System": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`],
    ['duplicates and an empty username', doc({ exemptions: { namespaces: ['a', 'a'], runtimeClasses: ['x.y', 'x.y'], usernames: ['', 'u', 'u'] } }), 'PodSecurity invalid: [exemptions.namespaces[1]: Duplicate value: "a", exemptions.runtimeClasses[1]: Duplicate value: "x.y", exemptions.usernames[0]: Required value, exemptions.usernames[2]: Duplicate value: "u"]'],
  ])('%s: upstream\'s error', (_name, raw, message) => {
    let thrown: unknown;
    try {
      loadPodSecurityConfig(raw);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PodSecurityConfigError);
    expect((thrown as Error).message).toBe(message);
  });
});
