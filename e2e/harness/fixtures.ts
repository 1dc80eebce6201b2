/** Where the users' tutorial manifests live: `../shared/fixtures/seeds` beside the repository. */
import { fileURLToPath } from 'node:url';

export const fixturesDir = fileURLToPath(new URL('../../../shared/fixtures/seeds', import.meta.url));
