/** Printers for Node, Namespace, Event (core and events.k8s.io), ConfigMap, Secret, ServiceAccount, Lease, PriorityClass. */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, get, isObject, num, since, str } from './format.ts';
import type { Printer } from './printer.ts';
import { toCoreEvent, type EventsV1Event } from '../events/v1/event.ts';

function nodeStatus(node: Record<string, unknown>): string {
  const ready = arr(get(node, 'status', 'conditions')).find((c) => c.type === 'Ready');
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (get(node, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(labels: unknown): string {
  const roles = new Set<string>();
  if (isObject(labels)) {
    for (const [k, v] of Object.entries(labels)) {
      if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
      else if (k === 'kubernetes.io/role' && typeof v === 'string' && v) roles.add(v);
    }
  }
  return roles.size ? [...roles].sort().join(',') : '<none>';
}

function address(node: Record<string, unknown>, type: string): string {
  return str(arr(get(node, 'status', 'addresses')).find((a) => a.type === type)?.address) || '<none>';
}

export const nodePrinter: Printer = {
  columns: [
    nameColumn,
    col('Status', 'string', 0, 'The status of the node'),
    col('Roles', 'string', 0, 'The roles of the node'),
    ageColumn,
    col('Version', 'string', 0, 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 1, 'List of addresses reachable to the node.'),
    col('External-IP', 'string', 1, 'List of addresses reachable to the node.'),
    col('OS-Image', 'string', 1, 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).'),
    col('Kernel-Version', 'string', 1, "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
    col('Container-Runtime', 'string', 1, 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).'),
  ],
  row(node, now) {
    const info = get(node, 'status', 'nodeInfo');
    return [
      node.metadata.name ?? '',
      nodeStatus(node),
      nodeRoles(node.metadata.labels),
      age(node, now),
      str(get(info, 'kubeletVersion')),
      address(node, 'InternalIP'),
      address(node, 'ExternalIP'),
      str(get(info, 'osImage')) || '<unknown>',
      str(get(info, 'kernelVersion')) || '<unknown>',
      str(get(info, 'containerRuntimeVersion')) || '<unknown>',
    ];
  },
};

export const namespacePrinter: Printer = {
  columns: [nameColumn, col('Status', 'string', 0, 'The status of the namespace'), ageColumn],
  row(ns, now) {
    return [ns.metadata.name ?? '', str(get(ns, 'status', 'phase')), age(ns, now)];
  },
};

export const eventPrinter: Printer = {
  columns: [
    col('Last Seen', 'string', 0, 'The last time the event was seen'),
    col('Type', 'string', 0, 'Type of this event (Normal, Warning), new types could be added in the future.'),
    col('Reason', 'string', 0, 'This should be a short, machine understandable string that gives the reason for the transition into the object\'s current status.'),
    col('Object', 'string', 0, 'The object that this event is about.'),
    col('Subobject', 'string', 1, 'The subobject that this event is about.'),
    col('Source', 'string', 1, 'The component reporting this event.'),
    col('Message', 'string', 0, 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 1, 'The first time the event was seen'),
    col('Count', 'string', 1, 'The number of times this event has occurred.'),
    col('Name', 'string', 1, 'The name of the event'),
  ],
  row(ev, now) {
    const first = str(ev.firstTimestamp) || str(ev.eventTime) || str(ev.metadata.creationTimestamp);
    const last = str(ev.lastTimestamp) || str(get(ev, 'series', 'lastObservedTime')) || first;
    const count = num(ev.count) || num(get(ev, 'series', 'count')) || 1;
    const lastSeen = count > 1 ? `${since(last, now)} (x${count} over ${since(first, now)})` : since(last, now);
    const involved = get(ev, 'involvedObject');
    const source = str(get(ev, 'source', 'component')) || str(ev.reportingComponent);
    const host = str(get(ev, 'source', 'host')) || str(ev.reportingInstance);
    return [
      lastSeen,
      str(ev.type),
      str(ev.reason),
      `${str(get(involved, 'kind')).toLowerCase()}/${str(get(involved, 'name'))}`,
      str(get(involved, 'fieldPath')),
      host ? `${source}, ${host}` : source,
      str(ev.message).trim(),
      since(first, now),
      String(count),
      ev.metadata.name ?? '',
    ];
  },
};

/** events.k8s.io/v1 Events print as core ones (upstream prints both from the same internal object). */
export const eventsV1EventPrinter: Printer = { columns: eventPrinter.columns, row: (ev, now) => eventPrinter.row(toCoreEvent(ev as EventsV1Event), now) };

const count = (v: unknown) => (isObject(v) ? Object.keys(v).length : 0);

export const configMapPrinter: Printer = {
  columns: [nameColumn, col('Data', 'integer', 0, 'Data contains the configuration data.'), ageColumn],
  row(cm, now) {
    return [cm.metadata.name ?? '', count(cm.data) + count(cm.binaryData), age(cm, now)];
  },
};

export const secretPrinter: Printer = {
  columns: [nameColumn, col('Type', 'string', 0, 'The type of the secret'), col('Data', 'integer', 0, 'The number of entries in the secret'), ageColumn],
  row(s, now) {
    return [s.metadata.name ?? '', str(s.type), count(s.data), age(s, now)];
  },
};

export const serviceAccountPrinter: Printer = {
  columns: [nameColumn, col('Secrets', 'integer', 0, 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), ageColumn],
  row(sa, now) {
    return [sa.metadata.name ?? '', arr(sa.secrets).length, age(sa, now)];
  },
};

export const leasePrinter: Printer = {
  columns: [nameColumn, col('Holder', 'string', 0, 'The holder of the lease'), ageColumn],
  row(lease, now) {
    return [lease.metadata.name ?? '', str(get(lease, 'spec', 'holderIdentity')), age(lease, now)];
  },
};

export const priorityClassPrinter: Printer = {
  columns: [nameColumn, col('Value', 'integer', 0, 'The value of this priority class.'), col('Global-Default', 'boolean', 0, 'globalDefault specifies whether this PriorityClass should be considered as the default priority.'), ageColumn, col('PreemptionPolicy', 'string', 0, 'The policy for preempting pods with lower priority.')],
  row(pc, now) {
    return [pc.metadata.name ?? '', num(pc.value), pc.globalDefault === true, age(pc, now), str(pc.preemptionPolicy)];
  },
};
