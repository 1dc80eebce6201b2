/**
 * The cluster state file (`<dir>/state.json`): what `k8ts up` started, so `up` is idempotent
 * and `down` / `status` act on exactly those processes. zod-checked when read.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from '../../pkg/util/user-error.ts';

export const ClusterStateSchema = z.object({
  version: z.literal(1),
  server: z.string(),
  kubeconfig: z.string(),
  nodes: z.array(z.object({ name: z.string(), runtime: z.enum(['containerd', 'fake']), netns: z.string().optional(), ip: z.string().optional() })),
  components: z.array(z.object({ name: z.string(), pid: z.number().int(), logFile: z.string(), command: z.array(z.string()) })),
  /** Network objects `up` created on the host, removed by `down`. */
  network: z.object({ bridges: z.array(z.string()), netns: z.array(z.string()).default([]) }).default({ bridges: [], netns: [] }),
});
export type ClusterState = z.infer<typeof ClusterStateSchema>;

export function statePath(dir: string): string {
  return join(dir, 'state.json');
}

/** The recorded state, or undefined when there is none (a corrupt file is an error). */
export function readState(dir: string): ClusterState | undefined {
  const path = statePath(dir);
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new UserError(`${path} is not a k8ts state file: ${(err as Error).message}`, { cause: err });
  }
  const parsed = ClusterStateSchema.safeParse(json);
  if (!parsed.success) throw new UserError(`${path} is not a k8ts state file: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Writes the state whole or not at all (a temporary file renamed over it), so a crash mid-write leaves the last state readable. */
export function writeState(dir: string, state: ClusterState): void {
  const path = statePath(dir);
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}
