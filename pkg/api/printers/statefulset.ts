/** StatefulSet printer (upstream printStatefulSet): NAME, READY (ready/desired), AGE; wide CONTAINERS, IMAGES. */
import { ageColumn, col, nameColumn, templateColumns } from './columns.ts';
import { age, containersAndImages, get, num } from './format.ts';
import type { Printer } from './printer.ts';

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn,
    col('Ready', 'string', 0, 'Number of the pod with ready state'),
    ageColumn,
    ...templateColumns,
  ],
  row(set, now) {
    const [containers, images] = containersAndImages(get(set, 'spec', 'template', 'spec'));
    return [set.metadata.name ?? '', `${num(get(set, 'status', 'readyReplicas'))}/${num(get(set, 'spec', 'replicas'))}`, age(set, now), containers, images];
  },
};
