/**
 * Hints on a Service's slices (upstream TestAddHints, Test_getHintsByZone and
 * Test_redistributeHints cases, restated) plus the keep/rewrite rules for unchanged slices.
 */
import { describe, expect, it } from 'vitest';
import type { Endpoint } from '../../../pkg/api/discovery/v1/endpointslice.ts';
import { redistributeHints, sliceHintsByZone, topologyHints, type HintableSlice } from './topology-hints.ts';

/** An endpoint at `ip` in `zone`, ready unless said otherwise (`null`: no ready condition at all). */
const ep = (ip: string, zone?: string, opts: { ready?: boolean | null; hint?: string | string[] } = {}): Endpoint => ({
  addresses: [ip],
  ...(opts.ready === null ? {} : { conditions: { ready: opts.ready ?? true } }),
  ...(zone ? { zone } : {}),
  ...(opts.hint !== undefined ? { hints: { forZones: [opts.hint].flat().map((name) => ({ name })) } } : {}),
});
const changed = (...endpoints: Endpoint[]): HintableSlice => ({ endpoints, unchanged: false });
const unchanged = (...endpoints: Endpoint[]): HintableSlice => ({ endpoints, unchanged: true });
const ratios = (r: Record<string, number>) => new Map(Object.entries(r));
/** `ip → hinted zones` per slice: what the tables compare. */
const hintsOf = (slices: Endpoint[][]) => slices.map((s) => s.map((e) => [e.addresses[0], e.hints?.forZones?.map((z) => z.name)]));

