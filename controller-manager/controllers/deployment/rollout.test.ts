import { describe, expect, it } from 'vitest';
import type { Deployment } from '../../../pkg/api/apps/v1/deployment.ts';
import { pausedProgress } from './rollout.ts';

const deployment = (paused: boolean, reason?: string): Deployment =>
  ({ metadata: { name: 'web' }, spec: { paused }, status: reason ? { conditions: [{ type: 'Progressing', status: 'True', reason }] } : {} }) as Deployment;

describe('pausedProgress (upstream checkPausedConditions)', () => {
  it.each([
    [true, undefined, { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }],
    [true, 'NewReplicaSetAvailable', { status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused' }],
    [true, 'DeploymentPaused', undefined],
    [false, 'DeploymentPaused', { status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }],
    [false, 'ReplicaSetUpdated', undefined],
    [true, 'ProgressDeadlineExceeded', undefined],
  ])('paused %s with Progressing reason %s → %j', (paused, reason, expected) => {
    expect(pausedProgress(deployment(paused, reason))).toEqual(expected);
  });
});
