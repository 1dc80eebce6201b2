/**
 * `--audit-policy-file` + `--audit-log-*` → the server's audit settings. As upstream, auditing is
 * on only with both a policy and a log path; a policy file is read (and a bad one stops start-up)
 * whenever it is given; a log path without a policy records nothing (warned).
 */
import type { Logger } from 'pino';
import { createLogBackend, type AuditBackend } from './log-backend.ts';
import { loadAuditPolicyFile, type AuditPolicy } from './policy.ts';

/** The audit flags, parsed. */
export interface AuditFlags {
  auditPolicyFile?: string;
  auditLogPath?: string;
  auditLogMaxage: number;
  auditLogMaxbackup: number;
  auditLogMaxsize: number;
  auditLogFormat: 'json';
}

/** The policy and the opened backend, or undefined when auditing is off. */
export async function openAudit(flags: AuditFlags, log: Logger): Promise<{ policy: AuditPolicy; backend: AuditBackend } | undefined> {
  const policy = flags.auditPolicyFile ? loadAuditPolicyFile(flags.auditPolicyFile) : undefined;
  if (!policy) {
    if (flags.auditLogPath) log.warn({ path: flags.auditLogPath }, 'no audit policy file provided, no events will be recorded for log backend');
    return undefined;
  }
  if (!flags.auditLogPath) {
    log.warn({ policy: flags.auditPolicyFile }, 'audit policy given without --audit-log-path: no events are recorded');
    return undefined;
  }
  const backend = await createLogBackend({
    path: flags.auditLogPath,
    rotation: { maxAgeDays: flags.auditLogMaxage, maxBackups: flags.auditLogMaxbackup, maxSizeMb: flags.auditLogMaxsize },
    log: log.child({ component: 'audit' }),
  });
  log.info({ path: flags.auditLogPath, rules: policy.rules.length }, 'audit log enabled');
  return { policy, backend };
}
