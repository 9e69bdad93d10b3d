import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { ReportsModule } from '@app/reports';
import { MailLinkPagesController } from './mail-link-pages.controller';

/**
 * The HTML pages behind the links the product mails (/verify-email, /reset-password,
 * /reports/:id). The web app takes these paths over by replacing this module.
 */
@Module({
  imports: [IdentityModule, ReportsModule],
  controllers: [MailLinkPagesController],
})
export class PagesHttpModule {}
