/**
 * The PodSecurity plugin's configuration, upstream's `PodSecurityConfiguration`
 * (`pod-security.admission.config.k8s.io/v1`, also `v1beta1` and `v1alpha1`, identical):
 * `defaults` — the level and version of each mode for namespaces without that label (unset:
 * `privileged` / `latest`) — and `exemptions` — usernames, namespaces and runtimeClasses whose
 * requests are admitted unchecked. Decoded strictly (unknown fields are errors, as upstream's
 * strict codec), defaulted, then validated with upstream's messages. Pure.
 */
import { z } from 'zod';
import type { FieldError } from '../../../pkg/errors/index.ts';
import { duplicate, index, invalidValue, required } from '../../../pkg/api/validation/field-errors.ts';
import { isDNS1123Label, isDNS1123Subdomain } from '../../../pkg/api/validation/names.ts';
import { aggregateText } from '../../../pkg/api/selectors/errors.ts';
import { isPolicyVersion, LEVEL_DETAIL, parseLevel, VERSION_DETAIL, type PodSecurityPolicy } from './namespace-labels.ts';
import { decodeConfigObject } from '../config/decode.ts';

export const POD_SECURITY_CONFIG_GROUP = 'pod-security.admission.config.k8s.io';
const VERSIONS = ['v1', 'v1beta1', 'v1alpha1'];

/** The resolved configuration the plugin runs with. */
export interface PodSecurityConfig {
  /** The policy of a namespace without pod-security labels. */
  defaults: PodSecurityPolicy;
  /** Requests admitted without evaluation. */
  exemptions: {
    usernames: ReadonlySet<string>;
    namespaces: ReadonlySet<string>;
    runtimeClasses: ReadonlySet<string>;
  };
}

/** A configuration that cannot be used; `message` is upstream's text. */
export class PodSecurityConfigError extends Error {
  readonly code = 'PodSecurityConfigInvalid';
  /** `decode`: the document could not be read as a PodSecurityConfiguration; `validate`: its values are invalid. */
  readonly stage: 'decode' | 'validate';
  constructor(message: string, stage: 'decode' | 'validate') {
    super(message);
    this.name = 'PodSecurityConfigError';
    this.stage = stage;
  }
}

const DefaultsSchema = z
  .object({
    enforce: z.string().optional(),
    'enforce-version': z.string().optional(),
    audit: z.string().optional(),
    'audit-version': z.string().optional(),
    warn: z.string().optional(),
    'warn-version': z.string().optional(),
  })
  .strict();

const ExemptionsSchema = z
  .object({
    usernames: z.array(z.string()).nullish(),
    namespaces: z.array(z.string()).nullish(),
    runtimeClasses: z.array(z.string()).nullish(),
  })
  .strict();

/** The document as written (after apiVersion/kind were checked). */
const DocumentSchema = z
  .object({
    apiVersion: z.string(),
    kind: z.string(),
    defaults: DefaultsSchema.nullish(),
    exemptions: ExemptionsSchema.nullish(),
  })
  .strict();

type Defaults = z.infer<typeof DefaultsSchema>;
type Exemptions = z.infer<typeof ExemptionsSchema>;

/** Default configuration (upstream: no configuration given). */
export function defaultPodSecurityConfig(): PodSecurityConfig {
  return loadPodSecurityConfig(undefined);
}

/**
 * Decodes, defaults and validates a configuration: `raw` is the parsed document (the inline
 * `configuration` or the `path` file's content), undefined or empty for the defaults. Throws
 * {@link PodSecurityConfigError} with upstream's message.
 */
export function loadPodSecurityConfig(raw: unknown): PodSecurityConfig {
  if (raw === undefined || raw === null || raw === '') return resolve({}, {});
  const decoded = decodeConfigObject(raw, { group: POD_SECURITY_CONFIG_GROUP, versions: VERSIONS, kind: 'PodSecurityConfiguration', schema: DocumentSchema, strict: true });
  if (!decoded.ok) throw new PodSecurityConfigError(decoded.message, 'decode');
  return resolve(decoded.value.defaults ?? {}, decoded.value.exemptions ?? {});
}

/** Defaulting, then upstream's CompleteConfiguration (defaults → policy) and ValidateConfiguration (exemptions). */
function resolve(written: Defaults, exemptions: Exemptions): PodSecurityConfig {
  const defaults = withDefaults(written);
  const policyErrors = defaultsErrors(defaults);
  if (policyErrors.length) throw new PodSecurityConfigError(`PodSecurity configuration error: ${policyErrors.length === 1 ? policyErrors[0] : `[${policyErrors.join(', ')}]`}`, 'validate');
  const errors = exemptionErrors(exemptions);
  if (errors.length) throw new PodSecurityConfigError(`PodSecurity invalid: ${aggregateText(errors)}`, 'validate');
  const level = (value: string) => parseLevel(value) ?? 'restricted';
  return {
    defaults: {
      enforce: { level: level(defaults.enforce), version: defaults['enforce-version'] },
      audit: { level: level(defaults.audit), version: defaults['audit-version'] },
      warn: { level: level(defaults.warn), version: defaults['warn-version'] },
    },
    exemptions: {
      usernames: new Set(exemptions.usernames ?? []),
      namespaces: new Set(exemptions.namespaces ?? []),
      runtimeClasses: new Set(exemptions.runtimeClasses ?? []),
    },
  };
}

type FullDefaults = Required<{ [K in keyof Defaults]: string }>;

/** Upstream SetDefaults_PodSecurityDefaults: an empty level is privileged, an empty version latest. */
function withDefaults(d: Defaults): FullDefaults {
  return {
    enforce: d.enforce || 'privileged',
    'enforce-version': d['enforce-version'] || 'latest',
    audit: d.audit || 'privileged',
    'audit-version': d['audit-version'] || 'latest',
    warn: d.warn || 'privileged',
    'warn-version': d['warn-version'] || 'latest',
  };
}

/** Upstream ToPolicy's errors, `<field>: <problem>`, in its order. */
function defaultsErrors(d: FullDefaults): string[] {
  const errors: string[] = [];
  for (const mode of ['enforce', 'audit', 'warn'] as const) {
    if (!parseLevel(d[mode])) errors.push(`${mode}: ${LEVEL_DETAIL}`);
    if (!isPolicyVersion(d[`${mode}-version`])) errors.push(`${mode}-version: ${VERSION_DETAIL}`);
  }
  return errors;
}

/** Upstream's exemption validation: valid, unique namespace names, runtime class names and non-empty usernames. */
function exemptionErrors(exemptions: Exemptions): FieldError[] {
  const check = (field: string, values: readonly string[] | null | undefined, problems: (v: string) => FieldError | undefined): FieldError[] => {
    const seen = new Set<string>();
    return (values ?? []).flatMap((value, i) => {
      const path = index(`exemptions.${field}`, i);
      const problem = problems(value);
      if (problem) return [{ ...problem, field: path }];
      if (seen.has(value)) return [duplicate(path, value)];
      seen.add(value);
      return [];
    });
  };
  const nameProblem = (validate: (v: string) => string[]) => (value: string) => {
    const problems = validate(value);
    return problems.length ? invalidValue('', value, problems.join(', ')) : undefined;
  };
  return [
    ...check('namespaces', exemptions.namespaces, nameProblem(isDNS1123Label)),
    ...check('runtimeClasses', exemptions.runtimeClasses, nameProblem(isDNS1123Subdomain)),
    ...check('usernames', exemptions.usernames, (value) => (value === '' ? required('') : undefined)),
  ];
}
