/** Column definitions as upstream's printers declare them (name, type, format, priority). */

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** Shorthand: `col('Ready', 'string', 0)`; the Name column carries format `name`. */
export function col(name: string, type = 'string', priority = 0, description = ''): ColumnDefinition {
  return { name, type, format: name === 'Name' ? 'name' : '', description, priority };
}

export const nameColumn = col('Name', 'string', 0, 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names');
export const ageColumn = col('Age', 'string', 0, 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.');
/** The wide CONTAINERS and IMAGES columns of the workload kinds (their pod template's containers). */
export const templateColumns = [
  col('Containers', 'string', 1, 'Names of each container in the template.'),
  col('Images', 'string', 1, 'Images referenced by each container in the template.'),
];
