/**
 * Test file order: the end-to-end journeys (`e2e/`, minutes each: clusters, containers, every
 * kubectl minor) start first, then everything else in vitest's own order (slowest or failed
 * first when it has timings from an earlier run, else largest first). A fresh clone has no
 * timings, and ordering by size alone left a minutes-long e2e file to start near the end, with
 * one worker idle while it ran.
 */
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Whether a test file is one of the long end-to-end journeys. Pure. */
export function isEndToEnd(moduleId: string, root: string): boolean {
  return moduleId.startsWith(`${root.replace(/\/$/, '')}/e2e/`);
}

export class EndToEndFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    return [...sorted.filter((f) => isEndToEnd(f.moduleId, root)), ...sorted.filter((f) => !isEndToEnd(f.moduleId, root))];
  }
}
