export * from './field-errors.ts';
export * from './names.ts';
export * from './object-meta.ts';
