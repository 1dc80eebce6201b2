import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeMemory, parseMeminfo, parseMemoryStat, parseProcStatCpu, procNodeUsage } from './node-usage.ts';

const PROC_STAT = 'cpu  4481252 10 1579643 5339925 41538 7 73380 3 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nbtime 1796487957\n';
const MEMINFO = 'MemTotal:       24683748 kB\nMemFree:        20378156 kB\nMemAvailable:   22542756 kB\nBuffers:           1 kB\n';
const MEMORY_STAT = 'cache 10\nrss 20\ntotal_cache 2220552192\ntotal_rss 1642565632\ntotal_pgfault 816752289\ntotal_pgmajfault 69212\ntotal_inactive_file 1133535232\n';

describe('node usage parsers', () => {
  it('/proc/stat: busy ticks (user+nice+system+irq+softirq+steal) in core-nanoseconds', () => {
    expect(parseProcStatCpu(PROC_STAT)).toBe((4481252 + 10 + 1579643 + 7 + 73380 + 3) * 10_000_000);
    expect(parseProcStatCpu('intr 1 2\n')).toBeUndefined();
  });

  it('/proc/meminfo in bytes', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ totalBytes: 24683748 * 1024, availableBytes: 22542756 * 1024, freeBytes: 20378156 * 1024 });
  });

  it('memory.stat', () => {
    expect(parseMemoryStat(MEMORY_STAT)).toMatchObject({ total_rss: 1642565632, total_inactive_file: 1133535232, rss: 20 });
  });

  it.each([
    [
      'root cgroup readable: usage − total_inactive_file, rss and faults from memory.stat',
      { meminfo: parseMeminfo(MEMINFO), cgroup: { usageBytes: 3860996096, stat: parseMemoryStat(MEMORY_STAT) } },
      { usageBytes: 3860996096, workingSetBytes: 3860996096 - 1133535232, availableBytes: 24683748 * 1024 - (3860996096 - 1133535232), rssBytes: 1642565632, pageFaults: 816752289, majorPageFaults: 69212 },
    ],
    [
      'inactive file above usage: working set floors at 0',
      { meminfo: parseMeminfo(MEMINFO), cgroup: { usageBytes: 100, stat: { total_inactive_file: 500 } } },
      { usageBytes: 100, workingSetBytes: 0, availableBytes: 24683748 * 1024 },
    ],
    [
      'no cgroup: MemTotal − MemAvailable',
      { meminfo: parseMeminfo(MEMINFO) },
      { usageBytes: (24683748 - 20378156) * 1024, workingSetBytes: (24683748 - 22542756) * 1024, availableBytes: 22542756 * 1024 },
    ],
    ['nothing readable', { meminfo: {} }, undefined],
  ])('%s', (_name, files, expected) => {
    expect(nodeMemory(files)).toEqual(expected);
  });
});

describe('procNodeUsage', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-node-usage-'));
    await mkdir(join(dir, 'proc'));
    await mkdir(join(dir, 'memcg'));
    await writeFile(join(dir, 'proc', 'stat'), PROC_STAT);
    await writeFile(join(dir, 'proc', 'meminfo'), MEMINFO);
    await writeFile(join(dir, 'memcg', 'memory.usage_in_bytes'), '3860996096\n');
    await writeFile(join(dir, 'memcg', 'memory.stat'), MEMORY_STAT);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the files, stamped with the injected clock', async () => {
    const reading = await procNodeUsage({ now: () => 42_000, procDir: join(dir, 'proc'), memoryCgroupDir: join(dir, 'memcg') }).read();
    expect(reading.cpu).toEqual({ atMs: 42_000, usageCoreNanoSeconds: parseProcStatCpu(PROC_STAT) });
    expect(reading.memory).toMatchObject({ atMs: 42_000, workingSetBytes: 3860996096 - 1133535232, rssBytes: 1642565632 });
  });

  it('falls back to /proc/meminfo without a memory cgroup, and omits what it cannot read', async () => {
    const reading = await procNodeUsage({ now: () => 1, procDir: join(dir, 'proc'), memoryCgroupDir: join(dir, 'nope') }).read();
    expect(reading.memory).toEqual({ atMs: 1, usageBytes: (24683748 - 20378156) * 1024, workingSetBytes: (24683748 - 22542756) * 1024, availableBytes: 22542756 * 1024 });
    expect(await procNodeUsage({ now: () => 1, procDir: join(dir, 'nope'), memoryCgroupDir: join(dir, 'nope') }).read()).toEqual({});
  });

  it('reads this machine', async () => {
    const reading = await procNodeUsage({ now: Date.now }).read();
    expect(reading.cpu?.usageCoreNanoSeconds).toBeGreaterThan(0);
    expect(reading.memory?.workingSetBytes).toBeGreaterThan(0);
  });
});
