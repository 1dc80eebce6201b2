import { describe, expect, it } from 'vitest';
import { isEndToEnd } from './vitest.sequencer.ts';

describe('isEndToEnd', () => {
  it('picks the files under the root e2e/ folder only', () => {
    expect(isEndToEnd('/work/k8ts/e2e/journeys.test.ts', '/work/k8ts')).toBe(true);
    expect(isEndToEnd('/work/k8ts/e2e/harness/kubectl.test.ts', '/work/k8ts/')).toBe(true);
    expect(isEndToEnd('/work/k8ts/apiserver/e2e/x.test.ts', '/work/k8ts')).toBe(false);
    expect(isEndToEnd('/work/k8ts/pkg/util/duration.test.ts', '/work/k8ts')).toBe(false);
  });
});
