/**
 * Volume sources and volume mounts of a PodSpec (upstream validateVolumeSource's parts for the
 * typed sources, and validateVolumeMounts' sub-paths): file paths inside a volume must stay inside
 * it (relative, no `..` element), file modes are 0–0777, hostPath has no `..` and a known type,
 * an ephemeral volume's claim template is a valid claim spec.
 * Field paths and messages as upstream, its quirks included (a mount's `subPath` is reported
 * under `volumeMounts.subPath`, without the index; downward API files under `downwardAPI.path`).
 */
import type { FieldError } from '../../../errors/index.ts';
import { child, forbidden, index, invalidValue, notSupported, required } from '../../validation/field-errors.ts';
import { validatePersistentVolumeClaimSpec } from './persistentvolumeclaim-validation.ts';
import type { Container } from './pod-container.ts';
import type { Volume } from './pod-volume.ts';

/** Upstream fileModeErrorMsg. */
const FILE_MODE = 'must be a number between 0 and 0777 (octal), both inclusive';

/** Upstream supportedHostPathTypes, sorted as its error lists them. */
const HOST_PATH_TYPES = ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'];

/** validatePathNoBacksteps: no `..` element (one error however many). Pure. */
export function validatePathNoBacksteps(target: string, field: string): FieldError[] {
  return target.split('/').includes('..') ? [invalidValue(field, target, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative, and no `..` element. Pure. */
export function validateLocalDescendingPath(target: string, field: string): FieldError[] {
  const errs = target.startsWith('/') ? [invalidValue(field, target, 'must be a relative path')] : [];
  return [...errs, ...validatePathNoBacksteps(target, field)];
}

/** ValidateLocalNonReservedPath: descending, and not starting with `..` (the atomic writer's names). Pure. */
export function validateLocalNonReservedPath(target: string, field: string): FieldError[] {
  const errs = validateLocalDescendingPath(target, field);
  if (target.startsWith('..') && !target.startsWith('../')) errs.push(invalidValue(field, target, "must not start with '..'"));
  return errs;
}

function fileMode(mode: number | undefined, field: string): FieldError[] {
  return mode !== undefined && (mode > 0o777 || mode < 0) ? [invalidValue(field, mode, FILE_MODE)] : [];
}

type KeyToPath = { key: string; path: string; mode?: number };
type DownwardFile = NonNullable<NonNullable<Volume['downwardAPI']>['items']>[number];

/** validateKeyToPath: a key, a local path, a file mode. */
function validateKeyToPath(item: KeyToPath, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!item.key) errs.push(required(child(field, 'key')));
  if (!item.path) errs.push(required(child(field, 'path')));
  errs.push(...validateLocalNonReservedPath(item.path, child(field, 'path')), ...fileMode(item.mode, child(field, 'mode')));
  return errs;
}

function validateItems(items: readonly KeyToPath[] | undefined, field: string): FieldError[] {
  return (items ?? []).flatMap((item, i) => validateKeyToPath(item, index(field, i)));
}

/** validateDownwardAPIVolumeFile (reported under the source's path, as upstream). */
function validateDownwardFile(file: DownwardFile, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!file.path) errs.push(required(child(field, 'path')));
  errs.push(...validateLocalNonReservedPath(file.path, child(field, 'path')));
  if (file.fieldRef && file.resourceFieldRef) errs.push(invalidValue(field, 'resource', 'fieldRef and resourceFieldRef can not be specified simultaneously'));
  else if (!file.fieldRef && !file.resourceFieldRef) errs.push(required(field, 'one of fieldRef and resourceFieldRef is required'));
  errs.push(...fileMode(file.mode, child(field, 'mode')));
  return errs;
}

/** validateProjectionSources: one source each, local paths, no path twice across sources. */
function validateProjection(projected: NonNullable<Volume['projected']>, field: string): FieldError[] {
  const errs = fileMode(projected.defaultMode, child(field, 'defaultMode'));
  const paths = new Set<string>();
  const claim = (path: string, value: string) => {
    if (!path) return;
    if (paths.has(path)) errs.push(invalidValue(field, value, 'conflicting duplicate paths'));
    paths.add(path);
  };
  for (const [i, source] of (projected.sources ?? []).entries()) {
    const sp = index(child(field, 'sources'), i);
    let kinds = 0;
    for (const kind of ['secret', 'configMap'] as const) {
      const src = source[kind];
      if (!src) continue;
      kinds++;
      if (!src.name) errs.push(required(child(child(sp, kind), 'name')));
      for (const [j, item] of (src.items ?? []).entries()) {
        errs.push(...validateKeyToPath(item, index(child(child(sp, kind), 'items'), j)));
        claim(item.path, src.name ?? '');
      }
    }
    if (source.downwardAPI) {
      kinds++;
      for (const file of source.downwardAPI.items ?? []) {
        errs.push(...validateDownwardFile(file, child(sp, 'downwardAPI')));
        claim(file.path, file.path);
      }
    }
    const token = source.serviceAccountToken;
    if (token) {
      kinds++;
      const seconds = token.expirationSeconds ?? 3600;
      if (seconds < 600) errs.push(invalidValue(child(child(sp, 'serviceAccountToken'), 'expirationSeconds'), seconds, 'may not specify a duration less than 10 minutes'));
      if (seconds > 2 ** 32) errs.push(invalidValue(child(child(sp, 'serviceAccountToken'), 'expirationSeconds'), seconds, 'may not specify a duration larger than 2^32 seconds'));
      if (!token.path) errs.push(required(child(field, 'path')));
      else errs.push(...validateLocalNonReservedPath(token.path, child(field, 'path')));
    }
    if (source.clusterTrustBundle) {
      kinds++;
      const bundle = source.clusterTrustBundle;
      if (!bundle.path) errs.push(required(child(child(sp, 'clusterTrustBundlePEM'), 'path')));
      errs.push(...validateLocalNonReservedPath(bundle.path, child(child(sp, 'clusterTrustBundlePEM'), 'path')));
      claim(bundle.path, bundle.path);
    }
    if (kinds > 1) errs.push(forbidden(sp, 'may not specify more than 1 volume type'));
  }
  return errs;
}

/** The checks of one volume's source that keep its files where they belong. */
export function validateVolumeSource(volume: Volume, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (volume.configMap) {
    const p = child(field, 'configMap');
    if (!volume.configMap.name) errs.push(required(child(p, 'name')));
    errs.push(...fileMode(volume.configMap.defaultMode, child(p, 'defaultMode')), ...validateItems(volume.configMap.items, child(p, 'items')));
  }
  if (volume.secret) {
    const p = child(field, 'secret');
    if (!volume.secret.secretName) errs.push(required(child(p, 'secretName')));
    errs.push(...fileMode(volume.secret.defaultMode, child(p, 'defaultMode')), ...validateItems(volume.secret.items, child(p, 'items')));
  }
  if (volume.downwardAPI) {
    const p = child(field, 'downwardAPI');
    errs.push(...fileMode(volume.downwardAPI.defaultMode, child(p, 'defaultMode')));
    for (const file of volume.downwardAPI.items ?? []) errs.push(...validateDownwardFile(file, p));
  }
  if (volume.projected) errs.push(...validateProjection(volume.projected, child(field, 'projected')));
  if (volume.hostPath) errs.push(...validateHostPathSource(volume.hostPath, child(field, 'hostPath')));
  if (volume.ephemeral) {
    // validateEphemeralVolumeSource: a claim template whose spec is a valid claim spec.
    const p = child(child(field, 'ephemeral'), 'volumeClaimTemplate');
    const template = volume.ephemeral.volumeClaimTemplate;
    if (!template) errs.push(required(p));
    else errs.push(...validatePersistentVolumeClaimSpec(template.spec, child(p, 'spec')));
  }
  return errs;
}

/** validateHostPathVolumeSource (pods and PersistentVolumes): a path without `..`, a known type. Pure. */
export function validateHostPathSource(hostPath: { path: string; type?: string | undefined }, field: string): FieldError[] {
  if (!hostPath.path) return [required(child(field, 'path'))];
  const errs = validatePathNoBacksteps(hostPath.path, child(field, 'path'));
  const type = hostPath.type;
  if (type !== undefined && !HOST_PATH_TYPES.includes(type)) errs.push(notSupported(child(field, 'type'), type, HOST_PATH_TYPES));
  return errs;
}

const PROPAGATIONS = ['Bidirectional', 'HostToContainer', 'None'];

/**
 * validateVolumeMounts' checks of one mount's sub-path and propagation (`field` = the container's
 * `volumeMounts`): mounts propagate back to the node only from privileged containers.
 */
export function validateVolumeMountPaths(mount: NonNullable<Container['volumeMounts']>[number], field: string, i: number, container: Container): FieldError[] {
  const errs: FieldError[] = [];
  const propagation = mount.mountPropagation;
  if (propagation !== undefined) {
    if (!PROPAGATIONS.includes(propagation)) errs.push(notSupported(child(field, 'mountPropagation'), propagation, PROPAGATIONS));
    if (propagation === 'Bidirectional' && container.securityContext?.privileged !== true) errs.push(forbidden(child(field, 'mountPropagation'), 'Bidirectional mount propagation is available only to privileged containers'));
  }
  if (mount.subPath) errs.push(...validateLocalDescendingPath(mount.subPath, child(field, 'subPath')));
  if (mount.subPathExpr) {
    if (mount.subPath) errs.push(invalidValue(child(index(field, i), 'subPathExpr'), mount.subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
    errs.push(...validateLocalDescendingPath(mount.subPathExpr, child(field, 'subPathExpr')));
  }
  return errs;
}
