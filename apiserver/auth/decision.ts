/** An authorizer's answer (upstream `authorizer.Decision` plus its reason). */
export interface Decision {
  decision: 'allow' | 'deny' | 'no-opinion';
  /** Why not (appended to the 403 message), '' when there is nothing to say. */
  reason: string;
}

export const ALLOW: Decision = { decision: 'allow', reason: '' };

/** No opinion, optionally with a reason. */
export function noOpinion(reason = ''): Decision {
  return { decision: 'no-opinion', reason };
}
