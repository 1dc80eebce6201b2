/** Upstream's create warning for controllers whose names become pod names and hostnames (Job, CronJob, ReplicationController). */
import { isDNS1123Label } from './names.ts';

/** `metadata.name: … a DNS label is recommended: [<problems>]` when `name` is not a DNS label. Pure. */
export function podNameWarnings(name: string | undefined): string[] {
  const msgs = isDNS1123Label(name ?? '');
  return msgs.length ? [`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
}