describe('topology hints (upstream AddHints)', () => {
  it('refuses without slices or ratios', () => {
    expect(topologyHints([], undefined)).toEqual({ endpoints: [], hintsByZone: undefined, refusal: 'Insufficient Node information: allocatable CPU or zone not specified on one or more nodes' });
    const out = topologyHints([changed(ep('10.1.2.3', 'zone-a'))], undefined);
    expect(hintsOf(out.endpoints)).toEqual([[['10.1.2.3', undefined]]]);
    expect(out.hintsByZone).toBeUndefined();
  });

  it('refuses with 2 endpoints when the ratios span 3 zones', () => {
    const out = topologyHints([changed(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b'))], ratios({ 'zone-a': 0.3, 'zone-b': 0.4, 'zone-c': 0.3 }));
    expect(out.refusal).toBe('Insufficient number of endpoints (2 endpoints, 3 zones)');
    expect(hintsOf(out.endpoints)).toEqual([[['10.1.2.3', undefined], ['10.1.2.4', undefined]]]);
  });

  it('hints 2 endpoints in 2 zones for their own zone', () => {
    const out = topologyHints([changed(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b'))], ratios({ 'zone-a': 0.45, 'zone-b': 0.55 }));
    expect(hintsOf(out.endpoints)).toEqual([[['10.1.2.3', ['zone-a']], ['10.1.2.4', ['zone-b']]]]);
    expect(Object.fromEntries(out.hintsByZone ?? [])).toEqual({ 'zone-a': 1, 'zone-b': 1 });
  });

  it('counts and hints only ready endpoints (not-ready and unknown ones get none)', () => {
    const out = topologyHints([changed(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b'), ep('10.1.2.5', 'zone-b', { ready: false, hint: 'zone-b' }), ep('10.1.2.6', 'zone-b', { ready: null }))], ratios({ 'zone-a': 0.45, 'zone-b': 0.55 }));
    expect(hintsOf(out.endpoints)).toEqual([[['10.1.2.3', ['zone-a']], ['10.1.2.4', ['zone-b']], ['10.1.2.5', undefined], ['10.1.2.6', undefined]]]);
    expect(Object.fromEntries(out.hintsByZone ?? [])).toEqual({ 'zone-a': 1, 'zone-b': 1 });
  });

  it('hands the first endpoint of an over-served zone to the under-served one (3 zones)', () => {
    const slices = [
      changed(ep('10.1.2.3', 'zone-a'), ep('10.1.2.4', 'zone-b')),
      changed(ep('10.1.3.3', 'zone-c'), ep('10.1.3.4', 'zone-c'), ep('10.1.3.5', 'zone-a')),
      changed(ep('10.2.2.3', 'zone-a'), ep('10.2.2.4', 'zone-a')),
      changed(ep('10.2.3.3', 'zone-b'), ep('10.2.3.4', 'zone-c'), ep('10.2.3.5', 'zone-a')),
    ];
    const out = topologyHints(slices, ratios({ 'zone-a': 0.35, 'zone-b': 0.35, 'zone-c': 0.3 }));
    expect(hintsOf(out.endpoints)).toEqual([
      [['10.1.2.3', ['zone-b']], ['10.1.2.4', ['zone-b']]],
      [['10.1.3.3', ['zone-c']], ['10.1.3.4', ['zone-c']], ['10.1.3.5', ['zone-a']]],
      [['10.2.2.3', ['zone-a']], ['10.2.2.4', ['zone-a']]],
      [['10.2.3.3', ['zone-b']], ['10.2.3.4', ['zone-c']], ['10.2.3.5', ['zone-a']]],
    ]);
    expect(Object.fromEntries(out.hintsByZone ?? [])).toEqual({ 'zone-a': 4, 'zone-b': 3, 'zone-c': 3 });
  });

  it('removes every hint, stored ones too, when a ready endpoint has no zone', () => {
    const out = topologyHints([unchanged(ep('10.0.0.1', 'zone-a', { hint: 'zone-a' }), ep('10.0.0.2', 'zone-b', { hint: 'zone-b' })), changed(ep('10.0.0.3', 'zone-a'), ep('10.0.0.4'))], ratios({ 'zone-a': 0.5, 'zone-b': 0.5 }));
    expect(out.refusal).toBe('One or more endpoints do not have a zone specified');
    expect(hintsOf(out.endpoints)).toEqual([[['10.0.0.1', undefined], ['10.0.0.2', undefined]], [['10.0.0.3', undefined], ['10.0.0.4', undefined]]]);
  });

  it('keeps the hints of an unchanged slice that still fit, even one given away', () => {
    // 4 endpoints, 2 equal zones: each zone's maximum is 2. The stored slice gave a zone-a endpoint to zone-b.
    const stored = unchanged(ep('10.0.0.1', 'zone-a', { hint: 'zone-a' }), ep('10.0.0.2', 'zone-a', { hint: 'zone-b' }));
    const out = topologyHints([stored, changed(ep('10.0.0.3', 'zone-a'), ep('10.0.0.4', 'zone-b'))], ratios({ 'zone-a': 0.5, 'zone-b': 0.5 }));
    expect(hintsOf(out.endpoints)).toEqual([[['10.0.0.1', ['zone-a']], ['10.0.0.2', ['zone-b']]], [['10.0.0.3', ['zone-a']], ['10.0.0.4', ['zone-b']]]]);
  });

  it('rewrites an unchanged slice whose hints name a zone without allocation or lack hints', () => {
    const r = ratios({ 'zone-a': 0.5, 'zone-b': 0.5 });
    const gone = topologyHints([unchanged(ep('10.0.0.1', 'zone-a', { hint: 'zone-x' }), ep('10.0.0.2', 'zone-b', { hint: 'zone-b' }))], r);
    expect(hintsOf(gone.endpoints)).toEqual([[['10.0.0.1', ['zone-a']], ['10.0.0.2', ['zone-b']]]]);
    const none = topologyHints([unchanged(ep('10.0.0.1', 'zone-a'), ep('10.0.0.2', 'zone-b'))], r);
    expect(hintsOf(none.endpoints)).toEqual([[['10.0.0.1', ['zone-a']], ['10.0.0.2', ['zone-b']]]]);
  });
});

describe('hints of an unchanged slice (upstream getHintsByZone)', () => {
  const alloc = (max: Record<string, number>) => new Map(Object.entries(max).map(([z, maximum]) => [z, { maximum }]));
  it.each<[string, Endpoint[], Record<string, number>, Record<string, number>, Record<string, number> | undefined]>([
    ['no endpoints', [], {}, {}, {}],
    ['one zone hint', [ep('a', 'zone-a', { hint: 'zone-a' })], { 'zone-a': 1 }, { 'zone-a': 3 }, { 'zone-a': 1 }],
    ['not-ready and unknown endpoints ignored', [ep('a', 'zone-a', { hint: 'zone-a' }), ep('b', 'zone-a', { hint: 'zone-a', ready: false }), ep('c', 'zone-a', { hint: 'zone-a', ready: null })], { 'zone-a': 1 }, { 'zone-a': 3 }, { 'zone-a': 1 }],
    ['several zones', [ep('a', 'zone-a', { hint: 'zone-a' }), ep('b', 'zone-a', { hint: 'zone-b' }), ep('c', 'zone-b', { hint: 'zone-b' })], { 'zone-a': 1, 'zone-b': 1, 'zone-c': 1 }, { 'zone-a': 3, 'zone-b': 3, 'zone-c': 3 }, { 'zone-a': 1, 'zone-b': 2 }],
    ['a hint for a zone without allocation', [ep('a', 'zone-a', { hint: 'zone-non-existent' })], { 'zone-a': 1 }, { 'zone-a': 3 }, undefined],
    ['a ready endpoint without hints', [ep('a', 'zone-a')], {}, { 'zone-a': 3 }, undefined],
    ['a ready endpoint with empty hints', [ep('a', 'zone-a', { hint: [] })], {}, { 'zone-a': 3 }, undefined],
    ['hints past the maximum', [ep('a', 'zone-a', { hint: 'zone-a' }), ep('b', 'zone-a', { hint: 'zone-a' })], { 'zone-a': 1 }, { 'zone-a': 2 }, undefined],
  ])('%s', (_name, endpoints, allocated, maximums, expected) => {
    const got = sliceHintsByZone(endpoints, new Map(Object.entries(allocated)), alloc(maximums));
    expect(got && Object.fromEntries(got)).toEqual(expected);
  });
});

describe('redistribution (upstream redistributeHints)', () => {
  it.each<[string, Endpoint[], Record<string, number>, Record<string, number>, Record<string, number>]>([
    ['nothing', [], {}, {}, {}],
    ['a single endpoint', [ep('a', 'zone-a', { hint: 'zone-a' })], { 'zone-a': 1 }, { 'zone-b': 1 }, { 'zone-a': -1, 'zone-b': 1 }],
    ['one zone to two others', [ep('a', 'zone-a', { hint: 'zone-a' }), ep('b', 'zone-a', { hint: 'zone-a' }), ep('c', 'zone-a', { hint: 'zone-a' })], { 'zone-a': 2 }, { 'zone-b': 1, 'zone-c': 1 }, { 'zone-a': -2, 'zone-b': 1, 'zone-c': 1 }],
  ])('%s', (_name, endpoints, giving, receiving, expected) => {
    expect(Object.fromEntries(redistributeHints([endpoints], new Map(Object.entries(giving)), new Map(Object.entries(receiving))))).toEqual(expected);
  });

  it('re-hints the giving endpoints, skipping not-ready ones', () => {
    const endpoints = [ep('a', 'zone-a', { hint: 'zone-a', ready: false }), ep('b', 'zone-a', { hint: 'zone-a' }), ep('c', 'zone-a', { hint: 'zone-a' })];
    redistributeHints([endpoints], new Map([['zone-a', 1]]), new Map([['zone-b', 1]]));
    expect(hintsOf([endpoints])).toEqual([[['a', ['zone-a']], ['b', ['zone-b']], ['c', ['zone-a']]]]);
  });
});
