import { getQueueToken } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AuthUser, ForbiddenError, QUEUES } from '@app/common';
import { Queue } from 'bullmq';

export const JOB_STATES = ['waiting', 'waiting-children', 'active', 'delayed', 'prioritized', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface QueueCounts {
  name: string;
  counts: Record<JobState, number>;
}

/** Every queue of the platform, as Bull Board and the JSON counts see them. */
@Injectable()
export class QueueStatsService {
  constructor(private readonly moduleRef: ModuleRef) {}

  queues(): Queue[] {
    return Object.values(QUEUES).map((name) => this.moduleRef.get<Queue>(getQueueToken(name), { strict: false }));
  }

  async counts(actor: AuthUser): Promise<QueueCounts[]> {
    if (!actor.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator may do this');
    return Promise.all(
      this.queues().map(async (queue) => ({ name: queue.name, counts: (await queue.getJobCounts(...JOB_STATES)) as Record<JobState, number> })),
    );
  }
}
