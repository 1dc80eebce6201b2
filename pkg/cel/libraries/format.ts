/**
 * Kubernetes' CEL format library (apiserver/pkg/cel/library/format.go): `format.named(name)` and
 * `format.<name>()` return a format whose `validate(string)` gives `optional.none()` for a valid
 * value and the validation messages otherwise.
 */
import { Optional, type Environment } from '@marcbachmann/cel-js';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../api/validation/names.ts';

/** A named string format in CEL. */
export class CelFormat {
  constructor(
    readonly name: string,
    readonly check: (value: string) => string[],
  ) {}
}

class FormatNamespace {}

const prefix = (check: (v: string) => string[]) => (v: string) => check(v.endsWith('-') ? `${v}a` : v);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const FORMATS: Record<string, (value: string) => string[]> = {
  dns1123Label: isDNS1123Label,
  dns1123Subdomain: isDNS1123Subdomain,
  dns1035Label: isDNS1035Label,
  qualifiedName: isQualifiedName,
  labelValue: isValidLabelValue,
  dns1123LabelPrefix: prefix(isDNS1123Label),
  dns1123SubdomainPrefix: prefix(isDNS1123Subdomain),
  dns1035LabelPrefix: prefix(isDNS1035Label),
  uuid: (v) => (UUID.test(v) ? [] : ['does not match the UUID format']),
  byte: (v) => (/^[A-Za-z0-9+/]*={0,2}$/.test(v) && v.length % 4 === 0 ? [] : ['invalid base64']),
  date: (v) => (/^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? [] : ['invalid date']),
  datetime: (v) => (!Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v) ? [] : ['invalid datetime']),
  uri: (v) => (URL.canParse(v) ? [] : ['invalid URI']),
};

/** Registers the `format` namespace on `env`. */
export function registerFormatLibrary(env: Environment): void {
  env
    .registerType('kubernetes.NamedFormat', CelFormat)
    .registerType('FormatNamespace', FormatNamespace)
    .registerConstant('format', 'FormatNamespace', new FormatNamespace())
    .registerFunction('FormatNamespace.named(string): optional<kubernetes.NamedFormat>', (_: unknown, name: string) =>
      FORMATS[name] ? Optional.of(new CelFormat(name, FORMATS[name]!)) : Optional.none(),
    )
    .registerFunction('kubernetes.NamedFormat.validate(string): optional<list<string>>', (f: CelFormat, value: string) => {
      const errs = f.check(value);
      return errs.length ? Optional.of(errs) : Optional.none();
    });
  for (const [name, check] of Object.entries(FORMATS)) {
    env.registerFunction(`FormatNamespace.${name}(): kubernetes.NamedFormat`, () => new CelFormat(name, check));
  }
}
