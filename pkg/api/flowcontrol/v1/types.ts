/**
 * flowcontrol.apiserver.k8s.io/v1 wire shapes (API Priority and Fairness): FlowSchema, which
 * classifies requests by subject and verb/resource into a priority level, and
 * PriorityLevelConfiguration, which says how much of the server's concurrency a level gets and
 * what happens to requests beyond it (queue or reject). Both are cluster-scoped with a status.
 */
import { z } from 'zod';
import { kubeObject } from '../../meta.ts';

/** The group of FlowSchema and PriorityLevelConfiguration. */
export const FLOWCONTROL_GROUP = 'flowcontrol.apiserver.k8s.io';
/** Upstream AutoUpdateAnnotationKey: "true" lets the API server keep a bootstrap object's spec current. */
export const AUTO_UPDATE_ANNOTATION = 'apf.kubernetes.io/autoupdate-spec';
/** Upstream FlowSchemaConditionDangling. */
export const CONDITION_DANGLING = 'Dangling';

const int = () => z.number().int();

const SubjectSchema = z.object({
  kind: z.string().default(''),
  user: z.object({ name: z.string().default('') }).optional(),
  group: z.object({ name: z.string().default('') }).optional(),
  serviceAccount: z.object({ namespace: z.string().default(''), name: z.string().default('') }).optional(),
});
export type Subject = z.infer<typeof SubjectSchema>;

const ResourcePolicyRuleSchema = z.object({
  verbs: z.array(z.string()).optional(),
  apiGroups: z.array(z.string()).optional(),
  resources: z.array(z.string()).optional(),
  clusterScope: z.boolean().optional(),
  namespaces: z.array(z.string()).optional(),
});
export type ResourcePolicyRule = z.infer<typeof ResourcePolicyRuleSchema>;

const NonResourcePolicyRuleSchema = z.object({
  verbs: z.array(z.string()).optional(),
  nonResourceURLs: z.array(z.string()).optional(),
});
export type NonResourcePolicyRule = z.infer<typeof NonResourcePolicyRuleSchema>;

const PolicyRulesWithSubjectsSchema = z.object({
  subjects: z.array(SubjectSchema).optional(),
  resourceRules: z.array(ResourcePolicyRuleSchema).optional(),
  nonResourceRules: z.array(NonResourcePolicyRuleSchema).optional(),
});
export type PolicyRulesWithSubjects = z.infer<typeof PolicyRulesWithSubjectsSchema>;

/** FlowSchemaCondition / PriorityLevelConfigurationCondition (no observedGeneration). */
const FlowControlConditionSchema = z.object({
  type: z.string().optional(),
  status: z.string().optional(),
  lastTransitionTime: z.string().optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type FlowControlCondition = z.infer<typeof FlowControlConditionSchema>;

const StatusSchema = z.object({ conditions: z.array(FlowControlConditionSchema).optional() });

export const FlowSchemaSchema = kubeObject({
  spec: z.object({
    priorityLevelConfiguration: z.object({ name: z.string().default('') }).prefault({}),
    matchingPrecedence: int().default(0),
    distinguisherMethod: z.object({ type: z.string().default('') }).optional(),
    rules: z.array(PolicyRulesWithSubjectsSchema).optional(),
  }).prefault({}),
  status: StatusSchema.optional(),
});
export type FlowSchema = z.infer<typeof FlowSchemaSchema>;
export type FlowSchemaSpec = FlowSchema['spec'];

const QueuingConfigurationSchema = z.object({
  queues: int().default(0),
  handSize: int().default(0),
  queueLengthLimit: int().default(0),
});
export type QueuingConfiguration = z.infer<typeof QueuingConfigurationSchema>;

const LimitedSchema = z.object({
  nominalConcurrencyShares: int().optional(),
  limitResponse: z.object({
    type: z.string().default(''),
    queuing: QueuingConfigurationSchema.optional(),
  }).prefault({}),
  lendablePercent: int().optional(),
  borrowingLimitPercent: int().optional(),
});
export type LimitedPriorityLevelConfiguration = z.infer<typeof LimitedSchema>;

const ExemptSchema = z.object({
  nominalConcurrencyShares: int().optional(),
  lendablePercent: int().optional(),
});
export type ExemptPriorityLevelConfiguration = z.infer<typeof ExemptSchema>;

export const PriorityLevelConfigurationSchema = kubeObject({
  spec: z.object({
    type: z.string().default(''),
    limited: LimitedSchema.optional(),
    exempt: ExemptSchema.optional(),
  }).prefault({}),
  status: StatusSchema.optional(),
});
export type PriorityLevelConfiguration = z.infer<typeof PriorityLevelConfigurationSchema>;
export type PriorityLevelConfigurationSpec = PriorityLevelConfiguration['spec'];
