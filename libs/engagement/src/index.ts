import './engagement.events';

export * from './engagement.module';
export * from './engagement.errors';
export * from './engagement.events';
export { SubjectRegistry } from './subjects/subject-registry';
export type { SubjectRef, RegisteredSubject } from './subjects/subject-registry';
export { COMMENT_SUBJECT_TYPE } from './subjects/comment-subject.provider';
export * from './comments/comments.service';
export * from './follows/follows.service';
export * from './flags/flags.service';
export * from './dto/page.dto';
export * from './dto/comment.dto';
export * from './dto/follow.dto';
export * from './dto/flag.dto';
export { FLAG_REASONS } from './flag.entity';
export type { FlagReason, FlagStatus } from './flag.entity';
export type { CommentStatus } from './comment.entity';
export type { PageRequest } from './keyset';
