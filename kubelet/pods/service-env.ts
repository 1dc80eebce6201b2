/**
 * The Service environment variables the kubelet gives every container (upstream
 * `getServiceEnvVarMap` + `envvars.FromServices`): for the `kubernetes` Service in `default`
 * always, and for each Service of the pod's namespace unless `enableServiceLinks: false`,
 * `<NAME>_SERVICE_HOST`, `<NAME>_SERVICE_PORT` (first port), `<NAME>_SERVICE_PORT_<PORTNAME>`
 * and Docker's link variables (`<NAME>_PORT=tcp://ip:port`, `<NAME>_PORT_<port>_<PROTO>{,_PROTO,
 * _PORT,_ADDR}`). In-cluster clients (client-go's InClusterConfig, @kubernetes/client-node,
 * the Python client) find the API server through `KUBERNETES_SERVICE_HOST`/`_PORT`. Services
 * without a cluster IP (headless, ExternalName) give none. Pure.
 */
import { joinHostPort } from '../../pkg/net/host-port.ts';

/** What the variables are made of. */
export interface ServiceForEnv {
  metadata: { name?: string; namespace?: string };
  spec?: { clusterIP?: string; ports?: ReadonlyArray<{ name?: string; port: number; protocol?: string }> };
}

/** Upstream `makeEnvVariableName`. */
const envName = (name: string): string => name.replace(/-/g, '_').toUpperCase();

const hasClusterIp = (s: ServiceForEnv): boolean => !!s.spec?.clusterIP && s.spec.clusterIP !== 'None';

/** One Service's variables (upstream `FromServices` for one service). */
function variablesOf(service: ServiceForEnv, out: Record<string, string>): void {
  const ip = service.spec?.clusterIP as string;
  const ports = service.spec?.ports ?? [];
  const prefix = envName(service.metadata.name ?? '');
  out[`${prefix}_SERVICE_HOST`] = ip;
  if (ports.length === 0) return;
  out[`${prefix}_SERVICE_PORT`] = String(ports[0].port);
  for (const p of ports) if (p.name) out[`${prefix}_SERVICE_PORT_${envName(p.name)}`] = String(p.port);
  ports.forEach((p, i) => {
    const protocol = (p.protocol || 'TCP').toLowerCase();
    const url = `${protocol}://${joinHostPort(ip, p.port)}`;
    if (i === 0) out[`${prefix}_PORT`] = url;
    const portPrefix = `${prefix}_PORT_${p.port}_${protocol.toUpperCase()}`;
    out[portPrefix] = url;
    out[`${portPrefix}_PROTO`] = protocol;
    out[`${portPrefix}_PORT`] = String(p.port);
    out[`${portPrefix}_ADDR`] = ip;
  });
}

/** The Service variables of a pod in `namespace` (a namespace Service shadows a master Service of the same name). */
export function serviceEnvironment(services: readonly ServiceForEnv[], namespace: string, enableServiceLinks: boolean): Record<string, string> {
  const chosen = new Map<string, ServiceForEnv>();
  for (const s of services) if (hasClusterIp(s) && s.metadata.namespace === 'default' && s.metadata.name === 'kubernetes') chosen.set('kubernetes', s);
  if (enableServiceLinks) for (const s of services) if (hasClusterIp(s) && s.metadata.namespace === namespace) chosen.set(s.metadata.name ?? '', s);
  const out: Record<string, string> = {};
  for (const s of chosen.values()) variablesOf(s, out);
  return out;
}
