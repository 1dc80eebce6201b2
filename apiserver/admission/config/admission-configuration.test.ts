import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AdmissionConfigError, parseAdmissionConfiguration, pluginConfigurationFor, readAdmissionConfiguration } from './admission-configuration.ts';
import { loadAdmissionPluginConfigs } from './plugin-configs.ts';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-admission-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
};

const PSA_YAML = `apiVersion: pod-security.admission.config.k8s.io/v1
kind: PodSecurityConfiguration
defaults:
  enforce: baseline
exemptions:
  namespaces: [kube-system]
`;

describe('AdmissionConfiguration', () => {
  it('YAML with an inline PodSecurity configuration; unknown fields and other plugins are ignored', () => {
    const file = write('inline.yaml', `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
someField: ignored
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults: {enforce: restricted, warn: restricted}
- name: EventRateLimit
  path: does-not-exist.yaml
`);
    const configs = loadAdmissionPluginConfigs(file);
    expect(configs.podSecurity.defaults.enforce).toEqual({ level: 'restricted', version: 'latest' });
    expect(configs.podSecurity.defaults.audit).toEqual({ level: 'privileged', version: 'latest' });
  });

  it('JSON, apiserver.k8s.io/v1alpha1, with a relative path resolved against the file\'s directory', () => {
    mkdirSync(join(dir, 'sub'), { recursive: true });
    write('sub/psa.yaml', PSA_YAML);
    const file = write('sub/admission.json', JSON.stringify({ apiVersion: 'apiserver.k8s.io/v1alpha1', kind: 'AdmissionConfiguration', plugins: [{ name: 'PodSecurity', path: 'psa.yaml' }] }));
    expect(readAdmissionConfiguration(file).plugins).toEqual([{ name: 'PodSecurity', path: join(dir, 'sub', 'psa.yaml') }]);
    const configs = loadAdmissionPluginConfigs(file);
    expect(configs.podSecurity.defaults.enforce.level).toBe('baseline');
    expect([...configs.podSecurity.exemptions.namespaces]).toEqual(['kube-system']);
  });

  it('inline configuration wins over path; absolute paths stay; no entry or an empty file means the defaults', () => {
    const config = parseAdmissionConfiguration({ apiVersion: 'apiserver.config.k8s.io/v1', kind: 'AdmissionConfiguration', plugins: [{ name: 'A', path: '/etc/a.yaml', configuration: { x: 1 } }, { name: 'B', path: 'b.yaml' }, { name: 'C', path: write('empty.yaml', '\n') }] }, { baseDir: '/base' });
    expect(config.plugins[0]).toEqual({ name: 'A', path: '/etc/a.yaml', configuration: { x: 1 } });
    expect(config.plugins[1].path).toBe('/base/b.yaml');
    expect(pluginConfigurationFor(config, 'A')).toEqual({ x: 1 });
    expect(pluginConfigurationFor(config, 'C')).toBeUndefined();
    expect(pluginConfigurationFor(config, 'PodSecurity')).toBeUndefined();
    expect(loadAdmissionPluginConfigs(undefined).podSecurity.defaults.enforce.level).toBe('privileged');
  });

  it.each([
    ['missing file', () => join(dir, 'nope.yaml'), /^failed to initialize admission: unable to read admission control configuration from ".*nope\.yaml" \[ENOENT: no such file or directory/],
    ['no kind', () => write('nokind.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nplugins: []\n'), /^failed to initialize admission: Object 'Kind' is missing in 'apiVersion: apiserver.config.k8s.io\/v1\nplugins: \[\]\n'$/],
    ['apiserver.config.k8s.io/v1alpha1 serves no AdmissionConfiguration', () => write('alpha.yaml', 'apiVersion: apiserver.config.k8s.io/v1alpha1\nkind: AdmissionConfiguration\n'), /^failed to initialize admission: no kind "AdmissionConfiguration" is registered for version "apiserver.config.k8s.io\/v1alpha1"$/],
    ['not YAML', () => write('bad.yaml', 'plugins: [\n'), /^failed to initialize admission: unable to read admission control configuration from ".*bad\.yaml": /],
    ['a PodSecurity path that does not exist', () => write('missing-path.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  path: gone.yaml\n'), /^failed to initialize admission: couldn't init admission plugin "PodSecurity": Couldn't open admission plugin configuration .*gone\.yaml: ENOENT/],
    ['PodSecurity configuration without a kind', () => write('psa-nokind.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    defaults: {enforce: baseline}\n'), /^failed to initialize admission: couldn't init admission plugin "PodSecurity": Object 'Kind' is missing in '\{"defaults":\{"enforce":"baseline"\}\}'$/],
    ['PodSecurity unknown field', () => write('psa-strict.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    deflaults: {enforce: baseline}\n'), /^failed to initialize admission: couldn't init admission plugin "PodSecurity": strict decoding error: unknown field "deflaults"$/],
    ['PodSecurity invalid default', () => write('psa-level.yaml', 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodSecurity\n  configuration:\n    apiVersion: pod-security.admission.config.k8s.io/v1\n    kind: PodSecurityConfiguration\n    defaults: {enforce: strict}\n'), /^failed to initialize admission: failed to initialize admission plugin "PodSecurity": PodSecurity configuration error: enforce: must be one of privileged, baseline, restricted$/],
  ])('%s: a start-up error with upstream\'s text', (_name, file, message) => {
    const err = errorOf(() => loadAdmissionPluginConfigs(file()));
    expect(err).toBeInstanceOf(AdmissionConfigError);
    expect(err.message).toMatch(message);
  });
});
