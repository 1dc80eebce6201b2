import { describe, expect, it } from 'vitest';
import { nodeMetricsPrinter, podMetricsPrinter, sumQuantities } from './metrics.ts';

const now = new Date('2026-12-06T08:00:00Z');

describe('metrics printers (metrics-server Table columns)', () => {
  it.each([
    [['1234567n', '2m'], '3234567n'],
    [['12Mi', '3Mi'], '15Mi'],
    [['12Mi', '1000'], '12583912'],
    [['250m', '750m'], '1'],
    [[], '0'],
    [[undefined, '5m'], '5m'],
  ])('sums %j as %s (the first term\'s format)', (values, total) => expect(sumQuantities(values)).toBe(total));

  it('prints a node: name, cpu, memory, window', () => {
    expect(nodeMetricsPrinter.columns.map((c) => [c.name, c.format])).toEqual([['Name', 'name'], ['cpu', 'quantity'], ['memory', 'quantity'], ['Window', 'duration']]);
    expect(nodeMetricsPrinter.row({ metadata: { name: 'n1' }, usage: { cpu: '250m', memory: '1536Mi' }, window: '10s' }, now)).toEqual(['n1', '250m', '1536Mi', '10s']);
  });

  it('prints a pod with its containers summed, and survives a malformed object', () => {
    const pod = { metadata: { name: 'web' }, window: '10s', containers: [{ name: 'a', usage: { cpu: '1m', memory: '1Mi' } }, { name: 'b', usage: { cpu: '2m', memory: '3Mi' } }] };
    expect(podMetricsPrinter.row(pod, now)).toEqual(['web', '3m', '4Mi', '10s']);
    expect(podMetricsPrinter.row({ metadata: {}, containers: 'x' }, now)).toEqual(['', '0', '0', '']);
  });
});
