export * from './status.ts';
export * from './constructors.ts';
export * from './predicates.ts';
