/** How the queue treats every job it queues or fails (config `jobs`): one policy for the whole chain. */
export interface QueuePolicy {
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
}
