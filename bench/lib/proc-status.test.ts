import { describe, expect, it } from 'vitest';
import { parseProcStatCpuSeconds, parseProcStatus, readProcCpuSeconds, readProcMemory } from './proc-status.ts';

describe('parseProcStatus', () => {
  it('reads VmHWM and VmRSS in bytes', () => {
    expect(parseProcStatus('Name:\tnode\nVmPeak:\t  900 kB\nVmHWM:\t  2048 kB\nVmRSS:\t  1024 kB\n')).toEqual({ peakRssBytes: 2048 * 1024, rssBytes: 1024 * 1024 });
  });
  it('gives 0 for missing fields', () => expect(parseProcStatus('Name:\tkthreadd\n')).toEqual({ peakRssBytes: 0, rssBytes: 0 }));
});

describe('parseProcStatCpuSeconds', () => {
  it('adds utime and stime after a command name with spaces', () => {
    const stat = '123 (node (worker) x) S 1 123 123 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 11 0 1000 0 0';
    expect(parseProcStatCpuSeconds(stat)).toBe(3);
  });
});

describe('this process', () => {
  it('has a peak RSS and some CPU time', () => {
    expect(readProcMemory(process.pid)?.peakRssBytes).toBeGreaterThan(1024 * 1024);
    expect(readProcCpuSeconds(process.pid)).toBeGreaterThan(0);
    expect(readProcMemory(2 ** 22 + 12345)).toBeUndefined();
  });
});
