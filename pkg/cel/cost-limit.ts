/**
 * A run-time cost limit for CEL evaluation. The evaluator cannot be interrupted, so the input
 * is wrapped instead: every element or property read from a wrapped list or map costs one unit
 * of a shared budget, and exhausting it fails the evaluation with cel-go's `operation
 * cancelled: actual cost limit exceeded`. Comprehensions over input values (the quadratic
 * `self.all(x, self.exists(y, …))`) are stopped; lists an expression builds itself are not
 * counted. Values that cost more than their reads (authorizer checks) implement
 * {@link BIND_COST_BUDGET}: reading one from a wrapped activation binds it to the same budget.
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

/**
 * A method of CEL values whose functions are charged to the evaluation's budget: called with the
 * budget when the value is read from a wrapped activation, it returns the value bound to it.
 */
export const BIND_COST_BUDGET = Symbol('bindCostBudget');

interface BudgetBindable {
  [BIND_COST_BUDGET](budget: CelCostBudget): unknown;
}

function bindable(value: unknown): value is BudgetBindable {
  return value !== null && typeof value === 'object' && BIND_COST_BUDGET in value;
}

/** Charges `units` to `budget`; throws cel-go's cost-limit error once it is exhausted. */
export function spend(budget: CelCostBudget, units: number): void {
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
  const bound = new WeakMap<object, unknown>();
  const bind = (v: BudgetBindable): unknown => {
    if (!bound.has(v)) bound.set(v, v[BIND_COST_BUDGET](budget));
    return bound.get(v);
  };
  const wrap = (target: object): object => {
    let proxy = wrapped.get(target);
    if (!proxy) {
      proxy = new Proxy(target, {
        get(t, key, receiver) {
          const v = Reflect.get(t, key, receiver);
          if (typeof key !== 'string' || !Object.hasOwn(t, key)) return v;
          spend(budget, 1);
          if (bindable(v)) return bind(v);
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
