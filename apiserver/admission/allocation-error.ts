/**
 * Why an allocator refused, with upstream's texts (pkg/registry/core/service/ipallocator and
 * portallocator). The admission plugin turns these into Status errors.
 */
export class AllocationError extends Error {
  constructor(
    readonly code: 'NotInRange' | 'Allocated' | 'Full',
    message: string,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}

/** `range is full` (upstream ErrFull). */
export function rangeFull(): AllocationError {
  return new AllocationError('Full', 'range is full');
}
