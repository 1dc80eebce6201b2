/**
 * Container lifecycle hooks (upstream `handlerRunner`): postStart runs right after the
 * container starts (a failure kills the container), preStop runs before the stop signal within
 * the grace period. `sleep` handlers wait; exec/httpGet/tcpSocket use the prober. Failure
 * messages follow the kubelet's `FailedPostStartHook` / `FailedPreStopHook` events.
 */
import type { Container } from '../../pkg/api/core/v1/pod-container.ts';
import type { ContainerRuntime } from '../runtime/types.ts';
import { runProbe, type ProbeAction } from './prober.ts';

/** A lifecycle handler. */
export type HookAction = ProbeAction & { sleep?: { seconds: number } };

/** Runs the hook; resolves with an error message, or undefined on success. */
export async function runHook(action: HookAction, target: { runtime: ContainerRuntime; containerId: string; container: Container; podIP: string; timeoutSeconds: number }): Promise<string | undefined> {
  if (action.sleep) {
    await new Promise((r) => setTimeout(r, Math.min(action.sleep!.seconds, target.timeoutSeconds) * 1000));
    return undefined;
  }
  const outcome = await runProbe(action, target);
  if (outcome.success) return undefined;
  if (action.exec) return `Exec lifecycle hook (${JSON.stringify(action.exec.command ?? [])}) for Container "${target.container.name}" failed - error: command exited with non-zero status, message: ${JSON.stringify(outcome.output)}`;
  if (action.httpGet) return `HTTP lifecycle hook (${action.httpGet.path ?? '/'}) for Container "${target.container.name}" failed - error: ${outcome.output}`;
  return outcome.output;
}
