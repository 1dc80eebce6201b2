/** Printer for node.k8s.io RuntimeClass (upstream printRuntimeClass: Name, Handler, Age). */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, str } from './format.ts';
import type { Printer } from './printer.ts';

const HANDLER_DOC = 'handler specifies the underlying runtime and configuration that the CRI implementation will use to handle pods of this class. The possible values are specific to the node & CRI configuration.  It is assumed that all handlers are available on every node, and handlers of the same name are equivalent on every node. For example, a handler called "runc" might specify that the runc OCI runtime (using native Linux containers) will be used to run the containers in a pod. The Handler must be lowercase, conform to the DNS Label (RFC 1123) requirements, and is immutable.';

export const runtimeClassPrinter: Printer = {
  columns: [nameColumn, col('Handler', 'string', 0, HANDLER_DOC), ageColumn],
  row(rc, now) {
    return [rc.metadata.name ?? '', str(rc.handler), age(rc, now)];
  },
};
