import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../pkg/api/meta.ts';
import { acceptConvertedObject, conversionReviewRequest, convertedObjectsOf } from './conversion-review.ts';
import { webhookObjectConverter } from './conversion-webhook.ts';

const v1 = (name: string, extra: Record<string, unknown> = {}): KubeObject => ({ apiVersion: 'conversion.example.com/v1', kind: 'Tunnel', metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', labels: { app: 'a' } }, spec: { hostPort: 'db:5432' }, ...extra });
const asV2 = (o: KubeObject, extra: Record<string, unknown> = {}) => ({ ...o, apiVersion: 'conversion.example.com/v2', spec: { host: 'db', port: '5432' }, ...extra });

describe('conversionReviewRequest', () => {
  it('uses the first review version this server speaks', () => {
    expect(conversionReviewRequest(['v2', 'v1beta1', 'v1'], [v1('a')], 'conversion.example.com/v2', 'u1')).toEqual({
      reviewVersion: 'v1beta1',
      body: { kind: 'ConversionReview', apiVersion: 'apiextensions.k8s.io/v1beta1', request: { uid: 'u1', desiredAPIVersion: 'conversion.example.com/v2', objects: [v1('a')] } },
    });
    expect(conversionReviewRequest(['v3'], [], 'x/v1', 'u')).toBeUndefined();
  });
});

describe('convertedObjectsOf', () => {
  const ok = (response: Record<string, unknown>, top: Record<string, unknown> = { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' }) => ({ ...top, response });
  it('returns the objects of a successful v1 response for this uid', () => {
    expect(convertedObjectsOf('v1', 'u1', ok({ uid: 'u1', result: { status: 'Success' }, convertedObjects: [1] }))).toEqual({ ok: true, objects: [1] });
  });
  it('refuses a v1 response of another kind or uid, without a response, or not a success (upstream texts)', () => {
    expect(convertedObjectsOf('v1', 'u1', ok({ uid: 'u1' }, { apiVersion: 'apiextensions.k8s.io/v1beta1', kind: 'ConversionReview' }))).toEqual({ ok: false, error: 'expected webhook response of apiextensions.k8s.io/v1, Kind=ConversionReview, got apiextensions.k8s.io/v1beta1, Kind=ConversionReview' });
    expect(convertedObjectsOf('v1', 'u1', ok({ uid: 'u2', result: { status: 'Success' } }))).toEqual({ ok: false, error: 'expected response.uid="u1", got "u2"' });
    expect(convertedObjectsOf('v1', 'u1', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview' })).toEqual({ ok: false, error: 'no response provided' });
    expect(convertedObjectsOf('v1', 'u1', ok({ uid: 'u1', result: { status: 'Failure', message: 'cannot convert hostPort "x"' } }))).toEqual({ ok: false, error: 'cannot convert hostPort "x"' });
    expect(convertedObjectsOf('v1', 'u1', ok({ uid: 'u1', result: {} }))).toEqual({ ok: false, error: "response.result.status was '', not 'Success'" });
  });
  it('does not check kind and uid of a v1beta1 response', () => {
    expect(convertedObjectsOf('v1beta1', 'u1', { response: { uid: 'other', result: { status: 'Success' }, convertedObjects: [] } })).toEqual({ ok: true, objects: [] });
  });
});

describe('acceptConvertedObject', () => {
  const want = 'conversion.example.com/v2';
  it('keeps the original metadata but the webhook labels and annotations', () => {
    const converted = asV2(v1('a'), { metadata: { name: 'a', namespace: 'default', uid: 'uid-a', resourceVersion: '99', labels: { app: 'a', converted: 'yes' } } });
    expect(acceptConvertedObject(v1('a'), converted, want)).toEqual({ ok: true, object: { ...asV2(v1('a')), metadata: { name: 'a', namespace: 'default', uid: 'uid-a', resourceVersion: '7', labels: { app: 'a', converted: 'yes' } } } });
  });
  it('refuses another apiVersion, kind, name, namespace or uid, missing metadata and invalid labels', () => {
    const check = (converted: unknown) => {
      const r = acceptConvertedObject(v1('a'), converted, want);
      return r.ok ? 'ok' : `${r.stage}: ${r.error}`;
    };
    expect(check(v1('a'))).toBe('object: invalid groupVersion (expected conversion.example.com/v2, received conversion.example.com/v1)');
    expect(check(asV2(v1('a'), { kind: 'Bridge' }))).toBe('object: invalid kind (expected Tunnel, received Bridge)');
    expect(check(asV2(v1('b')))).toBe('identity: must have the same name: a != b');
    expect(check(asV2(v1('a'), { metadata: { name: 'a', namespace: 'other', uid: 'uid-a' } }))).toBe('identity: must have the same namespace: default != other');
    expect(check(asV2(v1('a'), { metadata: { name: 'a', namespace: 'default', uid: 'x' } }))).toBe('identity: must have the same UID: uid-a != x');
    expect(check(asV2(v1('a'), { metadata: { name: 'a', namespace: 'default', uid: 'uid-a', labels: { app: 'a b' } } }))).toMatch(/^metadata: metadata\.labels\[app\]: Invalid value: "a b": a valid label must be/);
    expect(check(asV2(v1('a'), { metadata: { name: 'a', namespace: 'default', uid: 'uid-a', labels: { n: 1 } } }))).toBe('metadata: metadata.labels[n] must be a string, but is number in converted object');
    expect(check(null)).toBe('object: invalid type, expected=Unstructured, got=nil');
  });
});

describe('webhookObjectConverter', () => {
  const want = 'conversion.example.com/v2';
  const reviews: any[] = [];
  const converter = (answer: (objects: KubeObject[]) => unknown[]) =>
    webhookObjectConverter({ clientConfig: { url: 'https://hook' }, conversionReviewVersions: ['v1'] }, async (_cc, body: any) => {
      reviews.push(body);
      return { apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response: { uid: body.request.uid, result: { status: 'Success' }, convertedObjects: answer(body.request.objects) } };
    });

  it('sends only the objects not yet at the version, in one review, and keeps the order', async () => {
    reviews.length = 0;
    const already = asV2(v1('b')) as KubeObject;
    const out = await converter((objects) => objects.map((o) => asV2(o)))([v1('a'), already, v1('c')], want, true);
    expect(out.map((o) => `${o.metadata.name}@${o.apiVersion}`)).toEqual(['a@conversion.example.com/v2', 'b@conversion.example.com/v2', 'c@conversion.example.com/v2']);
    expect(out[1]).toBe(already);
    expect(reviews).toHaveLength(1);
    expect(reviews[0].request.objects.map((o: KubeObject) => o.metadata.name)).toEqual(['a', 'c']);
    expect(await converter(() => [])([already], want, false)).toEqual([already]);
    expect(reviews).toHaveLength(1);
  });

  it('fails with upstream texts for a count mismatch and bad objects, single or listed', async () => {
    await expect(converter(() => [])([v1('a')], want, false)).rejects.toThrow('conversion webhook for conversion.example.com/v1, Kind=Tunnel returned 0 objects, expected 1');
    await expect(converter((o) => o)([v1('a')], want, false)).rejects.toThrow('conversion webhook for conversion.example.com/v1, Kind=Tunnel returned invalid object at index 0: invalid groupVersion (expected conversion.example.com/v2, received conversion.example.com/v1)');
    await expect(converter((o) => o.map((x) => asV2(v1('z'), { metadata: { ...x.metadata, name: 'z' } })))([v1('a')], want, false)).rejects.toThrow('conversion webhook for conversion.example.com/v1, Kind=Tunnel returned invalid object: must have the same name: a != z');
    await expect(converter((o) => o.map((x) => asV2(x, { metadata: { ...x.metadata, name: 'z' } })))([v1('a'), v1('b')], want, true)).rejects.toThrow('conversion webhook for conversion.example.com/v1, Kind=TunnelList returned invalid converted object at index 0: must have the same name: a != z');
  });
});
