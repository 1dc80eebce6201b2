import { describe, expect, it } from 'vitest';
import { flowSchemaPrinter, priorityLevelConfigurationPrinter } from './flowcontrol.ts';

const now = new Date('2026-11-22T12:10:00Z');
const metadata = (name: string) => ({ name, creationTimestamp: '2026-11-22T12:00:00Z' });

describe('flowcontrol printers', () => {
  it('prints FlowSchemas as NAME PRIORITYLEVEL MATCHINGPRECEDENCE DISTINGUISHERMETHOD AGE MISSINGPL', () => {
    expect(flowSchemaPrinter.columns.map((c) => c.name)).toEqual(['Name', 'PriorityLevel', 'MatchingPrecedence', 'DistinguisherMethod', 'Age', 'MissingPL']);
    const found = { metadata: metadata('catch-all'), spec: { priorityLevelConfiguration: { name: 'catch-all' }, matchingPrecedence: 10000, distinguisherMethod: { type: 'ByUser' } }, status: { conditions: [{ type: 'Dangling', status: 'False' }] } };
    expect(flowSchemaPrinter.row(found, now)).toEqual(['catch-all', 'catch-all', 10000, 'ByUser', '10m', 'False']);
    const fresh = { metadata: metadata('exempt'), spec: { priorityLevelConfiguration: { name: 'exempt' }, matchingPrecedence: 1 } };
    expect(flowSchemaPrinter.row(fresh, now)).toEqual(['exempt', 'exempt', 1, '<none>', '10m', '?']);
  });

  it('prints PriorityLevelConfigurations as NAME TYPE NOMINALCONCURRENCYSHARES QUEUES HANDSIZE QUEUELENGTHLIMIT AGE', () => {
    expect(priorityLevelConfigurationPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Type', 'NominalConcurrencyShares', 'Queues', 'HandSize', 'QueueLengthLimit', 'Age']);
    const queued = { metadata: metadata('system'), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 30, limitResponse: { type: 'Queue', queuing: { queues: 64, handSize: 6, queueLengthLimit: 50 } } } } };
    expect(priorityLevelConfigurationPrinter.row(queued, now)).toEqual(['system', 'Limited', 30, 64, 6, 50, '10m']);
    const reject = { metadata: metadata('catch-all'), spec: { type: 'Limited', limited: { nominalConcurrencyShares: 5, limitResponse: { type: 'Reject' } } } };
    expect(priorityLevelConfigurationPrinter.row(reject, now)).toEqual(['catch-all', 'Limited', 5, '<none>', '<none>', '<none>', '10m']);
    const exempt = { metadata: metadata('exempt'), spec: { type: 'Exempt', exempt: { nominalConcurrencyShares: 0 } } };
    expect(priorityLevelConfigurationPrinter.row(exempt, now)).toEqual(['exempt', 'Exempt', '<none>', '<none>', '<none>', '<none>', '10m']);
  });
});
