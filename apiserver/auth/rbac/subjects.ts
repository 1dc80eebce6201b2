/**
 * Whether a binding's subject is a given user (upstream rbac `appliesToUser`): `User` by name,
 * `Group` by membership, `ServiceAccount` by its user name `system:serviceaccount:<ns>:<name>`,
 * the namespace defaulting to the binding's (a ClusterRoleBinding's must name one).
 */
import { serviceAccountUsername } from '../../../pkg/auth/serviceaccount-claims.ts';
import type { UserInfo } from '../../../pkg/auth/user.ts';
import type { RbacSubject } from './objects.ts';

/** Whether `subject` (of a binding in `bindingNamespace`, "" for a ClusterRoleBinding) names `user`. Pure. */
export function subjectAppliesTo(subject: RbacSubject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== '' && serviceAccountUsername(namespace, subject.name) === user.username;
    }
    default:
      return false;
  }
}
