import { describe, expect, it } from 'vitest';
import { cronJobResource } from '../../batch/v1/cronjob.ts';
import { jobResource } from '../../batch/v1/job.ts';
import { podTemplateResource } from '../../core/v1/podtemplate.ts';
import { replicationControllerResource } from '../../core/v1/replicationcontroller.ts';
import { daemonSetResource } from './daemonset.ts';
import { deploymentResource } from './deployment.ts';
import { statefulSetResource } from './statefulset.ts';

const dupEnv = (name = 'FOO') => ({ spec: { containers: [{ name: 'c', image: 'i', env: [{ name, value: 'a' }, { name, value: 'b' }] }] } });
const hides = (path: string, name = 'FOO') => `${path}.spec.containers[0].env[1]: hides previous definition of "${name}", which may be dropped when using apply`;
const obj = (name: string, generation: number, spec: Record<string, unknown>) => ({ metadata: { name, generation }, spec }) as never;

describe('workload template warnings (upstream strategies, 1.33)', () => {
  it('Deployment and DaemonSet: name and template on create; template only when the generation changed', () => {
    expect(deploymentResource.warningsOnCreate?.(obj('a.b', 1, { template: dupEnv() }))).toEqual([
      expect.stringMatching(/^metadata\.name: this is used in Pod names and hostnames/),
      hides('spec.template'),
    ]);
    expect(daemonSetResource.warningsOnUpdate?.(obj('a', 2, { template: dupEnv() }), obj('a', 2, { template: dupEnv() }))).toEqual([]);
    expect(daemonSetResource.warningsOnUpdate?.(obj('a', 3, { template: dupEnv() }), obj('a', 2, { template: dupEnv() }))).toEqual([hides('spec.template')]);
  });

  it('ReplicationController update warns about the stored template, as upstream does', () => {
    expect(replicationControllerResource.warningsOnUpdate?.(obj('a', 2, { template: dupEnv('NEW') }), obj('a', 1, { template: dupEnv('OLD') }))).toEqual([hides('spec.template', 'OLD')]);
  });

  it('StatefulSet: claim templates (paths as upstream prints them) and a negative history limit on every update', () => {
    const spec = { template: dupEnv(), revisionHistoryLimit: -1, volumeClaimTemplates: [{ spec: { resources: { requests: { storage: '1.5' } } } }] };
    expect(statefulSetResource.warningsOnCreate?.(obj('a', 1, spec))).toEqual([
      hides('spec.template'),
      'spec.volumeClaimTemplates[0].resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer',
      'spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended',
    ]);
    expect(statefulSetResource.warningsOnUpdate?.(obj('a', 1, spec), obj('a', 1, spec))).toEqual([
      'spec.volumeClaimTemplates[0].Spec.resources.requests[storage]: fractional byte value "1500m" is invalid, must be an integer',
      'spec.revisionHistoryLimit: a negative value retains all historical revisions; a value >= 0 is recommended',
    ]);
  });

  it('Job, CronJob and PodTemplate paths', () => {
    expect(jobResource.warningsOnCreate?.(obj('j', 1, { template: dupEnv(), completionMode: 'Indexed', completions: 100_001, parallelism: 10_001 }))).toEqual([
      'spec: In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail',
      hides('spec.template'),
    ]);
    const cj = (generation: number, schedule: string) => obj('cj', generation, { schedule, jobTemplate: { spec: { template: dupEnv() } } });
    expect(cronJobResource.warningsOnCreate?.(cj(1, '* * * * *'))).toEqual([hides('spec.jobTemplate.spec.template')]);
    expect(cronJobResource.warningsOnUpdate?.(cj(1, 'TZ=UTC * * * * *'), cj(1, 'TZ=UTC * * * * *'))).toEqual([
      'cannot use TZ or CRON_TZ in spec.spec.schedule, use timeZone instead, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details',
    ]);
    const pt = (template: unknown, generation = 1) => ({ metadata: { name: 'pt', generation }, template }) as never;
    expect(podTemplateResource.warningsOnCreate?.(pt(dupEnv()))).toEqual([hides('template')]);
    expect(podTemplateResource.warningsOnUpdate?.(pt(dupEnv()), pt(dupEnv()))).toEqual([]);
    expect(podTemplateResource.warningsOnUpdate?.(pt(dupEnv('BAR'), 2), pt(dupEnv()))).toEqual([hides('template', 'BAR')]);
  });
});
