import { Injectable } from '@nestjs/common';

// Placeholder: being written (see the issue); keeps the module graph compiling meanwhile.
@Injectable()
export class UsersService {}
