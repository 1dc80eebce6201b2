/**
 * Picking a free slot the way upstream's allocators do (KEP-3070 / KEP-3668): a range of `size`
 * slots is split at `offset` into a lower "static" band (left for users who pick values by hand)
 * and an upper "dynamic" band. Random allocation scans the dynamic band from a random start,
 * then the static band from a random start. Pure.
 */

/** `min(max(min, size/step), max)`, 0 when the range is too small to split. */
export function rangeOffset(size: number, options: { min: number; max: number; step: number }): number {
  if (size <= options.min) return 0;
  const offset = Math.floor(size / options.step);
  return Math.min(Math.max(options.min, offset), options.max);
}

/** Upstream ClusterIP band: min 16, max 256, step 16 (computed on the CIDR size). */
export function serviceIpRangeOffset(cidrSize: number): number {
  return rangeOffset(cidrSize, { min: 16, max: 256, step: 16 });
}

/** Upstream NodePort band: min 16, max 128, step 32. */
export function nodePortRangeOffset(rangeSize: number): number {
  return rangeOffset(rangeSize, { min: 16, max: 128, step: 32 });
}

/**
 * A free slot in `[0, size)`, not in `taken` and not in `excluded`; dynamic band first.
 * `random` returns [0, 1). Undefined when every slot is taken.
 */
export function pickFreeSlot(options: {
  size: number;
  offset: number;
  taken: ReadonlySet<number>;
  excluded?: ReadonlySet<number>;
  random: () => number;
}): number | undefined {
  const { size, offset, taken, excluded, random } = options;
  const isFree = (slot: number) => !taken.has(slot) && !excluded?.has(slot);
  const bands: Array<[number, number]> = [[offset, size], [0, offset]];
  for (const [low, high] of bands) {
    const width = high - low;
    if (width <= 0) continue;
    const start = Math.floor(random() * width);
    for (let i = 0; i < width; i++) {
      const slot = low + ((start + i) % width);
      if (isFree(slot)) return slot;
    }
  }
  return undefined;
}
