/**
 * A boolean query parameter as Kubernetes decodes it (apimachinery's `Convert_Slice_string_To_bool`):
 * absent is false; `0` and `false` (in any case) are false; every other value, the empty one
 * included, is true. So `watch=True` (how Python's client sends it), `follow=1` and a bare `?watch`
 * all mean true, as on a real API server. Pure.
 */
export function queryBool(value: string | null | undefined): boolean {
  if (value === undefined || value === null) return false;
  return value !== '0' && value.toLowerCase() !== 'false';
}
