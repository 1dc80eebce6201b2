/** DefaultBinder: POST pods/{name}/binding. */
import { Status, type BindPlugin, type PluginFactory, type PodObject } from '../../framework/index.ts';
import { Names } from '../names.ts';

/** The Binding object the API server receives. */
export function bindingFor(pod: PodObject, nodeName: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name: pod.metadata?.name, namespace: pod.metadata?.namespace, uid: pod.metadata?.uid },
    target: { kind: 'Node', name: nodeName },
  };
}

export const defaultBinder: PluginFactory = (_args, handle): BindPlugin => ({
  name: Names.DefaultBinder,
  bind: async (_state, pod, nodeName) => {
    await handle.client.pods.subresource(pod.metadata!.name!, 'binding', {
      method: 'POST',
      namespace: pod.metadata?.namespace,
      body: bindingFor(pod, nodeName),
    });
    return Status.SUCCESS;
  },
});
