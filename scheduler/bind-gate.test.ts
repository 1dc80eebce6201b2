import { describe, expect, it } from 'vitest';
import { BindGate } from './bind-gate.ts';

describe('BindGate', () => {
  it('is open below its limit, waits at it, and opens as one bind leaves', async () => {
    const gate = new BindGate(2);
    await gate.whenOpen();
    gate.enter();
    await gate.whenOpen();
    gate.enter();
    let opened = false;
    const waiting = gate.whenOpen().then(() => (opened = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(opened).toBe(false);
    expect(gate.size).toBe(2);
    gate.leave();
    await waiting;
    expect(opened).toBe(true);
    expect(gate.size).toBe(1);
  });
  it('a waiter woken while the gate is full again keeps waiting', async () => {
    const gate = new BindGate(1);
    gate.enter();
    let opened = false;
    const waiting = gate.whenOpen().then(() => (opened = true));
    gate.leave();
    gate.enter(); // taken again before the waiter runs
    await new Promise((resolve) => setImmediate(resolve));
    expect(opened).toBe(false);
    gate.leave();
    await waiting;
    expect(opened).toBe(true);
  });
});
