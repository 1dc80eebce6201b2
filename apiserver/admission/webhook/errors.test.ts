import { describe, expect, it } from 'vitest';
import { deniedByWebhook, dryRunUnsupported, failedClosed, WebhookCallError } from './errors.ts';
import { verifyAdmissionResponse } from './review.ts';

describe('deniedByWebhook', () => {
  it.each<[string, Parameters<typeof deniedByWebhook>[1], number, string, string]>([
    ['message and code', { code: 403, reason: 'Forbidden', message: 'no' }, 403, 'Forbidden', 'admission webhook "w.example.com" denied the request: no'],
    ['code below 400 becomes 400', { code: 200, message: 'no' }, 400, '', 'admission webhook "w.example.com" denied the request: no'],
    ['reason only', { reason: 'NotAllowed' }, 400, 'NotAllowed', 'admission webhook "w.example.com" denied the request: NotAllowed'],
    ['no status', undefined, 400, '', 'admission webhook "w.example.com" denied the request without explanation'],
  ])('%s', (_n, status, code, reason, message) => {
    const err = deniedByWebhook('w.example.com', status);
    expect({ code: err.code, reason: err.reason, message: err.message }).toEqual({ code, reason, message });
  });

  it('call failures and dry run', () => {
    expect(failedClosed(new WebhookCallError('w.example.com', 'failed to call webhook: boom')).toStatus()).toMatchObject({
      code: 500,
      reason: 'InternalError',
      message: 'Internal error occurred: failed calling webhook "w.example.com": failed to call webhook: boom',
    });
    expect(dryRunUnsupported('w.example.com').toStatus()).toMatchObject({ code: 400, reason: 'BadRequest', message: 'admission webhook "w.example.com" does not support dry run' });
  });
});

describe('verifyAdmissionResponse', () => {
  const review = (response: unknown, over: Record<string, unknown> = {}) => ({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response, ...over });
  it.each<[string, unknown, boolean, string | undefined]>([
    ['allowed', review({ uid: 'u', allowed: true }), true, undefined],
    ['absent', review(undefined), true, 'webhook response was absent'],
    ['wrong uid', review({ uid: 'x', allowed: true }), true, 'expected response.uid="u", got "x"'],
    ['wrong version', review({ uid: 'u', allowed: true }, { apiVersion: 'admission.k8s.io/v1beta1' }), true, 'expected webhook response of admission.k8s.io/v1, Kind=AdmissionReview, got admission.k8s.io/v1beta1, Kind=AdmissionReview'],
    ['patch without type', review({ uid: 'u', allowed: true, patch: 'W10=' }), true, 'webhook returned response.patch but not response.patchType'],
    ['type without patch', review({ uid: 'u', allowed: true, patchType: 'JSONPatch' }), true, 'webhook returned response.patchType but not response.patch'],
    ['validating with patch', review({ uid: 'u', allowed: true, patch: 'W10=', patchType: 'JSONPatch' }), false, 'validating webhooks may not return patches'],
  ])('%s', (_n, body, mutating, error) => {
    const got = verifyAdmissionResponse('u', mutating, body);
    expect(got.ok ? undefined : got.error).toBe(error);
  });
});
