/**
 * core/v1 Container and its parts (ports, env, resources, probes, lifecycle, security
 * context), field names exactly as upstream. Shared by Pods and every pod template.
 */
import { z } from 'zod';
import { IntOrStringSchema, QuantitySchema } from '../../meta.ts';

const opt = <T extends z.ZodType>(t: T) => t.optional();
const str = () => z.string().optional();
const int = () => z.number().int().optional();
const bool = () => z.boolean().optional();
const strings = () => z.array(z.string()).optional();

export const ResourceListSchema = z.record(z.string(), QuantitySchema);

export const ContainerPortSchema = z.object({
  name: str(),
  hostPort: int(),
  containerPort: z.number().int().default(0),
  protocol: str(),
  hostIP: str(),
});

export const ObjectFieldSelectorSchema = z.object({ apiVersion: str(), fieldPath: z.string().default('') });
export const ResourceFieldSelectorSchema = z.object({ containerName: str(), resource: z.string().default(''), divisor: opt(QuantitySchema) });
const keySelectorShape = { name: str(), key: z.string().default(''), optional: bool() };
/** core/v1 ConfigMapKeySelector (same shape as SecretKeySelector; separate objects so each keeps its upstream name). */
export const ConfigMapKeySelectorSchema = z.object(keySelectorShape);
/** core/v1 SecretKeySelector (same shape as ConfigMapKeySelector). */
export const SecretKeySelectorSchema = z.object(keySelectorShape);
/** core/v1 FileKeySelector: an environment variable value read from a file of a volume. */
export const FileKeySelectorSchema = z.object({ volumeName: z.string().default(''), path: z.string().default(''), key: z.string().default(''), optional: bool() });

/** core/v1 EnvVarSource: where an environment variable's value comes from. */
export const EnvVarSourceSchema = z.object({
  fieldRef: opt(ObjectFieldSelectorSchema),
  resourceFieldRef: opt(ResourceFieldSelectorSchema),
  configMapKeyRef: opt(ConfigMapKeySelectorSchema),
  secretKeyRef: opt(SecretKeySelectorSchema),
  fileKeyRef: opt(FileKeySelectorSchema),
});

export const EnvVarSchema = z.object({
  name: z.string().default(''),
  value: str(),
  valueFrom: opt(EnvVarSourceSchema),
});

const envSourceShape = { name: str(), optional: bool() };
/** core/v1 ConfigMapEnvSource (same shape as SecretEnvSource; separate objects so each keeps its upstream name). */
export const ConfigMapEnvSourceSchema = z.object(envSourceShape);
/** core/v1 SecretEnvSource (same shape as ConfigMapEnvSource). */
export const SecretEnvSourceSchema = z.object(envSourceShape);
export const EnvFromSourceSchema = z.object({
  prefix: str(),
  configMapRef: opt(ConfigMapEnvSourceSchema),
  secretRef: opt(SecretEnvSourceSchema),
});

/** core/v1 ResourceClaim: a claim a container uses, by PodSpec.resourceClaims name. */
export const ResourceClaimSchema = z.object({ name: z.string().default(''), request: str() });
export const ResourceRequirementsSchema = z.object({
  limits: opt(ResourceListSchema),
  requests: opt(ResourceListSchema),
  claims: opt(z.array(ResourceClaimSchema)),
});

export const VolumeMountSchema = z.object({
  name: z.string().default(''),
  readOnly: bool(),
  recursiveReadOnly: str(),
  mountPath: z.string().default(''),
  subPath: str(),
  mountPropagation: str(),
  subPathExpr: str(),
});

export const ExecActionSchema = z.object({ command: strings() });
/** core/v1 HTTPHeader: one header of an HTTP probe request. */
export const HTTPHeaderSchema = z.object({ name: z.string().default(''), value: z.string().default('') });
export const HTTPGetActionSchema = z.object({
  path: str(),
  port: IntOrStringSchema.default(0),
  host: str(),
  scheme: str(),
  httpHeaders: opt(z.array(HTTPHeaderSchema)),
});
export const TCPSocketActionSchema = z.object({ port: IntOrStringSchema.default(0), host: str() });
export const GRPCActionSchema = z.object({ port: z.number().int().default(0), service: str() });

