import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../pkg/util/user-error.ts';
import { readState, statePath, writeState, type ClusterState } from './state.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'k8ts-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const state: ClusterState = { version: 1, server: 'https://127.0.0.1:6443', kubeconfig: '/k/admin.kubeconfig', nodes: [], components: [{ name: 'etcd', pid: 42, logFile: '/k/logs/etcd.log', command: ['etcd'] }], network: { bridges: [], netns: [] } };

describe('the cluster state file', () => {
  it('reads back what was written, leaving no temporary file', () => {
    writeState(dir, state);
    expect(readState(dir)).toEqual(state);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  it('is absent: undefined', () => {
    expect(readState(dir)).toBeUndefined();
    expect(existsSync(statePath(dir))).toBe(false);
  });

  it.each([
    ['{"components": "nope"', /state\.json is not a k8ts state file: .*JSON/],
    ['{"components": "nope"}', /state\.json is not a k8ts state file: version: .*components: /],
  ])('a corrupt file (%s) is a UserError naming the file', (text, message) => {
    writeFileSync(statePath(dir), text);
    expect(() => readState(dir)).toThrow(UserError);
    expect(() => readState(dir)).toThrow(message);
  });
});
