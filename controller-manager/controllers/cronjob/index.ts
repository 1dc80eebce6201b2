/** The `cronjob` controller (upstream's v2): CronJobs, reconciled again when their Jobs change and at each schedule time. */
import type { CronJob } from '../../../pkg/api/batch/v1/cronjob.ts';
import type { Job } from '../../../pkg/api/batch/v1/job.ts';
import { BUILTIN_COORDINATES as C } from '../../../pkg/client/index.ts';
import { newControllerBuilder } from '../../../pkg/runtime/index.ts';
import type { ControllerDescriptor } from '../types.ts';
import { CronJobReconciler } from './cronjob-reconciler.ts';

export const cronJobController: ControllerDescriptor = {
  name: 'cronjob',
  enabledByDefault: true,
  register({ manager, settings }) {
    newControllerBuilder(manager, 'cronjob')
      .for(C.cronJobs)
      .owns<Job>(C.jobs)
      .withMaxConcurrentReconciles(settings.concurrentSyncs.cronjob ?? 5)
      .complete(new CronJobReconciler({
        client: manager.client,
        cronJobs: manager.lister<CronJob>(C.cronJobs),
        jobs: manager.lister<Job>(C.jobs),
        recorder: manager.eventRecorder('cronjob-controller'),
        clock: manager.clock,
        localTimeZone: settings.localTimeZone,
      }));
  },
};