export const ProbeSchema = z.object({
  exec: opt(ExecActionSchema),
  httpGet: opt(HTTPGetActionSchema),
  tcpSocket: opt(TCPSocketActionSchema),
  grpc: opt(GRPCActionSchema),
  initialDelaySeconds: int(),
  timeoutSeconds: int(),
  periodSeconds: int(),
  successThreshold: int(),
  failureThreshold: int(),
  terminationGracePeriodSeconds: int(),
});
export type Probe = z.infer<typeof ProbeSchema>;

export const LifecycleHandlerSchema = z.object({
  exec: opt(ExecActionSchema),
  httpGet: opt(HTTPGetActionSchema),
  tcpSocket: opt(TCPSocketActionSchema),
  sleep: opt(z.object({ seconds: z.number().int().default(0) })),
});
export const LifecycleSchema = z.object({
  postStart: opt(LifecycleHandlerSchema),
  preStop: opt(LifecycleHandlerSchema),
  stopSignal: str(),
});

export const SELinuxOptionsSchema = z.object({ user: str(), role: str(), type: str(), level: str() });
export const WindowsSecurityContextOptionsSchema = z.object({
  gmsaCredentialSpecName: str(),
  gmsaCredentialSpec: str(),
  runAsUserName: str(),
  hostProcess: bool(),
});
export const SeccompProfileSchema = z.object({ type: z.string().default(''), localhostProfile: str() });
export const AppArmorProfileSchema = z.object({ type: z.string().default(''), localhostProfile: str() });

/** core/v1 Capabilities: POSIX capabilities added to or dropped from a container. */
export const CapabilitiesSchema = z.object({ add: strings(), drop: strings() });

export const SecurityContextSchema = z.object({
  capabilities: opt(CapabilitiesSchema),
  privileged: bool(),
  seLinuxOptions: opt(SELinuxOptionsSchema),
  windowsOptions: opt(WindowsSecurityContextOptionsSchema),
  runAsUser: int(),
  runAsGroup: int(),
  runAsNonRoot: bool(),
  readOnlyRootFilesystem: bool(),
  allowPrivilegeEscalation: bool(),
  procMount: str(),
  seccompProfile: opt(SeccompProfileSchema),
  appArmorProfile: opt(AppArmorProfileSchema),
});

export const ContainerSchema = z.object({
  name: str(),
  image: str(),
  command: strings(),
  args: strings(),
  workingDir: str(),
  ports: opt(z.array(ContainerPortSchema)),
  envFrom: opt(z.array(EnvFromSourceSchema)),
  env: opt(z.array(EnvVarSchema)),
  resources: opt(ResourceRequirementsSchema),
  resizePolicy: opt(z.array(z.object({ resourceName: z.string().default(''), restartPolicy: z.string().default('') }))),
  restartPolicy: str(),
  restartPolicyRules: opt(z.array(z.object({
    action: z.string().default(''),
    exitCodes: opt(z.object({ operator: z.string().default(''), values: opt(z.array(z.number().int())) })),
  }))),
  volumeMounts: opt(z.array(VolumeMountSchema)),
  volumeDevices: opt(z.array(z.object({ name: z.string().default(''), devicePath: z.string().default('') }))),
  livenessProbe: opt(ProbeSchema),
  readinessProbe: opt(ProbeSchema),
  startupProbe: opt(ProbeSchema),
  lifecycle: opt(LifecycleSchema),
  terminationMessagePath: str(),
  terminationMessagePolicy: str(),
  imagePullPolicy: str(),
  securityContext: opt(SecurityContextSchema),
  stdin: bool(),
  stdinOnce: bool(),
  tty: bool(),
});
export type Container = z.infer<typeof ContainerSchema>;

/** An ephemeral (debug) container: a Container plus `targetContainerName`. */
export const EphemeralContainerSchema = ContainerSchema.extend({ targetContainerName: str() });
export type EphemeralContainer = z.infer<typeof EphemeralContainerSchema>;

/** A sidecar: an init container with `restartPolicy: Always` (upstream `IsRestartableInitContainer`). */
export function isRestartableInitContainer(c: Pick<Container, 'restartPolicy'> | undefined): boolean {
  return c?.restartPolicy === 'Always';
}
