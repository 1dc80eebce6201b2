import { describe, expect, it } from 'vitest';
import { auditIdFor } from './audit-id.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('auditIdFor', () => {
  it("keeps a client's Audit-ID (the first of repeated headers)", () => {
    expect(auditIdFor('abc')).toBe('abc');
    expect(auditIdFor(['first', 'second'])).toBe('first');
  });

  it.each([undefined, '', 'x'.repeat(513), 'a\r\nb'])('replaces %j with a new UUID', (bad) => {
    expect(auditIdFor(bad)).toMatch(UUID);
  });

  it('generates a different ID per request', () => {
    expect(auditIdFor(undefined)).not.toBe(auditIdFor(undefined));
  });
});
