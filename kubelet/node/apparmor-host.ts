/**
 * Whether this host enforces AppArmor (runc's `apparmor.IsEnabled`, which upstream's kubelet
 * asks once at start): the securityfs directory exists and the module's `enabled` parameter is
 * `Y`. `root` prefixes both paths (tests).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function appArmorEnabledOnHost(root = '/'): boolean {
  if (!existsSync(join(root, 'sys/kernel/security/apparmor'))) return false;
  try {
    return readFileSync(join(root, 'sys/module/apparmor/parameters/enabled'), 'utf8').startsWith('Y');
  } catch {
    return false;
  }
}
