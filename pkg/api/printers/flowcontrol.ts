/**
 * Printers for flowcontrol.apiserver.k8s.io (upstream printFlowSchema and
 * printPriorityLevelConfiguration): MISSINGPL is the status of the `Dangling` condition (`?`
 * until the API server has written it); a level without `limited` (Exempt) or without queuing
 * (Reject) shows `<none>` for what it lacks.
 */
import { ageColumn, col, nameColumn } from './columns.ts';
import { age, arr, get, isObject, str } from './format.ts';
import type { Printer } from './printer.ts';

const PL_NAME_DOC = '`name` is the name of the priority level configuration being referenced Required.';
const MATCHING_PRECEDENCE_DOC = '`matchingPrecedence` is used to choose among the FlowSchemas that match a given request. The chosen FlowSchema is among those with the numerically lowest (which we take to be logically highest) MatchingPrecedence.  Each MatchingPrecedence value must be ranged in [1,10000]. Note that if the precedence is not specified, it will be set to 1000 as default.';
const DISTINGUISHER_DOC = '`distinguisherMethod` defines how to compute the flow distinguisher for requests that match this schema. `nil` specifies that the distinguisher is disabled and thus will always be the empty string.';
const TYPE_DOC = '`type` indicates whether this priority level is subject to limitation on request execution.  A value of `"Exempt"` means that requests of this priority level are not subject to a limit (and thus are never queued) and do not detract from the capacity made available to other priority levels.  A value of `"Limited"` means that (a) requests of this priority level _are_ subject to limits and (b) some of the server\'s limited capacity is made available exclusively to this priority level. Required.';
const NCS_DOC = '`nominalConcurrencyShares` (NCS) contributes to the computation of the NominalConcurrencyLimit (NominalCL) of this level. This is the number of execution seats available at this priority level. This is used both for requests dispatched from this priority level as well as requests dispatched from other priority levels borrowing seats from this level. The server\'s concurrency limit (ServerCL) is divided among the Limited priority levels in proportion to their NCS values:\n\nNominalCL(i)  = ceil( ServerCL * NCS(i) / sum_ncs ) sum_ncs = sum[priority level k] NCS(k)\n\nBigger numbers mean a larger nominal concurrency limit, at the expense of every other priority level.\n\nIf not specified, this field defaults to a value of 30.\n\nSetting this field to zero supports the construction of a "jail" for this priority level that is used to hold some request(s)';
const QUEUES_DOC = '`queues` is the number of queues for this priority level. The queues exist independently at each apiserver. The value must be positive.  Setting it to 1 effectively precludes shufflesharding and thus makes the distinguisher method of associated flow schemas irrelevant.  This field has a default value of 64.';
const HAND_SIZE_DOC = '`handSize` is a small positive number that configures the shuffle sharding of requests into queues.  When enqueuing a request at this priority level the request\'s flow identifier (a string pair) is hashed and the hash value is used to shuffle the list of queues and deal a hand of the size specified here.  The request is put into one of the shortest queues in that hand. `handSize` must be no larger than `queues`, and should be significantly smaller (so that a few heavy flows do not saturate most of the queues).  See the user-facing documentation for more extensive guidance on setting this field.  This field has a default value of 8.';
const QUEUE_LENGTH_DOC = '`queueLengthLimit` is the maximum number of requests allowed to be waiting in a given queue of this priority level at a time; excess requests are rejected.  This value must be positive.  If not specified, it will be defaulted to 50.';

export const flowSchemaPrinter: Printer = {
  columns: [
    nameColumn,
    col('PriorityLevel', 'string', 0, PL_NAME_DOC),
    col('MatchingPrecedence', 'string', 0, MATCHING_PRECEDENCE_DOC),
    col('DistinguisherMethod', 'string', 0, DISTINGUISHER_DOC),
    ageColumn,
    col('MissingPL', 'string', 0, 'references a broken or non-existent PriorityLevelConfiguration'),
  ],
  row(fs, now) {
    const method = get(fs, 'spec', 'distinguisherMethod');
    const dangling = arr(get(fs, 'status', 'conditions')).find((c) => c.type === 'Dangling');
    return [
      fs.metadata.name ?? '',
      str(get(fs, 'spec', 'priorityLevelConfiguration', 'name')),
      Number(get(fs, 'spec', 'matchingPrecedence') ?? 0),
      isObject(method) ? str(method.type) : '<none>',
      age(fs, now),
      dangling ? str(dangling.status) : '?',
    ];
  },
};

export const priorityLevelConfigurationPrinter: Printer = {
  columns: [
    nameColumn,
    col('Type', 'string', 0, TYPE_DOC),
    col('NominalConcurrencyShares', 'string', 0, NCS_DOC),
    col('Queues', 'string', 0, QUEUES_DOC),
    col('HandSize', 'string', 0, HAND_SIZE_DOC),
    col('QueueLengthLimit', 'string', 0, QUEUE_LENGTH_DOC),
    ageColumn,
  ],
  row(pl, now) {
    const limited = get(pl, 'spec', 'limited');
    const queuing = isObject(limited) ? get(limited, 'limitResponse', 'queuing') : undefined;
    const cell = (v: unknown): number | string => (typeof v === 'number' ? v : '<none>');
    return [
      pl.metadata.name ?? '',
      str(get(pl, 'spec', 'type')),
      isObject(limited) ? cell(limited.nominalConcurrencyShares) : '<none>',
      isObject(queuing) ? cell(queuing.queues) : '<none>',
      isObject(queuing) ? cell(queuing.handSize) : '<none>',
      isObject(queuing) ? cell(queuing.queueLengthLimit) : '<none>',
      age(pl, now),
    ];
  },
};
