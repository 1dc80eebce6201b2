import { describe, expect, it } from 'vitest';
import { priorityLevelConfigurationResource as resource } from './prioritylevelconfiguration.ts';
import { mandatoryPriorityLevels, suggestedPriorityLevels } from './bootstrap-objects.ts';
import type { PriorityLevelConfiguration } from './types.ts';

function decode(spec: Record<string, unknown>, name = 'pl'): PriorityLevelConfiguration {
  const pl = resource.schema.parse({ apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name }, spec });
  resource.applyDefaults(pl);
  return pl;
}

const errors = (pl: PriorityLevelConfiguration) => resource.validate(pl).map((e) => `${e.field}: ${e.detail}`);

describe('PriorityLevelConfiguration', () => {
  it('defaults a Limited level: 30 shares, lendablePercent 0, queuing 64/8/50', () => {
    const pl = decode({ type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: {} } } });
    expect(pl.spec).toEqual({ type: 'Limited', limited: { nominalConcurrencyShares: 30, lendablePercent: 0, limitResponse: { type: 'Queue', queuing: { queues: 64, handSize: 8, queueLengthLimit: 50 } } } });
    expect(errors(pl)).toEqual([]);
  });

  it('keeps explicit values, zero shares included (v1 allows a "jail" level)', () => {
    const pl = decode({ type: 'Limited', limited: { nominalConcurrencyShares: 0, lendablePercent: 40, limitResponse: { type: 'Reject' } } });
    expect(pl.spec.limited).toEqual({ nominalConcurrencyShares: 0, lendablePercent: 40, limitResponse: { type: 'Reject' } });
    expect(errors(pl)).toEqual([]);
  });

  it.each([
    [{ type: 'Exempt' }, 'pl', "spec.type: Invalid value: \"Exempt\": type must be 'Exempt' if and only if name is 'exempt'"],
    [{ type: 'Sometimes' }, 'pl', 'spec.type: Unsupported value: "Sometimes": supported values: "Exempt", "Limited"'],
    [{ type: 'Limited' }, 'pl', 'spec.limited: Required value: must not be empty when type is Limited'],
    [{ type: 'Limited', exempt: {}, limited: { limitResponse: { type: 'Reject' } } }, 'pl', 'spec.exempt: Forbidden: must be nil if the type is Limited'],
    [{ type: 'Limited', limited: { nominalConcurrencyShares: -1, limitResponse: { type: 'Reject' } } }, 'pl', 'spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer'],
    [{ type: 'Limited', limited: { lendablePercent: 101, limitResponse: { type: 'Reject' } } }, 'pl', 'spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive'],
    [{ type: 'Limited', limited: { borrowingLimitPercent: -5, limitResponse: { type: 'Reject' } } }, 'pl', 'spec.limited.borrowingLimitPercent: Invalid value: -5: if specified, must be a non-negative integer'],
    [{ type: 'Limited', limited: { limitResponse: { type: 'Drop' } } }, 'pl', 'spec.limited.limitResponse.type: Unsupported value: "Drop": supported values: "Queue", "Reject"'],
    [{ type: 'Limited', limited: { limitResponse: { type: 'Queue' } } }, 'pl', 'spec.limited.limitResponse.queuing: Required value: must not be empty if limited.limitResponse.type is Limited'],
    [{ type: 'Limited', limited: { limitResponse: { type: 'Reject', queuing: {} } } }, 'pl', 'spec.limited.limitResponse.queuing: Forbidden: must be nil if limited.limitResponse.type is not Limited'],
    [{ type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 4, handSize: 5 } } } }, 'pl', 'spec.limited.limitResponse.queuing.handSize: Invalid value: 5: should not be greater than queues (4)'],
    [{ type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 10000000, handSize: 8, queueLengthLimit: -1 } } } }, 'pl', 'spec.limited.limitResponse.queuing.queueLengthLimit: Invalid value: -1: must be positive'],
    [{ type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 20000000 } } } }, 'pl', 'spec.limited.limitResponse.queuing.queues: Invalid value: 20000000: must not be greater than 10000000'],
    [{ type: 'Limited', limited: { limitResponse: { type: 'Queue', queuing: { queues: 1000, handSize: 10 } } } }, 'pl', 'spec.limited.limitResponse.queuing.handSize: Invalid value: 10: required entropy bits of deckSize 1000 and handSize 10 should not be greater than 60'],
    [{ type: 'Exempt', exempt: { lendablePercent: 200 } }, 'exempt', 'spec.exempt.lendablePercent: Invalid value: 200: must be between 0 and 100, inclusive'],
  ])('refuses %j named %s', (spec, name, message) => {
    expect(errors(decode(spec, name))).toContain(message);
  });

  it('accepts the bootstrap levels and keeps the mandatory ones fixed (exempt only in spec.exempt)', () => {
    for (const pl of [...mandatoryPriorityLevels(), ...suggestedPriorityLevels()]) expect(errors(decode(pl.spec, pl.metadata.name)), pl.metadata.name).toEqual([]);
    expect(errors(decode({ type: 'Exempt', exempt: { nominalConcurrencyShares: 10, lendablePercent: 20 } }, 'exempt'))).toEqual([]);
    const catchAll = errors(decode({ type: 'Limited', limited: { nominalConcurrencyShares: 50, limitResponse: { type: 'Reject' } } }, 'catch-all'));
    expect(catchAll).toHaveLength(1);
    expect(catchAll[0]).toMatch(/^spec: Invalid value: .*: spec of 'catch-all' must equal the fixed value$/);
  });
});
