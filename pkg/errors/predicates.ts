/** Branch on an error's `reason`, never on its message. Non-ApiErrors are never matched. */
import { ApiError, type StatusReason } from './status.ts';

function hasReason(err: unknown, reason: StatusReason): boolean {
  return err instanceof ApiError && err.reason === reason;
}

export const isNotFound = (err: unknown): boolean => hasReason(err, 'NotFound');
export const isAlreadyExists = (err: unknown): boolean => hasReason(err, 'AlreadyExists');
export const isConflict = (err: unknown): boolean => hasReason(err, 'Conflict');
export const isInvalid = (err: unknown): boolean => hasReason(err, 'Invalid');
export const isBadRequest = (err: unknown): boolean => hasReason(err, 'BadRequest');
export const isForbidden = (err: unknown): boolean => hasReason(err, 'Forbidden');
/** True for 410 Expired and 410 Gone: a watch or continue token must re-list. */
export const isExpired = (err: unknown): boolean => hasReason(err, 'Expired') || hasReason(err, 'Gone');
export const isTooManyRequests = (err: unknown): boolean => hasReason(err, 'TooManyRequests');
export const isTimeout = (err: unknown): boolean => hasReason(err, 'Timeout');
