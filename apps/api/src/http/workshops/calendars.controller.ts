import { Controller, Delete, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiProperty, ApiQuery, ApiTags } from '@nestjs/swagger';
import { AuthUser, CurrentUser, Public, resolveErrorLocale } from '@app/common';
import { CalendarFeedsService, DoorCodesService, ListSessionsQueryDto, SessionListingPageDto, SessionListingService } from '@app/workshops';
import type { FastifyReply } from 'fastify';
import { ApiErrors } from '../../common/error-response.dto';

class FeedTokenResponseDto {
  @ApiProperty({ description: 'The secret; shown once' }) token: string;
  @ApiProperty({ description: 'Path of the private feed (join to the public URL)' }) path: string;
}

const ICS = 'text/calendar; charset=utf-8';
/** `lang`, else the Accept-Language header, else (undefined) the town's own language. */
const feedLocale = (lang: string | undefined, header: string | undefined): 'fr' | 'en' | undefined => (lang === 'en' || lang === 'fr' ? lang : header ? resolveErrorLocale(header) : undefined);

/** The public listing, the iCalendar feeds and the QR codes of door codes. */
@ApiTags('workshops')
@Controller('api/v1')
export class CalendarsController {
  constructor(
    private readonly listing: SessionListingService,
    private readonly feeds: CalendarFeedsService,
    private readonly doorCodes: DoorCodesService,
  ) {}

  @Get('municipalities/:slug/workshops')
  @Public()
  @ApiOperation({ summary: 'Upcoming sessions of the town, soonest first, with filters (dates, topic, venue, district, format, seats left); keyset paginated' })
  @ApiOkResponse({ type: SessionListingPageDto })
  @ApiErrors(400, 404)
  list(@Param('slug') slug: string, @Query() query: ListSessionsQueryDto) {
    return this.listing.list(slug, query);
  }

  @Get('workshops/:id/calendar')
  @Public()
  @ApiOperation({ summary: "The workshop's sessions as an iCalendar feed (RFC 5545), times in the town's zone" })
  @ApiProduces('text/calendar')
  @ApiQuery({ name: 'lang', required: false, enum: ['fr', 'en'] })
  @ApiOkResponse({ description: 'text/calendar' })
  @ApiNotFoundResponse({ description: 'Unknown, revoked, or not yours' })
  async workshopFeed(@Param('id') id: string, @Query('lang') lang: string | undefined, @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) res: FastifyReply) {
    res.header('Content-Type', ICS);
    return this.feeds.workshopFeed(id, feedLocale(lang, al));
  }

  @Get('municipalities/:slug/venues/:id/calendar')
  @Public()
  @ApiOperation({ summary: "The venue's sessions as an iCalendar feed" })
  @ApiProduces('text/calendar')
  @ApiQuery({ name: 'lang', required: false, enum: ['fr', 'en'] })
  @ApiOkResponse({ description: 'text/calendar' })
  @ApiNotFoundResponse({ description: 'Unknown, revoked, or not yours' })
  async venueFeed(@Param('slug') slug: string, @Param('id') id: string, @Query('lang') lang: string | undefined, @Headers('accept-language') al: string | undefined, @Res({ passthrough: true }) res: FastifyReply) {
    res.header('Content-Type', ICS);
    return this.feeds.venueFeed(slug, id, feedLocale(lang, al));
  }

  @Get('workshop-calendars/:token')
  @Public()
  @ApiOperation({ summary: 'A private feed of the sessions its owner holds a seat at; the URL is the secret' })
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'text/calendar' })
  @ApiNotFoundResponse({ description: 'Unknown, revoked, or not yours' })
  async personalFeed(@Param('token') token: string, @Res({ passthrough: true }) res: FastifyReply) {
    const body = await this.feeds.personalFeed(token);
    res.header('Content-Type', ICS);
    res.header('Cache-Control', 'private, no-store');
    return body;
  }

  @Post('me/workshop-calendar')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'A new secret URL for my private workshop feed; the previous one stops working' })
  @ApiCreatedResponse({ type: FeedTokenResponseDto })
  issueFeedToken(@CurrentUser() user: AuthUser) {
    return this.feeds.issueToken(user);
  }

  @Delete('me/workshop-calendar')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Revoke my private workshop feed' })
  async revokeFeedToken(@CurrentUser() user: AuthUser): Promise<void> {
    await this.feeds.revokeToken(user);
  }

  @Get('registrations/:id/qr.svg')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'My door code as a QR code (SVG)' })
  @ApiProduces('image/svg+xml')
  @ApiOkResponse({ description: 'image/svg+xml' })
  @ApiNotFoundResponse({ description: 'Unknown, revoked, or not yours' })
  async qrSvg(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res({ passthrough: true }) res: FastifyReply) {
    const svg = await this.doorCodes.svg(user, id);
    res.header('Content-Type', 'image/svg+xml');
    res.header('Cache-Control', 'private, no-store');
    return svg;
  }

  @Get('registrations/:id/qr.png')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'My door code as a QR code (PNG)' })
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'image/png' })
  @ApiNotFoundResponse({ description: 'Unknown, revoked, or not yours' })
  async qrPng(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res({ passthrough: true }) res: FastifyReply) {
    const png = await this.doorCodes.png(user, id);
    res.header('Content-Type', 'image/png');
    res.header('Cache-Control', 'private, no-store');
    return png;
  }
}
