/** Stand-alone entry (`npx tsx proxy/cli-entry.ts …`) until `k8ts proxy` is registered. */
import { main } from './main.ts';

await main(process.argv.slice(2));
