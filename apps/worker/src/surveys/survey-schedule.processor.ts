import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { QUEUES, SurveyScheduleJobData } from '@app/common';
import { SurveysService } from '@app/surveys';
import { Job } from 'bullmq';

/**
 * A survey's close (anonymous answers released) or its reminder, on its date. Both re-read the
 * survey: a close job whose date is no longer the survey's closesAt is stale and does nothing; no
 * reminder for a survey already closed.
 */
@Processor(QUEUES.surveySchedule, { concurrency: 2 })
export class SurveyScheduleProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(SurveyScheduleProcessor.name);

  constructor(private readonly surveys: SurveysService) {
    super();
  }

  async process(job: Job<SurveyScheduleJobData>): Promise<string> {
    if (job.data.kind === 'remind') return (await this.surveys.remind(job.data.surveyId)) ? 'reminded' : 'skipped';
    const survey = await this.surveys.close(null, job.data.surveyId, new Date(job.data.at));
    return survey.closedAt ? 'closed' : 'not yet';
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<SurveyScheduleJobData> | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Survey job ${job.id} failed: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}
