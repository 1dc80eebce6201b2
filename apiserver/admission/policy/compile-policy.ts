/**
 * A ValidatingAdmissionPolicy compiled once per stored version: every validation, message
 * expression, match condition and variable, each either a program or its compile error (which
 * becomes an evaluation error subject to the failurePolicy, as upstream's filter reports
 * `compilation error: …`). Cached by uid and resourceVersion.
 */
import type { ValidatingAdmissionPolicy } from '../../../pkg/api/admissionregistration/v1/validatingadmissionpolicy.ts';
import type { ExpressionEnvironment } from '../../../pkg/api/admissionregistration/v1/policy-validation.ts';
import type { CompileResult, PolicyCompiler } from './compiler.ts';

/** One compiled validation. */
export interface CompiledValidation {
  expression: string;
  program: CompileResult;
  message?: string;
  messageExpression?: string;
  messageProgram?: CompileResult;
  /** Status reason when it fails (upstream default Invalid). */
  reason?: string;
}

/** A policy ready to evaluate. */
export interface CompiledPolicy {
  name: string;
  failurePolicy: 'Fail' | 'Ignore';
  hasParams: boolean;
  validations: CompiledValidation[];
  matchConditions: Array<{ name: string; expression: string; program: CompileResult }>;
  /** Audit annotations: `key` and its valueExpression (string or null). */
  auditAnnotations: Array<{ key: string; expression: string; program: CompileResult }>;
  /** In declaration order; a variable may use those before it. */
  variables: Array<{ name: string; expression: string; program: CompileResult }>;
}

/** Compiles a policy (pure given the compiler). */
export function compilePolicy(policy: ValidatingAdmissionPolicy, compiler: PolicyCompiler): CompiledPolicy {
  const spec = policy.spec ?? {};
  const hasParams = spec.paramKind !== undefined;
  const declared: string[] = [];
  const composition = (spec.variables ?? []).length > 0;
  const variables = (spec.variables ?? []).map((v) => {
    const program = compiler.compile(v.expression, { params: hasParams, authorizer: true, variables: [...declared], composition });
    declared.push(v.name);
    return { name: v.name, expression: v.expression, program };
  });
  const env: ExpressionEnvironment = { params: hasParams, authorizer: true, variables: declared, composition };
  return {
    name: policy.metadata.name ?? '',
    failurePolicy: spec.failurePolicy === 'Ignore' ? 'Ignore' : 'Fail',
    hasParams,
    variables,
    auditAnnotations: (spec.auditAnnotations ?? []).map((a) => ({ key: a.key, expression: a.valueExpression, program: compiler.compile(a.valueExpression, env) })),
    matchConditions: (spec.matchConditions ?? []).map((c) => ({ name: c.name, expression: c.expression, program: compiler.compile(c.expression, { ...env, variables: [], composition: false }) })),
    validations: (spec.validations ?? []).map((v) => ({
      expression: v.expression,
      program: compiler.compile(v.expression, env),
      message: v.message,
      messageExpression: v.messageExpression,
      messageProgram: v.messageExpression?.trim() ? compiler.compile(v.messageExpression, { ...env, authorizer: false }) : undefined,
      reason: v.reason,
    })),
  };
}

/** Compiled policies by `uid@resourceVersion`; entries of versions no longer listed are dropped. */
export class CompiledPolicyCache {
  private entries = new Map<string, CompiledPolicy>();

  constructor(private readonly compiler: PolicyCompiler) {}

  /** The compiled form of every policy in `policies` (compiling only new versions). */
  compileAll(policies: readonly ValidatingAdmissionPolicy[]): Map<string, CompiledPolicy> {
    const next = new Map<string, CompiledPolicy>();
    const byName = new Map<string, CompiledPolicy>();
    for (const policy of policies) {
      const key = `${policy.metadata.uid ?? policy.metadata.name}@${policy.metadata.resourceVersion ?? ''}`;
      const compiled = this.entries.get(key) ?? compilePolicy(policy, this.compiler);
      next.set(key, compiled);
      byName.set(policy.metadata.name ?? '', compiled);
    }
    this.entries = next;
    return byName;
  }
}
