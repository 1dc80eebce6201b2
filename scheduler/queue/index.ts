/** The scheduling queue: activeQ, backoffQ, unschedulable pods, nominator. */
export { SchedulingQueue, type QueueName, type QueueProfile, type SchedulingQueueOptions } from './scheduling-queue.ts';
export { Nominator } from './nominator.ts';
export { KeyedHeap } from './heap.ts';
export { backoffDuration } from './backoff.ts';
