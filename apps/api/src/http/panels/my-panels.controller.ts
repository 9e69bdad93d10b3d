import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser } from '@app/common';
import { MyPanelsDto, MyPanelsService } from '@app/panels';
import { ApiErrors } from '../../common/error-response.dto';

/** The signed-in person's own panels; nobody else's are reachable here. */
@ApiTags('panels')
@ApiBearerAuth()
@Controller('api/v1/me/panels')
export class MyPanelsController {
  constructor(private readonly myPanels: MyPanelsService) {}

  @Get()
  @ApiOperation({ summary: 'The panels I volunteered for or was drawn for, newest first, with my seat’s state' })
  @ApiOkResponse({ type: MyPanelsDto })
  @ApiErrors(401)
  async mine(@CurrentUser() user: AuthUser): Promise<MyPanelsDto> {
    return { items: await this.myPanels.mine(user) };
  }
}
