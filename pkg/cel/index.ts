/**
 * Kubernetes' Common Expression Language: the environment with Kubernetes' libraries, compiling
 * and running expressions, and JSON ⇄ CEL values. Used by CRD validation rules
 * (x-kubernetes-validations) and ValidatingAdmissionPolicy.
 */
export { celEnvironment, variableName, type CelVariable } from './environment.ts';
export { compileCel, formatCompileError, CelEvaluationError, type CelCompileResult, type CelProgram } from './compile.ts';
export { celToJson, escapeCelPropertyName, jsonToCel, schemaValueToCel, type CelSchemaNode } from './values.ts';
export { withCostLimit, COST_LIMIT_EXCEEDED, PER_CALL_COST_LIMIT, type CelCostBudget } from './cost-limit.ts';
export {
  AUTHORIZER_VARIABLE,
  celAuthorizer,
  CelAuthorizer,
  type AuthorizationCheck,
  type AuthorizationOutcome,
  type CheckAuthorization,
  type RequestResource,
} from './libraries/authz.ts';
