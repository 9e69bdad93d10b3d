import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { CheckInDto, CheckInResponseDto, CheckInsService, MyRegistrationsPageDto, MyRegistrationsQueryDto, MyRegistrationsService, RegistrationResponseDto, RegistrationsService } from '@app/workshops';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../common/error-response.dto';

@ApiTags('workshops')
@Controller('api/v1')
export class RegistrationsController {
  constructor(
    private readonly registrations: RegistrationsService,
    private readonly checkIns: CheckInsService,
    private readonly myRegistrations: MyRegistrationsService,
  ) {}

  @Get('me/workshop-registrations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'My own registrations, upcoming (soonest first) or past (latest first), with their state; keyset paginated' })
  @ApiOkResponse({ type: MyRegistrationsPageDto })
  @ApiErrors(400, 401)
  mine(@CurrentUser() user: AuthUser, @Query() query: MyRegistrationsQueryDto) {
    return this.myRegistrations.list(user, query);
  }

  @Post('sessions/:id/registrations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register for a session: a seat while there are some, else the waitlist in arrival order' })
  @ApiCreatedResponse({ type: RegistrationResponseDto })
  @ApiErrors(403, 404, { 409: 'WORKSHOP_ALREADY_REGISTERED, WORKSHOP_REGISTRATION_CLOSED, WORKSHOP_SESSION_CANCELLED' })
  register(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.registrations.register(user, id);
  }

  @Post('workshops/:id/registrations')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register for every open session of a workshop (a series)' })
  @ApiCreatedResponse({ type: [RegistrationResponseDto] })
  @ApiErrors(403, 404)
  registerSeries(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.registrations.registerSeries(user, id);
  }

  @Get('registrations/:id')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'My registration: status, waitlist position, door code, offer' })
  @ApiOkResponse({ type: RegistrationResponseDto })
  @ApiErrors(404)
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.registrations.mine(user, id);
  }

  @Post('registrations/:id/cancel')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Cancel my registration (until the cut-off) or leave the waitlist; a freed seat is offered to the next' })
  @ApiOkResponse({ type: RegistrationResponseDto })
  @ApiErrors(404, { 409: 'WORKSHOP_CANCEL_CLOSED' })
  cancel(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.registrations.cancel(user, id);
  }

  @Post('registrations/:id/offer/accept')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Take the seat offered to me' })
  @ApiOkResponse({ type: RegistrationResponseDto })
  @ApiErrors(404, { 409: 'WORKSHOP_NO_OFFER' })
  accept(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.registrations.acceptOffer(user, id);
  }

  @Post('registrations/:id/offer/decline')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Decline the seat offered to me: it goes to the next person waiting' })
  @ApiOkResponse({ type: RegistrationResponseDto })
  @ApiErrors(404, { 409: 'WORKSHOP_NO_OFFER' })
  decline(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.registrations.declineOffer(user, id);
  }

  @Post('sessions/:id/check-ins')
  @ApiBearerAuth()
  @ApiOperation({ summary: "Check a person in by their code (typed or scanned), or add a walk-in by name; the session's facilitators or staff" })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'For check-ins made offline and sent later: a replay is answered with the first result and counted once' })
  @ApiCreatedResponse({ type: CheckInResponseDto })
  @ApiErrors(400, 403, 404, { 409: 'WORKSHOP_NOT_REGISTERED, WORKSHOP_SESSION_CANCELLED' }, { 422: 'IDEMPOTENCY_KEY_REUSED' })
  async checkIn(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: CheckInDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const result = await this.checkIns.checkIn(user, id, dto, idempotencyKey);
    if (!result.counted) res.header('Idempotent-Replayed', 'true');
    return result;
  }
}
