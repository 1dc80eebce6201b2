/** Storage failures → Status errors, with the resource named as upstream's `interpretStorageError` does. */
import { ApiError, alreadyExists, conflict, expired, internalError, notFound, resourceVersionTooLarge, serviceUnavailable, type QualifiedResource } from '../../pkg/errors/index.ts';
import { StorageError } from '../../pkg/storage/types.ts';

/** Maps a StorageError to the Status error upstream answers with; other errors pass through. */
export function toApiError(err: unknown, qr: QualifiedResource, name: string): unknown {
  if (err instanceof ApiError || !(err instanceof StorageError)) return err;
  switch (err.code) {
    case 'NotFound':
      return notFound(qr, name);
    case 'KeyExists':
      return alreadyExists(qr, name);
    case 'Conflict':
      return conflict(qr, name);
    case 'Expired':
      return expired(err.message);
    case 'TooLarge':
      return resourceVersionTooLarge(err.message);
    case 'Unavailable':
      return serviceUnavailable(err.message);
    case 'Rejected':
      // Upstream's answer to an error that is not a Status (its issue #112152): 500, no reason, the text.
      return new ApiError({ code: 500, reason: '', message: err.message, cause: err });
    default:
      return internalError(err);
  }
}

/** Runs `fn`, translating storage errors. */
export async function storageCall<T>(qr: QualifiedResource, name: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApiError(err, qr, name);
  }
}
