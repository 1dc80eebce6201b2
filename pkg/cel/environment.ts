/**
 * The CEL environment Kubernetes expressions are compiled in: the evaluator's standard library
 * with optional types, plus the Kubernetes libraries (lists, sets, strings, regex, quantity, IP
 * and CIDR, URL, format), as upstream's base environment declares them. Every variable is
 * declared `dyn`: values are converted from JSON when an expression runs (see `values.ts`).
 */
import { Environment } from '@marcbachmann/cel-js';
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
    for (const register of [registerListsLibrary, registerSetsLibrary, registerStringsLibrary, registerRegexLibrary, registerQuantityLibrary, registerIPLibrary, registerURLLibrary, registerFormatLibrary]) {
      register(base);
    }
  }
  return base;
}

/**
 * The environment declaring exactly `variables` (each `dyn`). Environments are built once per
 * variable set and shared: callers must not register anything on the result.
 */
export function celEnvironment(variables: readonly string[]): Environment {
  const key = variables.join(',');
  let env = byVariables.get(key);
  if (!env) {
    env = baseEnvironment().clone();
    for (const name of variables) env.registerVariable(name, 'dyn');
    byVariables.set(key, env);
  }
  return env;
}
