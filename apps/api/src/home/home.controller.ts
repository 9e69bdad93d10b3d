import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@app/common';
import type { FastifyReply } from 'fastify';

/** Where `/` leads while no web app is served: the API's documentation. */
export const HOME_REDIRECT = '/api/docs';

/**
 * `GET /` — the one place that decides what the site's root shows. Until apps/web's build is
 * served at `/` (that work replaces this controller with the static web app), a newcomer opening
 * http://localhost:3000 lands on the browsable API documentation instead of a 404.
 */
@ApiExcludeController()
@Public()
@Controller()
export class HomeController {
  @Get()
  home(@Res() res: FastifyReply): void {
    void res.redirect(HOME_REDIRECT, 302);
  }
}
