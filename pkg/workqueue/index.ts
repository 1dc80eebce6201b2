/**
 * Work queues for controllers (client-go semantics): fair, stingy, delaying, rate-limited,
 * all driven by an injectable {@link Clock}.
 */
export { FakeClock, realClock, type Clock, type TimerHandle } from './clock.ts';
export { newQueue, Queue, type GetResult, type QueueMetrics, type QueueOptions, type WorkQueue } from './queue.ts';
export { DelayingQueue, newDelayingQueue, type DelayingWorkQueue } from './delaying-queue.ts';
export {
  BucketRateLimiter,
  defaultControllerRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  sleep,
  TokenBucket,
  type RateLimiter,
} from './rate-limiters.ts';
export { newRateLimitingQueue, RateLimitingQueue, type RateLimitingQueueOptions, type RateLimitingWorkQueue } from './rate-limiting-queue.ts';
