/**
 * Revision history helpers for controllers that keep ControllerRevisions (DaemonSet,
 * StatefulSet): template and revision hashes, names, ordering, pruning.
 */
export { computeHash, fnv32, fnv32a, hashControllerRevision, safeEncodeString } from './hash.ts';
export { compareRevisions, CONTROLLER_REVISION_HASH_LABEL, controllerRevisionName, maxRevision, nextRevision, revisionsToPrune } from './revisions.ts';
