import { describe, expect, it } from 'vitest';
import { formatImageReference, parseImageReference } from './reference.ts';

describe('image references', () => {
  it.each([
    ['nginx', 'docker.io/library/nginx:latest'],
    ['nginx:1.15.8-alpine', 'docker.io/library/nginx:1.15.8-alpine'],
    ['redis:4-alpine3.8', 'docker.io/library/redis:4-alpine3.8'],
    ['jwilder/whoami', 'docker.io/jwilder/whoami:latest'],
    ['docker.io/hashicorp/http-echo', 'docker.io/hashicorp/http-echo:latest'],
    ['index.docker.io/library/busybox:1.36', 'docker.io/library/busybox:1.36'],
    ['k8s.gcr.io/busybox', 'k8s.gcr.io/busybox:latest'],
    ['registry.k8s.io/pause:3.9', 'registry.k8s.io/pause:3.9'],
    ['localhost/app', 'localhost/app:latest'],
    ['127.0.0.1:5000/library/nginx:latest', '127.0.0.1:5000/library/nginx:latest'],
    [`nginx@sha256:${'a'.repeat(64)}`, `docker.io/library/nginx@sha256:${'a'.repeat(64)}`],
    [`nginx:1.25@sha256:${'b'.repeat(64)}`, `docker.io/library/nginx:1.25@sha256:${'b'.repeat(64)}`],
  ])('%s → %s', (ref, want) => {
    expect(formatImageReference(parseImageReference(ref))).toBe(want);
  });

  it.each(['', 'Nginx', 'nginx:', 'a b', 'nginx@sha256:xyz', 'docker.io/UPPER/x'])('rejects %j', (ref) => {
    expect(() => parseImageReference(ref)).toThrow(/invalid image reference/);
  });
});
