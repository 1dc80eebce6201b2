// Types of source-files.mjs, for the TypeScript code that imports it (the benchmarks).

/** The top-level folders compiled into dist/. */
export declare const SOURCE_DIRS: string[];
/** Every file under the source folders that dist/ depends on: not tests, docs or test data. */
export declare function sourceFiles(root: string): Generator<string>;
/** Whether dist/ under `root` may run: its build stamp is newer than every source file, and K8TS_FROM_SOURCE=1 is not set. */
export declare function distIsCurrent(root: string): boolean;
