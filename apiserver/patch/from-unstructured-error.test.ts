import { describe, expect, it } from 'vitest';
import { fromUnstructuredError } from './from-unstructured-error.ts';

describe('fromUnstructuredError', () => {
  it.each([
    // A map where a string goes: upstream's "unrecognized type: string" (a ConfigMap's data value).
    [{}, 'string', 'unrecognized type: string'],
    ['two', 'int32', 'unrecognized type: int32'],
    [true, 'string', 'unrecognized type: string'],
    [1, 'bool', 'unrecognized type: bool'],
    [80, 'string', 'cannot convert int64 to string'],
    [1.5, 'int32', 'cannot convert float64 to int32'],
    [1.5, 'string', 'unrecognized type: string'],
    ['x', 'v1.Container', 'cannot restore struct from: string'],
    [[1], 'v1.PodSpec', 'cannot restore struct from: slice'],
    ['sleep 1', '[]string', 'cannot restore slice from string'],
    [3, 'map[string]string', 'cannot restore map from int64'],
    [['a'], 'string', 'unrecognized type: string'],
  ])('%j into %s', (value, goType, expected) => {
    expect(fromUnstructuredError(value, goType)).toBe(expected);
  });

  it.each([
    ['x', 'string'],
    [3, 'int32'],
    [3, 'double'],
    [{ a: 1 }, 'v1.Container'],
    ['aGk=', '[]uint8'],
    ['1Gi', 'resource.Quantity'],
    [true, 'intstr.IntOrString'],
    [null, 'string'],
  ])('%j into %s converts (or is worded by the type itself)', (value, goType) => {
    expect(fromUnstructuredError(value, goType)).toBeUndefined();
  });
});
