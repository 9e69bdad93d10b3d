export * from './media.module';
export * from './attachments.service';
