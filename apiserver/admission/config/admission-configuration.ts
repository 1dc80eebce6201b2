/**
 * `--admission-control-config-file`: upstream's AdmissionConfiguration
 * (`apiserver.config.k8s.io/v1`, or the older `apiserver.k8s.io/v1alpha1`), YAML or JSON:
 *
 * ```yaml
 * apiVersion: apiserver.config.k8s.io/v1
 * kind: AdmissionConfiguration
 * plugins:
 * - name: PodSecurity
 *   configuration: { apiVersion: pod-security.admission.config.k8s.io/v1, kind: PodSecurityConfiguration, … }
 * - name: Other
 *   path: other.yaml        # relative to this file's directory
 * ```
 *
 * As upstream: decoded leniently (unknown fields ignored), a plugin's inline `configuration` wins
 * over its `path`, relative paths are resolved against the file's directory, and an entry is only
 * read when a plugin of that name asks for it (entries naming no enabled plugin are ignored).
 * Errors carry upstream's text; the API server refuses to start on one.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { decodeConfigObject } from './decode.ts';

/** One `plugins[]` entry, its `path` made absolute. */
export interface AdmissionPluginConfiguration {
  name: string;
  /** The inline configuration document (wins over `path`). */
  configuration?: unknown;
  /** Absolute path of the plugin's configuration file. */
  path?: string;
}

/** A parsed AdmissionConfiguration. */
export interface AdmissionConfiguration {
  plugins: AdmissionPluginConfiguration[];
}

/** A configuration file that cannot be used; `message` is upstream's text. */
export class AdmissionConfigError extends Error {
  readonly code = 'AdmissionConfigInvalid';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AdmissionConfigError';
  }
}

const PluginSchema = z.object({
  name: z.string(),
  path: z.string().optional(),
  configuration: z.unknown().optional(),
});
const DocumentSchema = z.object({
  apiVersion: z.string(),
  kind: z.string(),
  plugins: z.array(PluginSchema).nullish(),
});

/** Parses YAML or JSON text (JSON is YAML); a syntax error is an {@link AdmissionConfigError}. */
export function parseConfigText(text: string, what: string): unknown {
  try {
    return parseYaml(text);
  } catch (err) {
    throw new AdmissionConfigError(`${what}: ${(err as Error).message}`, { cause: err });
  }
}

/** An AdmissionConfiguration document → its plugin entries, relative paths resolved against `baseDir`. Pure. */
export function parseAdmissionConfiguration(raw: unknown, options: { baseDir: string; source?: string }): AdmissionConfiguration {
  const decoded = decodeConfigObject(raw, {
    group: 'apiserver.config.k8s.io',
    versions: ['v1'],
    alsoServedBy: ['apiserver.k8s.io/v1alpha1'],
    kind: 'AdmissionConfiguration',
    schema: DocumentSchema,
    strict: false,
    source: options.source,
  });
  if (!decoded.ok) throw new AdmissionConfigError(decoded.message);
  return {
    plugins: (decoded.value.plugins ?? []).map((p) => ({
      name: p.name,
      ...(p.configuration !== undefined && p.configuration !== null ? { configuration: p.configuration } : {}),
      ...(p.path ? { path: isAbsolute(p.path) ? p.path : join(options.baseDir, p.path) } : {}),
    })),
  };
}

/** Reads `--admission-control-config-file` (throws {@link AdmissionConfigError} with upstream's text). */
export function readAdmissionConfiguration(file: string): AdmissionConfiguration {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AdmissionConfigError(`unable to read admission control configuration from "${file}" [${(err as Error).message}]`, { cause: err });
  }
  const raw = parseConfigText(text, `unable to read admission control configuration from "${file}"`);
  return parseAdmissionConfiguration(raw, { baseDir: dirname(file), source: text });
}

/**
 * The configuration document of plugin `name`: its inline `configuration`, else its `path` file
 * parsed (an empty file: undefined), else undefined. Throws when the file cannot be read.
 */
export function pluginConfigurationFor(config: AdmissionConfiguration | undefined, name: string): unknown {
  const entry = config?.plugins.find((p) => p.name === name);
  if (!entry) return undefined;
  if (entry.configuration !== undefined) return entry.configuration;
  if (!entry.path) return undefined;
  let text: string;
  try {
    text = readFileSync(entry.path, 'utf8');
  } catch (err) {
    throw new AdmissionConfigError(`Couldn't open admission plugin configuration ${entry.path}: ${(err as Error).message}`, { cause: err });
  }
  return text.trim() === '' ? undefined : parseConfigText(text, `couldn't init admission plugin "${name}"`);
}
