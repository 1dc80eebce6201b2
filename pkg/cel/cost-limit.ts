/**
 * A run-time cost limit for CEL evaluation. The evaluator cannot be interrupted, so the input
 * is wrapped instead: every element or property read from a wrapped list or map costs one unit
 * of a shared budget, and exhausting it fails the evaluation with cel-go's `operation
 * cancelled: actual cost limit exceeded`. Comprehensions over input values (the quadratic
 * `self.all(x, self.exists(y, …))`) are stopped; lists an expression builds itself are not
 * counted.
 */
import { CelEvaluationError } from './compile.ts';

/** Units left; shared by every value wrapped with it. */
export interface CelCostBudget {
  remaining: number;
}

/** Input reads one expression evaluation may make (upstream's `celconfig.PerCallLimit`). */
export const PER_CALL_COST_LIMIT = 1_000_000;

/** The text cel-go's interpreter fails with when the cost limit is hit. */
export const COST_LIMIT_EXCEEDED = 'operation cancelled: actual cost limit exceeded';

function spend(budget: CelCostBudget, units: number): void {
  budget.remaining -= units;
  if (budget.remaining < 0) throw new CelEvaluationError(COST_LIMIT_EXCEEDED);
}

function wrappable(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** `value` with reads of its lists and plain objects (at any depth) charged to `budget`. */
export function withCostLimit<T>(value: T, budget: CelCostBudget): T {
  if (!wrappable(value)) return value;
  const wrapped = new WeakMap<object, object>();
  const wrap = (target: object): object => {
    let proxy = wrapped.get(target);
    if (!proxy) {
      proxy = new Proxy(target, {
        get(t, key, receiver) {
          const v = Reflect.get(t, key, receiver);
          if (typeof key !== 'string' || !Object.hasOwn(t, key)) return v;
          spend(budget, 1);
          return wrappable(v) ? wrap(v) : v;
        },
        ownKeys(t) {
          const keys = Reflect.ownKeys(t);
          spend(budget, keys.length);
          return keys;
        },
      });
      wrapped.set(target, proxy);
    }
    return proxy;
  };
  return wrap(value) as T;
}
