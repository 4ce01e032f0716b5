import { Controller, Get, Header, HttpStatus, Param, Redirect } from '@nestjs/common';
import { ApiMovedPermanentlyResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.js';
import { CustomersService } from './customers.service.js';
import { ApiPageIdParam, ApiPsidParam } from './dto/path-params.js';

/** The public avatar redirect: no key, no token, no upstream call. */
@ApiTags('avatars')
@Public()
@Controller('v1/pages/:pageId/avatars')
export class AvatarsController {
  constructor(private readonly customers: CustomersService) {}

  @Get(':psid')
  @Redirect(undefined, HttpStatus.MOVED_PERMANENTLY)
  // A 301 is cached forever by default; a day keeps a changed PANCAKE_AVATAR_BASE_URL reachable.
  @Header('Cache-Control', 'public, max-age=86400')
  @ApiPageIdParam()
  @ApiPsidParam()
  @ApiOperation({
    summary: 'Redirects to the public avatar of a page-scoped user',
    // No key needed: overrides the document's default security requirement.
    security: [],
  })
  @ApiMovedPermanentlyResponse({
    description: 'Location: the public avatar URL',
    headers: {
      Location: { description: 'The public avatar URL', schema: { type: 'string', format: 'uri' } },
    },
  })
  @ApiErrorResponses(400)
  avatar(@Param('pageId') pageId: string, @Param('psid') psid: string): { url: string } {
    return { url: this.customers.avatarUrlOf({ pageId, psid }) };
  }
}
