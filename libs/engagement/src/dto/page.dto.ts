import { PageQueryDto } from '@app/common';

/** Keyset pagination of engagement lists (the platform's PageQueryDto). */
export class EngagementPageQueryDto extends PageQueryDto {}
