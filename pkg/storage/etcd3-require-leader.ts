/**
 * etcd's "require leader" call metadata (`hasleader: true`, clientv3's WithRequireLeader): a
 * member that has lost its leader — partitioned from its peers, yet still reachable — answers
 * such a call at once with `etcdserver: no leader` (and cancels such a watch stream) instead of
 * holding a request until its own 7 s timeout or keeping a watch open and silent while the rest
 * of the cluster moves on. The client then retries on another member.
 */
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';

/** A gRPC client interceptor adding `hasleader: true` to the call's metadata (a copy). */
export const requireLeader: Interceptor = (options, nextCall) =>
  new InterceptingCall(nextCall(options), {
    start(metadata, listener, next) {
      const withLeader = metadata.clone();
      withLeader.set('hasleader', 'true');
      next(withLeader, listener);
    },
  });
