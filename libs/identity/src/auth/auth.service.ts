import { Injectable } from '@nestjs/common';
import { AuthUser, UnauthenticatedError } from '@app/common';

// Placeholder: being written (see the issue); keeps the module graph compiling meanwhile.
@Injectable()
export class AuthService {
  resolveAccessToken(_claims: AccessTokenClaims): Promise<AuthUser> {
    throw new UnauthenticatedError();
  }
}

/** Claims of our access JWT. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  adm?: boolean;
  iat: number;
  exp: number;
}
