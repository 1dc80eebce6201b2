/** Upstream's create warnings for names that are not DNS labels but end up in pod hostnames. */
import { isDNS1123Label } from './names.ts';

function dnsLabelWarning(name: string | undefined, usedIn: string): string[] {
  const msgs = isDNS1123Label(name ?? '');
  return msgs.length ? [`metadata.name: this is used in ${usedIn}, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
}

/** Controllers whose names become pod names and hostnames (Deployment, ReplicaSet, DaemonSet, ReplicationController, Job, CronJob). Pure. */
export function podNameWarnings(name: string | undefined): string[] {
  return dnsLabelWarning(name, 'Pod names and hostnames');
}

/** A Pod's own name (upstream podStrategy.WarningsOnCreate). Pure. */
export function podHostnameWarnings(name: string | undefined): string[] {
  return dnsLabelWarning(name, "the Pod's hostname");
}
