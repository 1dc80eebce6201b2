/** `metadata.generateName` → a name (upstream `names.SimpleNameGenerator`). */
import { randomInt } from 'node:crypto';

/** Upstream's alphabet: no vowels (no words) and no confusable characters. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
const MAX_NAME_LENGTH = 63;
const MAX_BASE_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

export function generateName(base: string, random: (n: number) => number = randomInt): string {
  const prefix = base.length > MAX_BASE_LENGTH ? base.slice(0, MAX_BASE_LENGTH) : base;
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += NAME_ALPHABET[random(NAME_ALPHABET.length)];
  return prefix + suffix;
}
