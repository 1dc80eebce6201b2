/**
 * The CEL environment Kubernetes expressions are compiled in: the evaluator's standard library
 * with optional types, plus the Kubernetes libraries (lists, sets, strings, regex, quantity, IP
 * and CIDR, URL, format, authorizer types), as upstream's base environment declares them. Variables are declared
 * `dyn` unless given a type: values are converted from JSON when an expression runs (see
 * `values.ts`).
 */
import { Environment } from '@marcbachmann/cel-js';
import { registerAuthzLibrary } from './libraries/authz.ts';
import { registerFormatLibrary } from './libraries/format.ts';
import { registerIPLibrary } from './libraries/ip.ts';
import { registerListsLibrary } from './libraries/lists.ts';
import { registerQuantityLibrary } from './libraries/quantity.ts';
import { registerRegexLibrary } from './libraries/regex.ts';
import { registerSetsLibrary } from './libraries/sets.ts';
import { registerStringsLibrary } from './libraries/strings.ts';
import { registerURLLibrary } from './libraries/url.ts';

let base: Environment | undefined;
const byVariables = new Map<string, Environment>();

function baseEnvironment(): Environment {
  if (!base) {
    base = new Environment({ enableOptionalTypes: true, homogeneousAggregateLiterals: false });
    for (const register of [registerListsLibrary, registerSetsLibrary, registerStringsLibrary, registerRegexLibrary, registerQuantityLibrary, registerIPLibrary, registerURLLibrary, registerFormatLibrary, registerAuthzLibrary]) {
      register(base);
    }
  }
  return base;
}

/** A variable an expression may use: a name (typed `dyn`), or a name with a CEL type such as `optional<dyn>`. */
export type CelVariable = string | { readonly name: string; readonly type: string };

/** The name of a {@link CelVariable}. */
export function variableName(variable: CelVariable): string {
  return typeof variable === 'string' ? variable : variable.name;
}

/**
 * The environment declaring exactly `variables`. Environments are built once per variable set
 * and shared: callers must not register anything on the result.
 */
export function celEnvironment(variables: readonly CelVariable[]): Environment {
  const declared = variables.map((v) => (typeof v === 'string' ? { name: v, type: 'dyn' } : v));
  const key = declared.map((v) => `${v.name}:${v.type}`).join(',');
  let env = byVariables.get(key);
  if (!env) {
    env = baseEnvironment().clone();
    for (const { name, type } of declared) env.registerVariable(name, type);
    byVariables.set(key, env);
  }
  return env;
}
