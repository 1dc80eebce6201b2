export { serverSideApply, trackUpdate, describeManager, type ServerSideApplyOptions, type TrackUpdateOptions } from './managed-fields.ts';
export { fieldSetOf, formatPath, type FieldSet } from './field-set.ts';
