import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public } from '@app/common';
import { PublishBoardOutcomesDto, WorkshopBoardService } from '@app/workshops';
import { ApiErrors } from '../../common/error-response.dto';
import { UuidParam } from '../../common/uuid-param';

/** The live board's HTTP side: the saved board, the projector link, and the outcomes. The board itself runs over the socket. */
@ApiTags('workshops')
@Controller('api/v1')
export class BoardController {
  constructor(private readonly board: WorkshopBoardService) {}

  @Get('sessions/:sessionId/board')
  @ApiBearerAuth()
  @ApiOperation({ summary: "The session's live board as saved, with the caller's own dots, answers and notes; facilitators and checked-in participants" })
  @ApiErrors({ 403: 'BOARD_NOT_ON_BOARD' })
  get(@CurrentUser() user: AuthUser, @UuidParam('sessionId') sessionId: string) {
    return this.board.saved(user, sessionId);
  }

  @Post('sessions/:sessionId/board/projector-key')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: "A new secret key for the room's screen (read-only board topic); revokes the former one; facilitators" })
  @ApiErrors({ 403: 'BOARD_NOT_ON_BOARD, BOARD_FACILITATOR_ONLY' })
  projectorKey(@CurrentUser() user: AuthUser, @UuidParam('sessionId') sessionId: string) {
    return this.board.newProjectorKey(user, sessionId);
  }

  @Post('sessions/:sessionId/board/outcomes')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: "Close the board (phase results) and publish its outcomes with the facilitator's minutes on the workshop's page; facilitators" })
  @ApiErrors(400, { 403: 'BOARD_NOT_ON_BOARD, BOARD_FACILITATOR_ONLY', 409: 'BOARD_WRONG_PHASE, BOARD_CLOSED' })
  publish(@CurrentUser() user: AuthUser, @UuidParam('sessionId') sessionId: string, @Body() dto: PublishBoardOutcomesDto) {
    return this.board.close(user, sessionId, dto.minutes);
  }

  @Get('workshops/:workshopId/outcomes')
  @Public()
  @ApiOperation({ summary: "A workshop's published session outcomes: top ideas by dots, clusters, poll results, minutes" })
  @ApiErrors(400)
  async outcomes(@UuidParam('workshopId') workshopId: string) {
    return { items: await this.board.outcomes(workshopId) };
  }
}
