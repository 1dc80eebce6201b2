/** The framework runtime: builds a profile's plugins and runs its extension points. */
export { Framework, type FrameworkOptions, type NodePluginScores } from './framework.ts';
export { expandPlugins, type ExpandedPlugins } from './expand.ts';
export { WaitingPods } from './waiting-pods.ts';
