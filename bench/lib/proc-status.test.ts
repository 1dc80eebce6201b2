import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { parseMachineCpu, parseProcStatCpuSeconds, parseProcStatus, readMachineCpu, readProcCpuSeconds, readProcMemory, readProcTreeCpuSeconds } from './proc-status.ts';

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

describe('readProcTreeCpuSeconds', () => {
  it("adds a running child's CPU time to the process's own", async () => {
    // The child spins until it has used 300 ms of CPU (however busy the machine is), says so, then waits to be killed.
    const spin = 'while (process.cpuUsage().user < 300_000); console.log("spun"); setInterval(() => {}, 1000);';
    const child = spawn(process.execPath, ['-e', spin]);
    try {
      await new Promise((resolve, reject) => {
        child.stdout.on('data', resolve);
        child.on('exit', reject);
      });
      const own = readProcCpuSeconds(process.pid)!;
      const tree = readProcTreeCpuSeconds(process.pid)!;
      expect(tree - own).toBeGreaterThanOrEqual(0.2);
      expect(readProcTreeCpuSeconds(2 ** 30)).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe('parseMachineCpu', () => {
  it('adds the busy and the idle columns of the aggregate cpu line', () => {
    const stat = 'cpu  100 20 30 400 50 6 7 8 0 0\ncpu0 50 10 15 200 25 3 3 4 0 0\nintr 1\n';
    expect(parseMachineCpu(stat)).toEqual({ busySeconds: (100 + 20 + 30 + 6 + 7 + 8) / 100, idleSeconds: 4.5 });
  });

  it('reads this machine: busy and idle grow', () => {
    const before = readMachineCpu();
    const until = Date.now() + 30;
    while (Date.now() < until);
    const after = readMachineCpu();
    expect(after.busySeconds + after.idleSeconds).toBeGreaterThan(before.busySeconds + before.idleSeconds);
  });
});
