/**
 * The configurations of the admission plugins that take one, read from an AdmissionConfiguration
 * once at start-up. Only PodSecurity reads one in k8ts; entries for other plugins are ignored as
 * upstream ignores entries naming no enabled plugin (logged, so a typo is visible). A bad
 * configuration throws upstream's start-up error (`failed to initialize admission: …`).
 */
import type { Logger } from 'pino';
import { defaultPodSecurityConfig, loadPodSecurityConfig, PodSecurityConfigError, type PodSecurityConfig } from '../pod-security/configuration.ts';
import { AdmissionConfigError, pluginConfigurationFor, readAdmissionConfiguration, type AdmissionConfiguration } from './admission-configuration.ts';

/** Per-plugin configuration handed to the plugin factories. */
export interface AdmissionPluginConfigs {
  /** PodSecurity's defaults and exemptions (default: everything privileged, no exemptions). */
  podSecurity: PodSecurityConfig;
}

const CONFIGURABLE = new Set(['PodSecurity']);

/** Plugin configurations from a parsed AdmissionConfiguration (none: the defaults). */
export function admissionPluginConfigs(config: AdmissionConfiguration | undefined, log?: Logger): AdmissionPluginConfigs {
  for (const entry of config?.plugins ?? []) {
    if (!CONFIGURABLE.has(entry.name)) log?.warn({ plugin: entry.name }, 'admission plugin configuration ignored: k8ts configures no such plugin');
  }
  return { podSecurity: config ? podSecurityFrom(config) : defaultPodSecurityConfig() };
}

function podSecurityFrom(config: AdmissionConfiguration): PodSecurityConfig {
  try {
    return loadPodSecurityConfig(pluginConfigurationFor(config, 'PodSecurity'));
  } catch (err) {
    if (err instanceof PodSecurityConfigError && err.stage === 'validate') throw new AdmissionConfigError(`failed to initialize admission: failed to initialize admission plugin "PodSecurity": ${err.message}`, { cause: err });
    if (err instanceof PodSecurityConfigError || err instanceof AdmissionConfigError) throw new AdmissionConfigError(`failed to initialize admission: couldn't init admission plugin "PodSecurity": ${err.message}`, { cause: err });
    throw err;
  }
}

/** `--admission-control-config-file` → plugin configurations (no file: the defaults). */
export function loadAdmissionPluginConfigs(file: string | undefined, log?: Logger): AdmissionPluginConfigs {
  if (!file) return admissionPluginConfigs(undefined, log);
  let config: AdmissionConfiguration;
  try {
    config = readAdmissionConfiguration(file);
  } catch (err) {
    if (err instanceof AdmissionConfigError) throw new AdmissionConfigError(`failed to initialize admission: ${err.message}`, { cause: err });
    throw err;
  }
  return admissionPluginConfigs(config, log);
}
