/** DaemonSet printer (upstream printDaemonSet): DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE; wide CONTAINERS IMAGES SELECTOR. */
import { ageColumn, col, nameColumn, templateColumns } from './columns.ts';
import { age, containersAndImages, formatLabels, formatLabelSelector, get, num } from './format.ts';
import type { Printer } from './printer.ts';

const DOCS = 'More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/';

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Desired', 'integer', 0, `The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). ${DOCS}`),
    col('Current', 'integer', 0, `The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. ${DOCS}`),
    col('Ready', 'integer', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    col('Up-to-date', 'integer', 0, 'The total number of nodes that are running updated daemon pod'),
    col('Available', 'integer', 0, 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    col('Node Selector', 'string', 0, 'NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node\'s labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/'),
    ageColumn,
    ...templateColumns,
    col('Selector', 'string', 1, 'A label query over pods that are managed by the daemon set. Must match in order to be controlled. If empty, defaulted to labels on Pod template. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors'),
  ],
  row(ds, now) {
    const status = (field: string) => num(get(ds, 'status', field));
    const podSpec = get(ds, 'spec', 'template', 'spec');
    const [containers, images] = containersAndImages(podSpec);
    return [
      ds.metadata.name ?? '',
      status('desiredNumberScheduled'),
      status('currentNumberScheduled'),
      status('numberReady'),
      status('updatedNumberScheduled'),
      status('numberAvailable'),
      formatLabels(get(podSpec, 'nodeSelector')),
      age(ds, now),
      containers,
      images,
      formatLabelSelector(get(ds, 'spec', 'selector')),
    ];
  },
};
