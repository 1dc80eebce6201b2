import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { kubeletStreamPath } from './pod-connect.ts';

const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Running' } } as KubeObject & { spec: { containers: Array<{ name: string }> } };
const failure = (kind: string, query: string) => {
  try {
    kubeletStreamPath(kind, pod, new URLSearchParams(query));
  } catch (err) {
    return (err as Error).message;
  }
  return undefined;
};

describe('kubeletStreamPath', () => {
  it('takes the stream flags as upstream decodes booleans: stdout=True (Python) streams, stdin=False does not', () => {
    expect(kubeletStreamPath('exec', pod, new URLSearchParams('command=ls&stdin=False&stdout=True&stderr=True&tty=False'))).toBe('/exec/default/web/c?command=ls&stdin=False&stdout=True&stderr=True&tty=False');
    expect(failure('exec', 'command=ls&stdin=False&stdout=0&stderr=false')).toBe('you must specify at least one of stdin, stdout, stderr');
  });

  it('exec needs a command; port-forward needs none', () => {
    expect(failure('exec', 'stdout=true')).toBe('you must specify at least one command for the container');
    expect(kubeletStreamPath('portforward', pod, new URLSearchParams('ports=80'))).toBe('/portForward/default/web?ports=80');
  });
});
