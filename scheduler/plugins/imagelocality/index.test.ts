import { describe, expect, it } from 'vitest';
import { imageLocalityScore, MAX_CONTAINER_THRESHOLD, MIN_THRESHOLD, normalizedImageName } from './index.ts';

describe('ImageLocality', () => {
  it.each([
    ['nginx', 'nginx:latest'],
    ['nginx:1.25', 'nginx:1.25'],
    ['registry:5000/app', 'registry:5000/app:latest'],
    ['registry:5000/app:v1', 'registry:5000/app:v1'],
    ['app@sha256:abc', 'app@sha256:abc'],
  ])('normalizes %s → %s', (name, out) => expect(normalizedImageName(name)).toBe(out));

  it.each([
    [0, 1, 0],
    [MIN_THRESHOLD, 1, 0],
    [MAX_CONTAINER_THRESHOLD, 1, 100],
    [5 * MAX_CONTAINER_THRESHOLD, 1, 100],
    [(MIN_THRESHOLD + MAX_CONTAINER_THRESHOLD) / 2, 1, 50],
    [MAX_CONTAINER_THRESHOLD, 2, 49],
  ])('score(sum=%i, containers=%i) = %i', (sum, n, score) => expect(imageLocalityScore(sum, n)).toBe(score));
});
